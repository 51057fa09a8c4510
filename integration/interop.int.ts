// Integration: a client written only with ws and @msgpack/msgpack (as a bot in another language
// would be) completes the handshake, moves east and decodes every server frame.
//
// Deliberately no import from @tickwire/protocol or client/: the ids, field orders and close codes
// below are literals copied from PROTOCOL.md ("Message ids", "Messages", "Close codes"), the
// document a bot author in another language works from. If this test fails after a protocol
// change, PROTOCOL.md (and PROTOCOL_VERSION) must change with it.
import { decode, encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { EventLog, withTimeout } from './support/events.js';
import { type ServerProcess, startServer } from './support/serverProcess.js';

// Message ids: client → server 1..63, server → client 64..127.
const HELLO = 1; // [1, protocolVersion, name]
const INPUT = 2; // [2, seq, ackTick, moveX, moveY, buttons]
const WELCOME = 64; // [64, protocolVersion, playerId, tick, tickRate, snapshotRate, worldWidth, worldHeight, positionScale, angleSteps, speed]
const SNAPSHOT = 65; // [65, tick, lastInputSeq, [[id, x, y, vx, vy, angle, hp], ...]]
const KNOWN_SERVER_IDS = new Set([WELCOME, SNAPSHOT]);
const PROTOCOL_VERSION = 1;
const WELCOME_LENGTH = 11;
const SNAPSHOT_LENGTH = 4;
const SNAPSHOT_PLAYER_LENGTH = 7;
/** Close code the server sends on SIGTERM ("going away"). */
const SERVER_SHUTDOWN = 1001;

const EVENT_TIMEOUT_MS = 5000;
/** Inputs the client sends, one per snapshot received. */
const INPUT_COUNT = 30;

interface Welcome {
  playerId: number;
  tickRate: number;
  positionScale: number;
  speed: number;
}

interface Snapshot {
  tick: number;
  lastInputSeq: number;
  players: number[][];
}

/** One decoded frame, or why it is not a well-formed server message. */
type Frame = { ok: true; value: unknown[] } | { ok: false; problem: string };

function decodeFrame(data: Buffer, isBinary: boolean): Frame {
  if (!isBinary) return { ok: false, problem: 'text frame' };
  let value: unknown;
  try {
    value = decode(data);
  } catch (error) {
    return { ok: false, problem: `not MessagePack: ${String(error)}` };
  }
  if (!Array.isArray(value)) return { ok: false, problem: `not an array: ${JSON.stringify(value)}` };
  if (!KNOWN_SERVER_IDS.has(value[0] as number)) return { ok: false, problem: `unknown id ${String(value[0])}` };
  return { ok: true, value };
}

describe('a client that only knows MessagePack and the protocol tables', () => {
  let server: ServerProcess;
  let ws: WebSocket;
  const frames = new EventLog<Frame>();
  const snapshots: Snapshot[] = [];
  let welcome: Welcome | undefined;
  let onSnapshot: (snapshot: Snapshot) => void = () => {};
  let closed: Promise<number>;

  beforeAll(async () => {
    // Seed 1: the first player spawns near the middle of the arena, far from the east edge.
    server = await startServer(['--seed', '1']);
    ws = new WebSocket(server.wsUrl, { perMessageDeflate: false });
    ws.on('error', () => {});
    closed = new Promise((resolve) => ws.once('close', resolve));
    ws.on('message', (data, isBinary) => {
      const frame = decodeFrame(data as Buffer, isBinary);
      if (frame.ok && frame.value[0] === WELCOME && frame.value.length === WELCOME_LENGTH) {
        const [, , playerId, , tickRate, , , , positionScale, , speed] = frame.value as number[];
        welcome = { playerId: playerId!, tickRate: tickRate!, positionScale: positionScale!, speed: speed! };
      } else if (frame.ok && frame.value[0] === SNAPSHOT && frame.value.length === SNAPSHOT_LENGTH) {
        const [, tick, lastInputSeq, players] = frame.value as [number, number, number, number[][]];
        const snapshot = { tick, lastInputSeq, players };
        snapshots.push(snapshot);
        onSnapshot(snapshot);
      }
      frames.push(frame);
    });
    await withTimeout(new Promise((resolve) => ws.once('open', resolve)), EVENT_TIMEOUT_MS, 'the socket to open');
  });

  afterAll(() => server?.stop());

  it('HELLO [1, 1, "py-bot"] is answered by a WELCOME of 11 integer fields', async () => {
    ws.send(encode([HELLO, PROTOCOL_VERSION, 'py-bot']));
    const first = await frames.find('the first frame', EVENT_TIMEOUT_MS);
    expect(first.ok).toBe(true);
    const fields = (first as { value: unknown[] }).value;
    expect(fields[0]).toBe(WELCOME);
    expect(fields).toHaveLength(WELCOME_LENGTH);
    expect(fields[1]).toBe(PROTOCOL_VERSION);
    expect(fields.every((field) => Number.isInteger(field))).toBe(true);
    expect(welcome!.playerId).toBeGreaterThan(0);
  });

  it('sees its own x increase and lastInputSeq catch up while it sends INPUTs moving east', async () => {
    let seq = 0;
    const caughtUp = new Promise<Snapshot>((resolve) => {
      // One INPUT per snapshot received, acknowledging that snapshot's tick.
      onSnapshot = (snapshot) => {
        if (seq < INPUT_COUNT) {
          seq++;
          // 0.75 travels as a float 64, as a float from Python's msgpack would.
          ws.send(encode([INPUT, seq, snapshot.tick, 0.75, 0, 0]));
        } else if (snapshot.lastInputSeq === INPUT_COUNT) {
          resolve(snapshot);
        }
      };
    });
    await withTimeout(caughtUp, 10_000, `lastInputSeq ${INPUT_COUNT}`);
    onSnapshot = () => {};

    const mine = snapshots.map((s) => ({ s, me: s.players.find((player) => player[0] === welcome!.playerId) }));
    expect(mine.every(({ me }) => me !== undefined && me.length === SNAPSHOT_PLAYER_LENGTH)).toBe(true);
    const xs = mine.map(({ me }) => me![1]!);
    for (let i = 1; i < mine.length; i++) {
      expect(mine[i]!.s.tick).toBeGreaterThan(mine[i - 1]!.s.tick);
      expect(mine[i]!.s.lastInputSeq).toBeGreaterThanOrEqual(mine[i - 1]!.s.lastInputSeq);
      expect(xs[i]!).toBeGreaterThanOrEqual(xs[i - 1]!);
    }
    // Each of the INPUT_COUNT inputs was applied for at least one tick at 0.75 of top speed.
    const quantaPerTick = Math.round((0.75 * welcome!.speed * welcome!.positionScale) / welcome!.tickRate);
    expect(xs[xs.length - 1]! - xs[0]!).toBeGreaterThanOrEqual(quantaPerTick * INPUT_COUNT);
    expect(mine[0]!.s.lastInputSeq).toBe(0);
  });

  it('every frame it received is a MessagePack array whose first element is a known server id', () => {
    expect(frames.items.filter((frame) => !frame.ok)).toEqual([]);
    const values = frames.items.map((frame) => (frame as { value: unknown[] }).value);
    expect(values[0]![0]).toBe(WELCOME);
    for (const value of values.slice(1)) {
      expect(value[0]).toBe(SNAPSHOT);
      expect(value).toHaveLength(SNAPSHOT_LENGTH);
      for (const player of value[3] as unknown[][]) {
        expect(player).toHaveLength(SNAPSHOT_PLAYER_LENGTH);
        expect(player.every((field) => Number.isInteger(field))).toBe(true);
      }
    }
  });

  it('a HELLO whose protocolVersion is written as uint 64 (0xcf 00 … 01) is accepted like 1', async () => {
    const other = new WebSocket(server.wsUrl, { perMessageDeflate: false });
    other.on('error', () => {});
    const first = new Promise<Frame>((resolve) =>
      other.once('message', (data, isBinary) => resolve(decodeFrame(data as Buffer, isBinary))),
    );
    await withTimeout(new Promise((resolve) => other.once('open', resolve)), EVENT_TIMEOUT_MS, 'the socket to open');
    // [1, 1, "x"] with 1 as a uint 64: PROTOCOL.md, "A receiver accepts any integer width".
    other.send(Uint8Array.from([0x93, HELLO, 0xcf, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xa1, 0x78]));
    const frame = await withTimeout(first, EVENT_TIMEOUT_MS, 'WELCOME');
    expect(frame.ok && frame.value[0]).toBe(WELCOME);
    const closed = new Promise((resolve) => other.once('close', resolve));
    other.close(1000);
    await withTimeout(closed, EVENT_TIMEOUT_MS, 'the close');
  });

  it('is closed with 1001 when the server shuts down', async () => {
    const exit = await server.stop();
    expect(await withTimeout(closed, EVENT_TIMEOUT_MS, 'the close')).toBe(SERVER_SHUTDOWN);
    expect(exit.code).toBe(0);
  });
});
