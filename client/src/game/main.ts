// Browser entry: connects to the server that served this page, joins with ?name=, starts Phaser.
// Runs once per page load.
import Phaser from 'phaser';
import { GameSession } from './gameSession.js';
import { ArenaScene } from './scenes/arenaScene.js';
import { installTestHook } from './testHook.js';

const params = new URLSearchParams(location.search);
const name = (params.get('name') ?? 'player').slice(0, 16);
const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
const session = new GameSession(socket, name);
const scene = new ArenaScene(session);

const game = new Phaser.Game({
  type: Phaser.AUTO,
  parent: 'app',
  backgroundColor: '#10141c',
  scale: { mode: Phaser.Scale.RESIZE, width: window.innerWidth, height: window.innerHeight },
  scene: [scene],
});

if (params.has('e2e')) installTestHook(game, session, scene);
