// Room with fake sockets and a driven tick: join, inputs applied one per tick, snapshots, leave,
// and every bad frame closing only its own client.
import {
  ARENA_RULES,
  CloseCode,
  encodeClientMessage,
  NORMAL_CLOSURE,
  PROTOCOL_VERSION,
  ServerMessageId,
  step,
} from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import type { Session } from '../src/session/session.js';
import { makeRoom } from './support/fakeRoom.js';

const dt = 1 / 30;

describe('Room', () => {
  it('welcomes a player and lists it in every snapshot with its quantized state', () => {
    const t = makeRoom();
    const { socket } = t.connect('ann');
    const welcome = socket.received[0]!;
    expect(welcome).toMatchObject({
      id: ServerMessageId.WELCOME,
      protocolVersion: PROTOCOL_VERSION,
      playerId: 1,
      tickRate: 30,
    });
    t.ticks(3);
    const snapshots = socket.snapshots();
    expect(snapshots.map((s) => s.tick)).toEqual([1, 2, 3]);
    expect(snapshots[2]!.players).toHaveLength(1);
    expect(snapshots[2]!.players[0]).toMatchObject({ id: 1, vx: 0, vy: 0, hp: 100 });
  });

  it('applies one queued input per tick, in seq order, exactly as step() does', () => {
    const t = makeRoom();
    const { socket, session } = t.connect();
    const inputs: [number, number][] = [
      [1, 0],
      [0, 1],
      [-Math.SQRT1_2, Math.SQRT1_2],
    ];
    t.ticks(1);
    const start = socket.lastSnapshot().players[0]!;
    for (const [i, [x, y]] of inputs.entries()) t.input(session, i + 1, x, y);
    let expected = { x: start.x, y: start.y, vx: start.vx, vy: start.vy, angle: start.angle };
    for (let i = 0; i < inputs.length; i++) {
      t.ticks(1);
      expected = step(expected, { moveX: inputs[i]![0], moveY: inputs[i]![1] }, dt, ARENA_RULES);
      const snapshot = socket.lastSnapshot();
      expect(snapshot.lastInputSeq).toBe(i + 1);
      expect(snapshot.players[0]).toMatchObject(expected);
    }
  });

  it('repeats the latest input on a tick with none queued, and counts the tick as starved', () => {
    const t = makeRoom();
    const { socket, session } = t.connect();
    t.input(session, 1, 1, 0);
    t.ticks(1);
    const x1 = socket.lastSnapshot().players[0]!.x;
    t.ticks(2);
    const after = socket.lastSnapshot();
    expect(after.players[0]!.x).toBe(x1 + 2 * 107);
    expect(after.lastInputSeq).toBe(1);
    expect(t.room.inputTotals().starvedTicks).toBe(2);
  });

  it('does not count ticks before the first input as starved', () => {
    const t = makeRoom();
    t.connect();
    t.ticks(5);
    expect(t.room.inputTotals().starvedTicks).toBe(0);
  });

  it('drops the oldest inputs when the queue is full, and counts them', () => {
    const t = makeRoom({ inputQueue: 4 });
    const { socket, session } = t.connect();
    for (let seq = 1; seq <= 6; seq++) t.input(session, seq, 1, 0);
    t.ticks(1);
    expect(socket.lastSnapshot().lastInputSeq).toBe(3);
    expect(t.room.inputTotals().droppedInputs).toBe(2);
  });

  it('shows every player to every other player, and removes one that leaves', () => {
    const t = makeRoom();
    const a = t.connect('a');
    const b = t.connect('b');
    t.ticks(1);
    expect(
      a.socket
        .lastSnapshot()
        .players.map((p) => p.id)
        .sort(),
    ).toEqual([1, 2]);
    expect(
      b.socket
        .lastSnapshot()
        .players.map((p) => p.id)
        .sort(),
    ).toEqual([1, 2]);
    t.room.disconnected(b.session, NORMAL_CLOSURE);
    t.ticks(1);
    expect(a.socket.lastSnapshot().players.map((p) => p.id)).toEqual([1]);
    expect(t.room.playerCount).toBe(1);
  });

  it('sends each client its own lastInputSeq in a shared snapshot', () => {
    const t = makeRoom();
    const a = t.connect('a');
    const b = t.connect('b');
    t.input(a.session, 1, 1, 0);
    t.input(a.session, 2, 1, 0);
    t.input(b.session, 7, 0, 1);
    t.ticks(2);
    expect(a.socket.lastSnapshot().lastInputSeq).toBe(2);
    expect(b.socket.lastSnapshot().lastInputSeq).toBe(7);
    expect(a.socket.lastSnapshot().players).toEqual(b.socket.lastSnapshot().players);
  });

  it('sends snapshots at the snapshot rate when it is below the tick rate', () => {
    const t = makeRoom({ tickRate: 60, snapshotRate: 20 });
    const { socket } = t.connect();
    t.ticks(60);
    expect(socket.snapshots()).toHaveLength(20);
    expect(socket.snapshots()[0]!.tick).toBe(3);
  });

  it('refuses a player beyond the maximum with ROOM_FULL and keeps the others', () => {
    const t = makeRoom({ maxPlayers: 2 });
    const a = t.connect();
    t.connect();
    const c = t.connect();
    expect(c.socket.closed?.code).toBe(CloseCode.ROOM_FULL);
    t.ticks(1);
    expect(a.socket.closed).toBeUndefined();
    expect(a.socket.lastSnapshot().players).toHaveLength(2);
  });

  it('reuses a departed player’s id for the next join', () => {
    const t = makeRoom();
    const a = t.connect();
    t.connect();
    t.room.disconnected(a.session, NORMAL_CLOSURE);
    const c = t.connect();
    expect(c.socket.received[0]).toMatchObject({ playerId: 1 });
  });

  describe('closes only the offending client', () => {
    const cases: [string, (t: ReturnType<typeof makeRoom>, s: Session) => void, number][] = [
      ['a text frame', (t, s) => t.send(s, new TextEncoder().encode('hi'), false), CloseCode.TEXT_FRAME],
      ['undecodable bytes', (t, s) => t.send(s, new Uint8Array([0xc1])), CloseCode.UNDECODABLE],
      ['an unknown message id', (t, s) => t.send(s, new Uint8Array([0x91, 0x3f])), CloseCode.UNKNOWN_MESSAGE],
      [
        'a wrong protocol version',
        (t, s) => t.send(s, encodeClientMessage({ id: 1, protocolVersion: 99, name: '', seat: '' })),
        CloseCode.VERSION_MISMATCH,
      ],
      [
        // Version 8's HELLO has version 9's shape; its SNAPSHOT header would not read as 9's.
        'a HELLO of protocol 8 (the SNAPSHOT header before its head mask)',
        (t, s) => t.send(s, encodeClientMessage({ id: 1, protocolVersion: 8, name: 'old', seat: '' })),
        CloseCode.VERSION_MISMATCH,
      ],
      ['INPUT before HELLO', (t, s) => t.input(s, 1, 0, 0), CloseCode.UNEXPECTED_MESSAGE],
    ];
    it.each(cases)('%s before the handshake', (_name, act, code) => {
      const t = makeRoom();
      const honest = t.connect();
      const bad = t.openOnly();
      act(t, bad.session);
      expect(bad.socket.closed?.code).toBe(code);
      t.ticks(2);
      expect(honest.socket.closed).toBeUndefined();
      expect(honest.socket.lastSnapshot().tick).toBe(2);
    });

    const playingCases: [string, (t: ReturnType<typeof makeRoom>, s: Session) => void, number][] = [
      [
        'a second HELLO',
        (t, s) => t.send(s, encodeClientMessage({ id: 1, protocolVersion: PROTOCOL_VERSION, name: '', seat: '' })),
        CloseCode.UNEXPECTED_MESSAGE,
      ],
      [
        'a repeated input seq',
        (t, s) => {
          t.input(s, 5, 0, 0);
          t.input(s, 5, 0, 0);
        },
        CloseCode.INVALID_MESSAGE,
      ],
      ['an ack of a future tick', (t, s) => t.input(s, 1, 0, 0, 999), CloseCode.INVALID_MESSAGE],
    ];
    it.each(playingCases)('%s while playing, removing its player', (_name, act, code) => {
      const t = makeRoom();
      const honest = t.connect();
      const bad = t.connect();
      act(t, bad.session);
      expect(bad.socket.closed?.code).toBe(code);
      t.ticks(1);
      expect(honest.socket.lastSnapshot().players.map((p) => p.id)).toEqual([1]);
    });
  });

  it('closes a client that floods, and counts the close', () => {
    const t = makeRoom();
    const honest = t.connect();
    const bad = t.connect();
    for (let seq = 1; seq <= 100 && bad.socket.closed === undefined; seq++) t.input(bad.session, seq, 0, 0);
    expect(bad.socket.closed?.code).toBe(CloseCode.INPUT_FLOOD);
    expect(t.room.counters.closes[CloseCode.INPUT_FLOOD]).toBe(1);
    t.ticks(1);
    expect(honest.socket.closed).toBeUndefined();
  });

  it('closes sockets that never said HELLO once the handshake timeout passes', () => {
    const t = makeRoom({ handshakeTimeoutMs: 1000 });
    const silent = t.openOnly();
    const honest = t.connect();
    t.room.expireSessions(999);
    expect(silent.socket.closed).toBeUndefined();
    t.room.expireSessions(1001);
    expect(silent.socket.closed?.code).toBe(CloseCode.HANDSHAKE_TIMEOUT);
    expect(honest.socket.closed).toBeUndefined();
  });

  it('closes everyone with SERVER_SHUTDOWN on closeAll', () => {
    const t = makeRoom();
    const a = t.connect();
    const b = t.openOnly();
    t.room.closeAll(CloseCode.SERVER_SHUTDOWN, 'bye');
    expect([a.socket.closed?.code, b.socket.closed?.code]).toEqual([1001, 1001]);
    expect(t.room.sessionCount).toBe(0);
  });
});
