// The lobby feed on a fake clock: numbered changes, the first at once and then at most one per 250 ms,
// coalescing per room, snapshots that chain exactly, and a client that detects a gap.

import { LobbyMirror, type LobbyRoom } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { LobbyFeed } from '../src/rooms/lobbyFeed.js';

const room = (id: string, players = 0): LobbyRoom => ({
  id,
  scenario: 'arena',
  players,
  maxPlayers: 8,
  tickRate: 30,
  createdAt: 0,
});

describe('LobbyFeed', () => {
  it('sends the first change at once, numbered 1', () => {
    const feed = new LobbyFeed();
    feed.roomAdded(room('a'));
    expect(feed.dueAtMs()).toBeLessThanOrEqual(1000);
    expect(feed.flush(1000)).toEqual({ type: 'changes', seq: 1, changes: [{ op: 'add', room: room('a') }] });
  });

  it('turns a whole list from the cluster into the changes it makes (a resync after Redis came back)', () => {
    const feed = new LobbyFeed();
    feed.roomAdded(room('a'));
    feed.roomAdded(room('b', 2));
    feed.flush(1000);
    feed.replaceAll([room('b', 3), room('c')]);
    const message = feed.flush(2000);
    expect(message?.changes).toEqual(
      expect.arrayContaining([
        { op: 'remove', id: 'a' },
        { op: 'players', id: 'b', players: 3 },
        { op: 'add', room: room('c') },
      ]),
    );
    expect(message?.changes).toHaveLength(3);
    expect(
      feed
        .snapshot()
        .rooms.map((r) => r.id)
        .sort(),
    ).toEqual(['b', 'c']);
  });

  it('sends later changes at most once per 250 ms, numbered in order', () => {
    const feed = new LobbyFeed();
    feed.roomAdded(room('a'));
    feed.flush(1000);
    feed.playersChanged('a', 1);
    expect(feed.dueAtMs()).toBe(1250);
    expect(feed.flush(1249)).toBeUndefined();
    expect(feed.flush(1250)?.seq).toBe(2);
    expect(feed.dueAtMs()).toBeUndefined();
  });

  it("coalesces a room's changes inside one window into its last state", () => {
    const feed = new LobbyFeed();
    feed.roomAdded(room('a'));
    feed.flush(0);
    for (let players = 1; players <= 5; players++) feed.playersChanged('a', players);
    feed.playersChanged('a', 4);
    expect(feed.flush(250)?.changes).toEqual([{ op: 'players', id: 'a', players: 4 }]);
  });

  it('sends nothing for a room added and removed inside one window, or changed and changed back', () => {
    const feed = new LobbyFeed();
    feed.roomAdded(room('a', 2));
    feed.flush(0);
    feed.roomAdded(room('brief'));
    feed.roomRemoved('brief');
    feed.playersChanged('a', 3);
    feed.playersChanged('a', 2);
    expect(feed.flush(250)).toBeUndefined();
    expect(feed.snapshot().seq).toBe(1);
  });

  it('gives a snapshot of what was published, so snapshot N then changes N+1… equals the feed', () => {
    const feed = new LobbyFeed();
    feed.roomAdded(room('a'));
    feed.roomAdded(room('b'));
    feed.flush(0);
    feed.playersChanged('a', 3); // not yet sent
    const snapshot = feed.snapshot();
    expect(snapshot).toEqual({ type: 'rooms', seq: 1, rooms: [room('a'), room('b')] });
    const mirror = new LobbyMirror();
    mirror.apply(snapshot);
    feed.roomRemoved('b');
    expect(mirror.apply(feed.flush(250)!)).toBe('ok');
    expect([...mirror.rooms.values()]).toEqual([room('a', 3)]);
  });
});

describe('LobbyMirror', () => {
  it('detects a missed message and recovers from the full list', () => {
    const feed = new LobbyFeed();
    const mirror = new LobbyMirror();
    mirror.apply(feed.snapshot());
    feed.roomAdded(room('a'));
    const first = feed.flush(0)!;
    feed.roomAdded(room('b'));
    feed.flush(250); // lost on the way
    feed.playersChanged('a', 1);
    const third = feed.flush(500)!;
    expect(mirror.apply(first)).toBe('ok');
    expect(mirror.apply(third)).toBe('resync');
    expect(mirror.rooms.get('a')?.players).toBe(0);
    expect(mirror.apply(feed.snapshot())).toBe('ok');
    expect([...mirror.rooms.keys()].sort()).toEqual(['a', 'b']);
    expect(mirror.rooms.get('a')?.players).toBe(1);
  });

  it('asks for the list when a change arrives before any list', () => {
    expect(new LobbyMirror().apply({ type: 'changes', seq: 1, changes: [] })).toBe('resync');
  });
});
