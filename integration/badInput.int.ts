// Integration: bad clients against the real server, each on its own socket in the honest players'
// room, closed with exactly its documented code (PROTOCOL.md close codes), bad seats included, while
// two honest players keep playing undisturbed.
import { encode } from '@msgpack/msgpack';
import {
  ClientMessageId,
  CloseCode,
  closeCodeName,
  MAX_CHAT_LENGTH,
  MAX_NAME_LENGTH,
  PROTOCOL_VERSION,
  ServerMessageId,
} from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOnSchedule } from './support/pacer.js';
import { Player } from './support/player.js';
import { createRoom, seatIn, type Ticket } from './support/seats.js';
import { getHealth, type ServerProcess, startServer } from './support/serverProcess.js';
import { TestClient } from './support/testClient.js';

const TICK_RATE = 30;
const MAX_FRAME_BYTES = 512;
const HELLO = ClientMessageId.HELLO;
const INPUT = ClientMessageId.INPUT;
const PING = ClientMessageId.PING;
const CHAT = ClientMessageId.CHAT;

/** MessagePack float 64 (0xcb) and float 32 (0xca) with the given big-endian bytes, built by hand. */
const float64 = (...bytes: number[]) => [0xcb, ...bytes];
const float32 = (...bytes: number[]) => [0xca, ...bytes];
const NAN_F64 = float64(0x7f, 0xf8, 0, 0, 0, 0, 0, 0);
const INFINITY_F64 = float64(0x7f, 0xf0, 0, 0, 0, 0, 0, 0);
const MINUS_INFINITY_F32 = float32(0xff, 0x80, 0, 0);
const NAN_F32 = float32(0x7f, 0xc0, 0, 0);

/**
 * An INPUT frame [2, seq 1, ackTick 0, tick 0, moveX, moveY, buttons 0, aimAngle, viewTick] with
 * hand-encoded floats (aim and view 0 unless given).
 */
function inputWithFloats(moveX: number[], moveY: number[], aimAngle: number[] = [0x00], viewTick: number[] = [0x00]) {
  return [0x99, INPUT, 0x01, 0x00, 0x00, ...moveX, ...moveY, 0x00, ...aimAngle, ...viewTick];
}

/** An INPUT tuple [2, seq 1, ackTick 0, tick 0, moveX 0, moveY 0, buttons 0, aim 0, view 0] with some fields set. */
function inputTuple(fields: { [position: number]: unknown }): unknown[] {
  const tuple: unknown[] = [INPUT, 1, 0, 0, 0, 0, 0, 0, 0];
  for (const [position, value] of Object.entries(fields)) tuple[Number(position)] = value;
  return tuple;
}

interface BadCase {
  /** What the client sends, for the test name. */
  sends: string;
  code: CloseCode;
  /** Say HELLO (and get WELCOME) first, so the bad frame reaches a playing session. */
  afterHello: boolean;
  send(client: TestClient): void;
}

const bytes =
  (frame: Uint8Array | readonly number[]) =>
  (client: TestClient): void =>
    client.sendBytes(frame);

const badCases: BadCase[] = [
  {
    sends: `a frame of ${MAX_FRAME_BYTES + 1} bytes`,
    code: CloseCode.FRAME_TOO_LARGE,
    afterHello: false,
    send: bytes(new Uint8Array(MAX_FRAME_BYTES + 1)),
  },
  {
    sends: `a frame of ${MAX_FRAME_BYTES + 1} bytes while playing`,
    code: CloseCode.FRAME_TOO_LARGE,
    afterHello: true,
    send: bytes(new Uint8Array(MAX_FRAME_BYTES + 1).fill(0x01)),
  },
  { sends: 'a text frame', code: CloseCode.TEXT_FRAME, afterHello: false, send: (c) => c.sendText('[1,1,"x"]') },
  { sends: 'a text frame while playing', code: CloseCode.TEXT_FRAME, afterHello: true, send: (c) => c.sendText('hi') },
  { sends: 'the reserved byte 0xc1', code: CloseCode.UNDECODABLE, afterHello: false, send: bytes([0xc1]) },
  { sends: 'an empty binary frame', code: CloseCode.UNDECODABLE, afterHello: false, send: bytes([]) },
  {
    sends: 'truncated MessagePack (an array of 3 holding 2 values)',
    code: CloseCode.UNDECODABLE,
    afterHello: false,
    send: bytes(encode([HELLO, 1, 'x']).subarray(0, 3)),
  },
  {
    sends: 'truncated MessagePack (a float 64 cut short) while playing',
    code: CloseCode.UNDECODABLE,
    afterHello: true,
    send: bytes(inputWithFloats(NAN_F64, [0x00]).slice(0, 9)),
  },
  {
    sends: 'two MessagePack values in one frame',
    code: CloseCode.UNDECODABLE,
    afterHello: false,
    send: bytes([...encode([HELLO, 1, 'x']), 0x01]),
  },
  {
    sends: 'an array header claiming 2^32-1 elements',
    code: CloseCode.UNDECODABLE,
    afterHello: false,
    send: bytes([0xdd, 0xff, 0xff, 0xff, 0xff, HELLO]),
  },
  {
    sends: 'an unknown extension type as a field',
    code: CloseCode.UNDECODABLE,
    afterHello: false,
    send: bytes([0x93, HELLO, 0x01, 0xd4, 0x01, 0x00]),
  },
  {
    sends: 'a MessagePack map instead of an array',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode({ id: HELLO, protocolVersion: 1, name: 'map' })),
  },
  {
    sends: 'a MessagePack string instead of an array',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode('hello')),
  },
  { sends: 'an empty array', code: CloseCode.INVALID_MESSAGE, afterHello: false, send: bytes(encode([])) },
  { sends: 'nil', code: CloseCode.INVALID_MESSAGE, afterHello: false, send: bytes([0xc0]) },
  {
    sends: 'a message id that is not an integer (1.5)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode([1.5, 1, 'x'])),
  },
  {
    sends: 'HELLO with protocolVersion as a string',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode([HELLO, '7', 'x', ''])),
  },
  {
    sends: 'HELLO with a boolean as protocolVersion',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes([0x94, HELLO, 0xc3, 0xa1, 0x78, 0xa0]),
  },
  {
    sends: 'HELLO with the reserved byte 0xc1 as a field',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes([0x94, HELLO, PROTOCOL_VERSION, 0xc1, 0xa0]),
  },
  {
    sends: 'HELLO with a timestamp (extension -1) as name',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes([0x94, HELLO, PROTOCOL_VERSION, 0xd6, 0xff, 0x00, 0x00, 0x00, 0x00, 0xa0]),
  },
  {
    sends: 'HELLO with a number as name',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode([HELLO, PROTOCOL_VERSION, 5, ''])),
  },
  {
    sends: 'HELLO with bytes as name',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode([HELLO, PROTOCOL_VERSION, new Uint8Array([0x41]), ''])),
  },
  {
    sends: `HELLO with a name of ${MAX_NAME_LENGTH + 1} characters`,
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode([HELLO, PROTOCOL_VERSION, 'n'.repeat(MAX_NAME_LENGTH + 1), ''])),
  },
  {
    sends: 'HELLO with protocolVersion -1',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode([HELLO, -1, 'x', ''])),
  },
  {
    sends: 'HELLO with protocolVersion 2^64-1 (uint 64)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes([0x94, HELLO, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xa1, 0x78, 0xa0]),
  },
  {
    sends: 'HELLO of this version without its name and seat (arity 2)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode([HELLO, PROTOCOL_VERSION])),
  },
  {
    sends: 'HELLO of this version without its seat (arity 3)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode([HELLO, PROTOCOL_VERSION, 'x'])),
  },
  {
    sends: 'HELLO with an extra field (arity 5)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: false,
    send: bytes(encode([HELLO, PROTOCOL_VERSION, 'x', '', 0])),
  },
  {
    sends: 'a version 6 HELLO [1, 6, name] (no seat)',
    code: CloseCode.VERSION_MISMATCH,
    afterHello: false,
    send: bytes(encode([HELLO, 6, 'x'])),
  },
  {
    sends: 'INPUT with moveX 2',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 4: 2 }))),
  },
  {
    sends: 'INPUT with moveY -1.5',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 5: -1.5 }))),
  },
  {
    sends: 'INPUT with moveX NaN (float 64)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(inputWithFloats(NAN_F64, [0x00])),
  },
  {
    sends: 'INPUT with moveX NaN (float 64, encoded by @msgpack/msgpack)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 4: Number.NaN }))),
  },
  {
    sends: 'INPUT with moveX Infinity (float 64)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(inputWithFloats(INFINITY_F64, [0x00])),
  },
  {
    sends: 'INPUT with moveY -Infinity (float 32)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(inputWithFloats([0x00], MINUS_INFINITY_F32)),
  },
  {
    sends: 'INPUT with moveY NaN (float 32)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(inputWithFloats([0x00], NAN_F32)),
  },
  {
    sends: 'INPUT with moveX as a string',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 4: '1' }))),
  },
  {
    sends: 'INPUT with seq 1.5',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 1: 1.5 }))),
  },
  {
    sends: 'INPUT with seq 0',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 1: 0 }))),
  },
  {
    sends: 'INPUT with buttons 256',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 6: 256 }))),
  },
  {
    sends: 'INPUT with a negative ackTick',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 2: -1 }))),
  },
  {
    sends: 'INPUT with an ackTick in the future',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 2: 0xffff_ffff }))),
  },
  {
    sends: 'INPUT acking a tick 1000 ticks after its WELCOME (a snapshot never sent to it)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: (c) => c.input({ ackTick: c.welcome!.tick + 1000 }),
  },
  {
    sends: 'INPUT with a negative tick',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 3: -1 }))),
  },
  {
    sends: 'INPUT with tick 2^32 (above uint 32)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 3: 2 ** 32 }))),
  },
  {
    sends: 'INPUT without buttons, aim and view (arity 6)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([INPUT, 1, 0, 0, 0, 0])),
  },
  {
    sends: 'INPUT in the version 4 layout, without aimAngle and viewTick (arity 7)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([INPUT, 1, 0, 0, 0, 0, 0])),
  },
  {
    sends: 'INPUT with buttons 4 (an undefined bit)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 6: 4 }))),
  },
  {
    sends: 'INPUT with buttons 1.5',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 6: 1.5 }))),
  },
  {
    sends: 'INPUT with aimAngle 4 (beyond π)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 7: 4 }))),
  },
  {
    sends: 'INPUT with aimAngle NaN (float 64)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(inputWithFloats([0x00], [0x00], NAN_F64)),
  },
  {
    sends: 'INPUT with aimAngle -Infinity (float 32)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(inputWithFloats([0x00], [0x00], MINUS_INFINITY_F32)),
  },
  {
    sends: 'INPUT with aimAngle as a string',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 7: '0' }))),
  },
  {
    sends: 'INPUT with a negative viewTick',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 8: -0.5 }))),
  },
  {
    sends: 'INPUT with viewTick +Infinity (float 64)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(inputWithFloats([0x00], [0x00], [0x00], INFINITY_F64)),
  },
  {
    sends: 'INPUT with viewTick 2^32 (above uint 32)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode(inputTuple({ 8: 2 ** 32 }))),
  },
  {
    sends: 'INPUT in the version 2 layout, without tick (arity 6)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([INPUT, 1, 0, 1, 0, 0])),
  },
  {
    sends: 'INPUT with an extra field (arity 10)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([...inputTuple({}), 0])),
  },
  {
    sends: 'CHAT with 121 characters',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([CHAT, 'x'.repeat(MAX_CHAT_LENGTH + 1)])),
  },
  {
    sends: 'CHAT with a number as text',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([CHAT, 7])),
  },
  {
    sends: 'CHAT without its text (arity 1)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([CHAT])),
  },
  {
    sends: 'PING with a negative clientTimeMs',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([PING, 1, -1])),
  },
  {
    sends: 'PING with clientTimeMs NaN (float 64)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes([0x93, PING, 0x01, ...NAN_F64]),
  },
  {
    sends: 'PING with a negative pingId',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([PING, -1, 0])),
  },
  {
    sends: 'PING without clientTimeMs (arity 2)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([PING, 1])),
  },
  {
    sends: 'DEBUG_NUDGE with dx 32768 (above int 16)',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: bytes(encode([ClientMessageId.DEBUG_NUDGE, 32768, 0])),
  },
  {
    sends: 'INPUT with a repeated seq',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: (c) => {
      c.input({ seq: 5 });
      c.input({ seq: 5 });
    },
  },
  {
    sends: 'INPUT with a lower seq than the one before',
    code: CloseCode.INVALID_MESSAGE,
    afterHello: true,
    send: (c) => {
      c.input({ seq: 5 });
      c.input({ seq: 3 });
    },
  },
  { sends: 'unknown message id 99', code: CloseCode.UNKNOWN_MESSAGE, afterHello: false, send: bytes(encode([99])) },
  {
    sends: 'unknown message id 99 while playing',
    code: CloseCode.UNKNOWN_MESSAGE,
    afterHello: true,
    send: bytes(encode([99, 1, 0, 0, 0, 0, 0, 0, 0])),
  },
  {
    sends: 'a server message id (WELCOME)',
    code: CloseCode.UNKNOWN_MESSAGE,
    afterHello: false,
    send: bytes(encode([ServerMessageId.WELCOME])),
  },
  { sends: 'INPUT before HELLO', code: CloseCode.UNEXPECTED_MESSAGE, afterHello: false, send: (c) => c.input() },
  { sends: 'PING before HELLO', code: CloseCode.UNEXPECTED_MESSAGE, afterHello: false, send: (c) => c.ping(1, 0) },
  { sends: 'CHAT before HELLO', code: CloseCode.UNEXPECTED_MESSAGE, afterHello: false, send: (c) => c.chat('hi') },
  {
    sends: 'DEBUG_NUDGE to a server without --debug-state',
    code: CloseCode.UNEXPECTED_MESSAGE,
    afterHello: true,
    send: (c) => c.nudge(320, 0),
  },
  { sends: 'a second HELLO', code: CloseCode.UNEXPECTED_MESSAGE, afterHello: true, send: (c) => c.hello('again') },
];

/** What a seat case may use: the server, the honest players' room and a seat one of them used. */
interface SeatContext {
  serverUrl: string;
  roomId: string;
  usedSeat: string;
}

/** A HELLO whose seat the room refuses (PROTOCOL.md "Seats"), sent on a socket of the honest players' room. */
interface SeatCase {
  hello: string;
  code: CloseCode;
  seat(context: SeatContext): Promise<string>;
}

/** A seat of this room with the first character of its MAC changed (every bit of that one counts). */
function forged(seat: string): string {
  const dot = seat.indexOf('.');
  return `${seat.slice(0, dot + 1)}${seat[dot + 1] === 'A' ? 'B' : 'A'}${seat.slice(dot + 2)}`;
}

const seatCases: SeatCase[] = [
  { hello: 'no seat', code: CloseCode.SEAT_REFUSED, seat: async () => '' },
  { hello: 'a seat that is not a seat', code: CloseCode.SEAT_REFUSED, seat: async () => 'x'.repeat(100) },
  {
    hello: 'a seat not signed by this server',
    code: CloseCode.SEAT_REFUSED,
    seat: async ({ serverUrl, roomId }) => forged((await seatIn(serverUrl, roomId)).seat),
  },
  {
    hello: 'a seat for another room',
    code: CloseCode.SEAT_REFUSED,
    seat: async ({ serverUrl }) => (await createRoom(serverUrl)).seat,
  },
  { hello: 'a seat already used', code: CloseCode.SEAT_USED, seat: async ({ usedSeat }) => usedSeat },
];

/** The closes the server counts in /healthz, by code, as the tests below should leave them. */
// Two floods: one of inputs, one of WebSocket pings.
const expectedCloses: Record<number, number> = { [CloseCode.INPUT_FLOOD]: 2 };
for (const { code } of [...badCases, ...seatCases]) expectedCloses[code] = (expectedCloses[code] ?? 0) + 1;

describe('bad clients beside two honest players', () => {
  let server: ServerProcess;
  const honest: Player[] = [];
  /** The honest players' room: every bad client opens a socket there, with a seat of its own. */
  let room: Ticket;
  const door = () => seatIn(server.url, room.roomId);
  let startedMs = 0;

  beforeAll(async () => {
    server = await startServer([
      '--tick-rate',
      String(TICK_RATE),
      '--snapshot-rate',
      String(TICK_RATE),
      '--max-frame-bytes',
      String(MAX_FRAME_BYTES),
      // A bad client that joined and then went away without a 1000 is no player to keep for a
      // resume here: the count of players below is the two honest ones (the grace: resume.int.ts).
      '--reconnect-grace-ms',
      '0',
    ]);
    room = await createRoom(server.url);
    honest.push(await Player.join(room, 'honest-east'), await Player.join(await door(), 'honest-south'));
    honest[0]!.startInputs(1, 0);
    honest[1]!.startInputs(0, 1);
    await Promise.all(honest.map((player) => player.nextSnapshot()));
    startedMs = performance.now();
  });

  afterAll(async () => {
    await Promise.all(honest.map((player) => player.close().catch(() => {})));
    await server?.stop();
  });

  it.each(badCases.map((c) => [c.sends, c.code, closeCodeName(c.code), c] as const))(
    'a client sending %s is closed with %i %s',
    async (_sends, code, _name, { afterHello, send }) => {
      const client = afterHello ? await TestClient.join(await door(), 'bad') : await TestClient.connect(await door());
      send(client);
      const closed = await client.waitClosed();
      expect({ code: closed.code, name: closeCodeName(closed.code) }).toEqual({ code, name: closeCodeName(code) });
      expect(client.undecodable).toEqual([]);
    },
  );

  it.each(seatCases.map((c) => [c.hello, c.code, closeCodeName(c.code), c] as const))(
    'a HELLO with %s is closed with %i %s',
    async (_hello, code, _name, { seat }) => {
      const context = { serverUrl: server.url, roomId: room.roomId, usedSeat: room.seat };
      const client = await TestClient.connect({ wsUrl: room.wsUrl, seat: await seat(context) });
      client.hello('seatless', PROTOCOL_VERSION);
      const closed = await client.waitClosed();
      expect({ code: closed.code, name: closeCodeName(closed.code) }).toEqual({ code, name: closeCodeName(code) });
      expect(client.welcome).toBeUndefined();
    },
  );

  it(`a client sending inputs at 8× the tick rate is closed with ${CloseCode.INPUT_FLOOD} within 3 s`, async () => {
    const client = await TestClient.join(await door(), 'flooder');
    const sent = await sendOnSchedule({
      intervalMs: 1000 / (8 * TICK_RATE),
      durationMs: 3000,
      send: () => client.input({ moveX: 1 }),
      stopWhen: () => !client.isOpen,
    });
    const closed = await client.waitClosed();
    expect(closed.code).toBe(CloseCode.INPUT_FLOOD);
    // The guard allows a burst of 2 × tick rate frames: the flood got past it before being cut off.
    expect(sent).toBeGreaterThan(2 * TICK_RATE);
  });

  it(`a client sending WebSocket pings at 8× the tick rate is closed with ${CloseCode.INPUT_FLOOD} too`, async () => {
    const client = await TestClient.join(await door(), 'pinger');
    await sendOnSchedule({
      intervalMs: 1000 / (8 * TICK_RATE),
      durationMs: 3000,
      send: () => client.ws.ping(),
      stopWhen: () => !client.isOpen,
    });
    expect((await client.waitClosed()).code).toBe(CloseCode.INPUT_FLOOD);
  });

  it('a client sending a burst of 30 inputs (as after a 1 s stall), then one per tick for 2 s, stays connected', async () => {
    const client = await TestClient.join(await door(), 'stalled');
    await client.nextSnapshot();
    for (let i = 0; i < 30; i++) client.input({ moveX: -1 });
    await sendOnSchedule({
      intervalMs: 1000 / TICK_RATE,
      durationMs: 2000,
      send: () => client.input({ moveX: -1 }),
      stopWhen: () => !client.isOpen,
    });
    const lastSeq = client.input({ moveX: 0 });
    await client.nextSnapshot((s) => s.lastInputSeq === lastSeq, 5000, `lastInputSeq ${lastSeq}`);
    expect(client.closeInfo).toBeUndefined();
    expect((await client.close()).code).toBe(1000);
  });

  it('the honest players were never disconnected and got a snapshot every tick throughout', async () => {
    const endedMs = performance.now();
    for (const player of honest) {
      expect(player.closeInfo).toBeUndefined();
      expect(player.protocolErrors).toEqual([]);
      // Never skipped, so never a full snapshot after the first: every later one applied as a delta.
      expect(player.connection.stats.fullSnapshots).toBe(1);
      const arrivals = player.snapshots.items;
      const ticks = arrivals.map((a) => a.snapshot.tick);
      // Every tick's snapshot arrived, in order: tick numbers are consecutive (snapshot rate = tick rate).
      const skips = ticks.filter((tick, i) => i > 0 && tick !== ticks[i - 1]! + 1);
      expect(skips).toEqual([]);
      expect(ticks[ticks.length - 1]! - ticks[0]!).toBeGreaterThan(TICK_RATE);
      // Snapshots per second of the test, and no silence longer than a second.
      const perSecond = new Array<number>(Math.ceil((endedMs - startedMs) / 1000)).fill(0);
      for (const { atMs } of arrivals) if (atMs >= startedMs) perSecond[Math.floor((atMs - startedMs) / 1000)]! += 1;
      const times = [startedMs, ...arrivals.map((a) => a.atMs).filter((t) => t >= startedMs), endedMs];
      const longestGapMs = Math.max(...times.slice(1).map((t, i) => t - times[i]!));
      expect(longestGapMs, `snapshots per second: ${perSecond.join(', ')}`).toBeLessThanOrEqual(1000);
      // The server applied this player's inputs all along.
      expect(arrivals[arrivals.length - 1]!.snapshot.lastInputSeq).toBeGreaterThan(arrivals[0]!.snapshot.lastInputSeq);
    }
  });

  it('/healthz counts every close by its code and no dropped tick', async () => {
    const health = await getHealth(server);
    expect(health.closes).toEqual(expectedCloses);
    expect((health.ticks as { dropped: number }).dropped).toBe(0);
    expect(health.players).toBe(2);
  });
});
