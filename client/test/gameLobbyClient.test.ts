// The page's lobby list: a full list then numbered changes kept in a LobbyMirror, one "resync" when a
// change was missed or a frame is not a lobby message, and reconnection with doubling backoff when
// the socket drops.
import type { LobbyRoom } from '@tickwire/protocol';
import { parseLobbyMessage } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { FIRST_RETRY_MS, LobbyClient, MAX_RETRY_MS } from '../src/game/lobby/lobbyClient.js';
import { FakeTextSocket, ManualClock } from './support/fakeTextSocket.js';

const room = (id: string, players = 1, createdAt = 1000): LobbyRoom => ({
  id,
  scenario: 'game',
  players,
  maxPlayers: 16,
  tickRate: 30,
  createdAt,
});

function lobby() {
  const clock = new ManualClock();
  const sockets: FakeTextSocket[] = [];
  let changes = 0;
  const client = new LobbyClient({
    url: 'ws://host/lobby',
    open: (url) => {
      const socket = new FakeTextSocket(url);
      sockets.push(socket);
      return socket;
    },
    schedule: clock.schedule,
    onChange: () => changes++,
  });
  return { client, clock, sockets, changes: () => changes, socket: () => sockets.at(-1)! };
}

describe('LobbyClient', () => {
  it('shows the full list, then applies numbered changes in order, oldest room first', () => {
    const { client, socket, changes } = lobby();
    client.start();
    expect(client.status).toBe('connecting');
    expect(socket().url).toBe('ws://host/lobby');
    socket().deliver({ type: 'rooms', seq: 4, rooms: [room('b', 2, 2000)] });
    expect(client.status).toBe('live');
    socket().deliver({
      type: 'changes',
      seq: 5,
      changes: [
        { op: 'add', room: room('a', 1, 1000) },
        { op: 'players', id: 'b', players: 3 },
      ],
    });
    expect(client.rooms.map((r) => [r.id, r.players])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
    socket().deliver({ type: 'changes', seq: 6, changes: [{ op: 'remove', id: 'a' }] });
    expect(client.rooms.map((r) => r.id)).toEqual(['b']);
    expect(socket().sent).toEqual([]);
    expect(changes()).toBeGreaterThanOrEqual(4);
  });

  it('sends "resync" once when a change message was missed, and takes the fresh list', () => {
    const { client, socket } = lobby();
    client.start();
    socket().deliver({ type: 'rooms', seq: 1, rooms: [room('a')] });
    socket().deliver({ type: 'changes', seq: 3, changes: [{ op: 'remove', id: 'a' }] });
    socket().deliver({ type: 'changes', seq: 4, changes: [] });
    expect(socket().sent).toEqual(['resync']);
    // Nothing out of order was applied.
    expect(client.rooms.map((r) => r.id)).toEqual(['a']);
    socket().deliver({ type: 'rooms', seq: 4, rooms: [room('c')] });
    socket().deliver({ type: 'changes', seq: 5, changes: [{ op: 'players', id: 'c', players: 5 }] });
    expect(client.rooms).toEqual([room('c', 5)]);
    // A later gap asks again.
    socket().deliver({ type: 'changes', seq: 9, changes: [] });
    expect(socket().sent).toEqual(['resync', 'resync']);
    expect(client.counts.resyncs).toBe(2);
  });

  it('asks for a resync on a frame that is not a lobby message, and keeps the list', () => {
    const { client, socket } = lobby();
    client.start();
    socket().deliver({ type: 'rooms', seq: 1, rooms: [room('a')] });
    socket().deliver('{not json');
    expect(socket().sent).toEqual(['resync']);
    expect(client.counts.badFrames).toBe(1);
    expect(client.rooms.map((r) => r.id)).toEqual(['a']);
  });

  it('reconnects after a drop with doubling delays, keeping the old list until a fresh one comes', () => {
    const { client, clock, sockets, socket } = lobby();
    client.start();
    socket().deliver({ type: 'rooms', seq: 1, rooms: [room('a')] });
    socket().drop();
    expect(client.status).toBe('reconnecting');
    expect(client.rooms.map((r) => r.id)).toEqual(['a']);
    clock.advance(FIRST_RETRY_MS - 1);
    expect(sockets).toHaveLength(1);
    clock.advance(1);
    expect(sockets).toHaveLength(2);
    // Still down: each retry waits twice as long, up to the maximum.
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      socket().drop();
      const before = sockets.length;
      let waited = 0;
      while (sockets.length === before) {
        clock.advance(100);
        waited += 100;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1000, 2000, 4000, MAX_RETRY_MS, MAX_RETRY_MS, MAX_RETRY_MS]);
    // A fresh list makes it live and resets the backoff.
    socket().deliver({ type: 'rooms', seq: 77, rooms: [] });
    expect(client.status).toBe('live');
    expect(client.rooms).toEqual([]);
    expect(client.retryMs).toBe(FIRST_RETRY_MS);
  });

  it('stop() closes the socket, cancels a pending retry, and start() opens a new one', () => {
    const { client, clock, sockets, socket } = lobby();
    client.start();
    const first = socket();
    client.stop();
    expect(first.closedWith).toBe(1000);
    expect(client.status).toBe('stopped');
    client.start();
    socket().drop();
    client.stop();
    clock.advance(60_000);
    expect(sockets).toHaveLength(2);
    expect(clock.pending).toBe(0);
  });
});

describe('parseLobbyMessage', () => {
  it('reads a full list and every kind of change', () => {
    expect(parseLobbyMessage(JSON.stringify({ type: 'rooms', seq: 0, rooms: [room('a')] }))).toEqual({
      type: 'rooms',
      seq: 0,
      rooms: [room('a')],
    });
    const changes = [
      { op: 'add', room: room('b') },
      { op: 'remove', id: 'a' },
      { op: 'players', id: 'b', players: 2 },
    ];
    expect(parseLobbyMessage(JSON.stringify({ type: 'changes', seq: 1, changes }))).toEqual({
      type: 'changes',
      seq: 1,
      changes,
    });
  });

  it.each([
    ['binary data', new Uint8Array([1, 2])],
    ['not JSON', '{'],
    ['no seq', JSON.stringify({ type: 'rooms', rooms: [] })],
    ['a negative seq', JSON.stringify({ type: 'rooms', seq: -1, rooms: [] })],
    ['an unknown type', JSON.stringify({ type: 'chat', seq: 1 })],
    ['a room without players', JSON.stringify({ type: 'rooms', seq: 1, rooms: [{ ...room('a'), players: 'x' }] })],
    ['an overlong id', JSON.stringify({ type: 'changes', seq: 1, changes: [{ op: 'remove', id: 'x'.repeat(65) }] })],
    ['an unknown op', JSON.stringify({ type: 'changes', seq: 1, changes: [{ op: 'rename', id: 'a' }] })],
  ])('refuses %s', (_, data) => {
    expect(parseLobbyMessage(data)).toBeUndefined();
  });
});
