// Browser entry: reads the URL's options and starts Phaser with the scenes, once per page load.
// Boot → join (name form) → game + HUD → disconnected → join. ?name= joins at once; ?e2e installs the
// test hook; ?latency=&jitter=&bandwidth=&seed=&stall= run the socket over a simulated link.
import Phaser from 'phaser';
import { parseLinkOptions } from '../net/networkSimulator.js';
import { GameApp } from './app.js';
import { BootScene } from './scenes/bootScene.js';
import { DisconnectedScene } from './scenes/disconnectedScene.js';
import { GameScene } from './scenes/gameScene.js';
import { HudScene } from './scenes/hudScene.js';
import { JoinScene } from './scenes/joinScene.js';
import { installTestHook } from './testHook.js';

const params = new URLSearchParams(location.search);
// A malformed link parameter throws (the console says which) rather than playing on an undelayed link.
const app = new GameApp(parseLinkOptions(params), params.get('name') ?? undefined);

const game = new Phaser.Game({
  type: Phaser.AUTO,
  parent: 'app',
  backgroundColor: '#10141c',
  scale: { mode: Phaser.Scale.RESIZE, width: window.innerWidth, height: window.innerHeight },
  // Right click fires the secondary weapon, so no context menu over the canvas.
  disableContextMenu: true,
  // Listed in drawing order: the HUD above the game; only boot starts by itself.
  scene: [new BootScene(app), new JoinScene(app), new GameScene(app), new HudScene(app), new DisconnectedScene(app)],
});

if (params.has('e2e')) installTestHook(game, app);
