// Browser entry: reads the URL's options and starts Phaser with the scenes, once per page load.
// Boot → join (the lobby: name, Quick play, private rooms, the live room list) → game + HUD → join,
// with why the game ended; a reload while playing goes from boot straight back to the same player. ?name= joins at once (Quick play); ?room=CODE_OR_ID joins that room;
// ?e2e installs the test hook; ?latency=&jitter=&bandwidth=&seed=&stall= run the game socket over a
// simulated link.
import Phaser from 'phaser';
import { parseLinkOptions, realTimeScheduler, SimulatedSocket } from '../net/networkSimulator.js';
import { GameApp } from './app.js';
import { pageStartOf, searchWithoutRoom } from './lobby/pageStart.js';
import { loadName } from './lobby/savedName.js';
import { BootScene } from './scenes/bootScene.js';
import { GameScene } from './scenes/gameScene.js';
import { HudScene } from './scenes/hudScene.js';
import { JoinScene } from './scenes/joinScene.js';
import { installTestHook } from './testHook.js';

const params = new URLSearchParams(location.search);
// A malformed link parameter throws (the console says which) rather than playing on an undelayed link.
const link = parseLinkOptions(params);
// Some browsers throw on merely reading localStorage or sessionStorage when storage is disabled.
function storageOf(read: () => Storage): Storage | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
const storage = storageOf(() => window.localStorage);
const start = pageStartOf(params, loadName(storage));
// A ?room= link is used once: a reload after that game shows the lobby instead of rejoining.
if (params.has('room')) history.replaceState(null, '', `${location.pathname}${searchWithoutRoom(location.search)}`);

const app = new GameApp({
  origin: location.origin,
  // Bound: the browser's fetch must be called on window.
  fetch: (input, init) => fetch(input, init),
  openGameSocket: (url) => {
    const socket = new WebSocket(url);
    return link === undefined ? socket : new SimulatedSocket(socket, link, realTimeScheduler());
  },
  openLobbySocket: (url) => new WebSocket(url),
  schedule: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
  storage,
  // Per tab, and kept across a reload: a reload within the grace takes the same player back.
  resumeStorage: storageOf(() => window.sessionStorage),
  start,
});

const game = new Phaser.Game({
  type: Phaser.AUTO,
  parent: 'app',
  backgroundColor: '#10141c',
  scale: { mode: Phaser.Scale.RESIZE, width: window.innerWidth, height: window.innerHeight },
  // Right click fires the secondary weapon, so no context menu over the canvas.
  disableContextMenu: true,
  // Listed in drawing order: the HUD above the game; only boot starts by itself.
  scene: [new BootScene(app), new JoinScene(app), new GameScene(app), new HudScene(app)],
});

if (params.has('e2e')) installTestHook(game, app);
