// Integration ("prediction at walls"): a scripted walk into corners and along walls of the game map,
// over a 150 ± 30 ms link, against the real server run with --scenario game. The client is NetClient
// (prediction with the map WELCOME names, reconciliation, input pacing) over a seeded SimulatedSocket
// over the bots' ws socket, driven by the 2 ms frame loop as in netcode.int.ts. Because step() collides
// in integer quanta on both sides, every reconciliation at a wall must match the server exactly.
import {
  GAME_MAP,
  GAME_MAP_HASH,
  GameSpawner,
  type MoveInput,
  PLAYER_RADIUS,
  POSITION_SCALE,
} from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomSeed } from '../server/src/rooms/roomHost.js';
import { FrameLoop } from './support/frameLoop.js';
import { NetPlayer, type NetSnapshotArrival } from './support/netPlayer.js';
import { joinSeat } from './support/seats.js';
import { type ServerProcess, startServer } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS } from './support/testClient.js';

/** The top-left room's spawn point, (112, 80) units, in quanta. */
const SPAWN = { x: 112 * POSITION_SCALE, y: 80 * POSITION_SCALE };

/**
 * The smallest --seed whose first room spawns its first player at SPAWN. Each room spawns from its
 * own seed, derived from the process's and the room's number (roomSeed); the walker's room is the
 * process's first (number 0), and it is the first to join it.
 */
function seedSpawningAt(spawn: { x: number; y: number }): string {
  for (let seed = 1; seed < 10_000; seed++) {
    const first = new GameSpawner(roomSeed(seed, 0), GAME_MAP).next();
    if (first.x * POSITION_SCALE === spawn.x && first.y * POSITION_SCALE === spawn.y) return String(seed);
  }
  throw new Error('no seed below 10 000 spawns the first player at the top-left spawn point');
}
const SEED = seedSpawningAt(SPAWN);
/** Flush against a wall: a tile edge ± the box's half-size, in quanta. */
const edge = (tiles: number, side: -1 | 1) => (tiles * GAME_MAP.tileSize + side * PLAYER_RADIUS) * POSITION_SCALE;
// The top-left room is tiles 1..9 × 1..5: the border on the west and north, a wall in column 10 (rows
// 1-3) on the east and one in row 6 (columns 0-4 and 7-10) on the south.
const CORNER_NW = { x: edge(1, 1), y: edge(1, 1) }; // (44, 44) units
const CORNER_NE = { x: edge(10, -1), y: edge(1, 1) }; // (308, 44): column 10 and the north border
const CORNER_SW = { x: edge(1, 1), y: edge(6, -1) }; // (44, 180): the west border and row 6

/** As in netcode.int.ts: the input pacer's settling time before the window in which nothing may starve, ms. */
const SETTLE_MS = 3000;
const H = Math.SQRT1_2;
/** Aim along the direction of travel, as a player would; the game's rules face the aim. */
const go = (moveX: number, moveY: number): MoveInput => ({ moveX, moveY, aimAngle: Math.atan2(moveY, moveX) });
/** Each leg with how long it is held, ms: long enough (with room to spare) to reach its wall. */
const SCRIPT: readonly { input: MoveInput; ms: number; what: string }[] = [
  { input: go(-H, -H), ms: 800, what: 'north-west: onto the north wall, along it, into the corner' },
  { input: go(1, 0), ms: 1800, what: 'east along the north wall into the corner at column 10' },
  { input: go(H, -H), ms: 400, what: 'pressing diagonally into that corner' },
  { input: go(0, 1), ms: 1000, what: 'south along column 10 onto the wall of row 6' },
  { input: go(-1, 0), ms: 1800, what: 'west along row 6, past its door, to the west border' },
  // Ends pushing into the corner: a repeated (starved) input after the script moves nothing there.
  { input: go(-H, H), ms: 600, what: 'pressing diagonally into the south-west corner' },
];

describe('prediction at walls', () => {
  let server: ServerProcess;
  const loop = new FrameLoop();
  let walker: NetPlayer | undefined;

  beforeAll(async () => {
    server = await startServer(['--scenario', 'game', '--seed', SEED, '--debug-state', 'true']);
  });

  afterAll(async () => {
    loop.stop();
    await walker?.close().catch(() => {});
    await server?.stop();
  });

  it('a scripted walk into corners over a 150 ms link ends with zero misprediction', async () => {
    walker = await NetPlayer.join(await joinSeat(server.url), 'walker', {
      link: { latencyMs: 120, jitterMs: 60, seed: 5 },
    });
    const player = walker;
    const welcome = player.client.connection.welcome!;
    expect(welcome.mapHash).toBe(GAME_MAP_HASH);
    expect([welcome.worldWidth, welcome.worldHeight]).toEqual([GAME_MAP.width, GAME_MAP.height]);
    expect(player.snapshots.last!.world[player.playerId]).toMatchObject(SPAWN);

    loop.add((nowMs) => player.frame(nowMs));
    const settleStart = await loop.until(() => true, 'a frame', EVENT_TIMEOUT_MS);
    await loop.reach(settleStart + SETTLE_MS, 'the end of the settling period');

    const start = player.snapshots.last!;
    const startIndex = player.snapshots.items.length - 1;
    const scriptStart = loop.nowMs;
    const ends = SCRIPT.map((_, i) => SCRIPT.slice(0, i + 1).reduce((sum, leg) => sum + leg.ms, scriptStart));
    player.input = (nowMs) => SCRIPT[ends.findIndex((end) => nowMs < end)]?.input ?? SCRIPT.at(-1)!.input;
    await loop.reach(ends.at(-1)!, 'the end of the script');
    player.sending = false;
    const lastSeq = player.lastSentSeq;
    const end = await player.snapshots.find(
      `lastInputSeq ${lastSeq}`,
      EVENT_TIMEOUT_MS,
      (a) => a.snapshot.lastInputSeq === lastSeq,
    );
    const window = player.snapshots.items.slice(startIndex, player.snapshots.items.indexOf(end) + 1);
    const own = (a: NetSnapshotArrival) => a.world[player.playerId]!;

    // The server walked the script: into each corner, in order, and along the walls between them.
    const path = window.map(own);
    const reached = (corner: { x: number; y: number }, from: number) =>
      path.findIndex((s, i) => i >= from && s.x === corner.x && s.y === corner.y);
    const nw = reached(CORNER_NW, 0);
    const ne = reached(CORNER_NE, nw);
    const sw = reached(CORNER_SW, ne);
    expect([nw, ne, sw].every((i) => i >= 0)).toBe(true);
    expect(nw < ne && ne < sw).toBe(true);
    // Along the north wall: moving east at full speed with y flush against it.
    expect(path.some((s) => s.y === CORNER_NW.y && s.vx === 107 && s.vy === 0)).toBe(true);
    // Sliding: pushed diagonally into the north wall, only x moved (75 of the diagonal's 75, 75).
    expect(path.some((s) => s.y === CORNER_NW.y && s.vx === -75 && s.vy === 0)).toBe(true);
    // Along column 10's wall going south, and along row 6's going west.
    expect(path.some((s) => s.x === CORNER_NE.x && s.vx === 0 && s.vy === 107)).toBe(true);
    expect(path.some((s) => s.y === CORNER_SW.y && s.vx === -107 && s.vy === 0)).toBe(true);

    // It ended pressed into the south-west corner: there, not moving, facing its push (south-west).
    expect(own(end)).toMatchObject({ ...CORNER_SW, vx: 0, vy: 0, angle: 96 });

    // No input starved or dropped after settling, so every reconciliation matched: no misprediction,
    // no correction, and the prediction, the server's own state and the client's world are one state.
    const counters = (a: NetSnapshotArrival) => ({
      starvedInputs: a.snapshot.starvedInputs,
      droppedInputs: a.snapshot.droppedInputs,
      mispredictions: a.mispredictions,
    });
    const queue = window.map((a) => a.snapshot.inputBuffer).join(' ');
    // A starved tick repeats an input the client did not send, so the server moves where the client did
    // not predict: only a machine too busy to keep the link's timers on time gets there.
    expect(counters(end), `queue depths in the window: ${queue}`).toEqual(counters(start));
    const stats = player.client.prediction!.stats;
    expect(stats.mispredictions).toBe(start.mispredictions);
    expect(stats.mispredictions).toBe(0);
    expect(stats.maxErrorUnits).toBe(0);
    const debug = await player.requestDebugState();
    const truth = debug.message.entities.find((entity) => entity.id === player.playerId)!;
    expect(debug.predicted).toEqual({ x: truth.x, y: truth.y, vx: truth.vx, vy: truth.vy, angle: truth.angle });
    expect(debug.predicted).toMatchObject({ ...CORNER_SW, vx: 0, vy: 0 });
    expect(player.protocolErrors).toEqual([]);
    console.info(
      `walls: inputs up to ${lastSeq}, ${window.length} snapshots, corners at snapshots ${nw}/${ne}/${sw}, ` +
        `reconciliations ${stats.reconciliations}, mispredictions ${stats.mispredictions}, ` +
        `longest frame gap ${loop.longestGapMs.toFixed(1)} ms`,
    );
  });
});
