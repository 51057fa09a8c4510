// Browser entry: connects to the server that served this page, joins with ?name=, starts Phaser.
// Runs once per page load. ?latency=&jitter=&bandwidth=&seed=&stall= run the socket over a simulated link.
import Phaser from 'phaser';
import { parseLinkOptions, realTimeScheduler, SimulatedSocket } from '../net/networkSimulator.js';
import { GameSession } from './gameSession.js';
import { ArenaScene } from './scenes/arenaScene.js';
import { installTestHook } from './testHook.js';

const params = new URLSearchParams(location.search);
const name = (params.get('name') ?? 'player').slice(0, 16);
// A malformed link parameter throws (the console says which) rather than playing on an undelayed link.
const link = parseLinkOptions(params);
const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
const session = new GameSession(
  link === undefined ? socket : new SimulatedSocket(socket, link, realTimeScheduler()),
  name,
);
const scene = new ArenaScene(session);

const game = new Phaser.Game({
  type: Phaser.AUTO,
  parent: 'app',
  backgroundColor: '#10141c',
  scale: { mode: Phaser.Scale.RESIZE, width: window.innerWidth, height: window.innerHeight },
  scene: [scene],
});

if (params.has('e2e')) installTestHook(game, session, scene);
