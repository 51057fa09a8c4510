// The in-memory room directory on a fake clock: listing, lookups, the fullest-joinable fill rule and
// reservations that never go over maxPlayers.
import { describe, expect, it } from 'vitest';
import { InMemoryDirectory, type NewRoom } from '../src/rooms/directory.js';

function room(id: string, over: Partial<NewRoom> = {}): NewRoom {
  return {
    id,
    scenario: 'arena',
    maxPlayers: 4,
    tickRate: 30,
    viewRadius: 0,
    createdAt: 0,
    private: false,
    code: undefined,
    ...over,
  };
}
const seat = (nonce: string, expiresAtMs = 15_000) => ({ nonce, expiresAtMs });

describe('InMemoryDirectory', () => {
  it('lists public rooms oldest first, with players and pending seats, and hides private ones', async () => {
    const d = new InMemoryDirectory();
    await d.add(room('b', { createdAt: 2 }), seat('n1'));
    await d.add(room('a', { createdAt: 1 }), undefined);
    await d.add(room('p', { private: true, code: 'AB3K7M' }), undefined);
    await d.updateOccupancy('a', 3);
    const rooms = await d.listPublic(0);
    expect(rooms.map((r) => [r.id, r.players, r.pending])).toEqual([
      ['a', 3, 0],
      ['b', 0, 1],
    ]);
  });

  it('finds a room by id and by code, and forgets both when it is removed', async () => {
    const d = new InMemoryDirectory();
    await d.add(room('p', { private: true, code: 'AB3K7M' }), undefined);
    expect((await d.get('p', 0))?.code).toBe('AB3K7M');
    expect((await d.findByCode('AB3K7M', 0))?.id).toBe('p');
    await d.remove('p');
    expect(await d.get('p', 0)).toBeUndefined();
    expect(await d.findByCode('AB3K7M', 0)).toBeUndefined();
    expect(d.size).toBe(0);
  });

  it('refuses a second room with the same id or code', async () => {
    const d = new InMemoryDirectory();
    expect(await d.add(room('a', { code: 'AB3K7M' }), undefined)).toBe('added');
    expect(await d.add(room('a'), undefined)).toBe('id-taken');
    expect(await d.add(room('b', { code: 'AB3K7M' }), undefined)).toBe('code-taken');
  });

  it('picks the fullest public room with a free seat, so matches are compact', async () => {
    const d = new InMemoryDirectory();
    for (const [id, players] of [
      ['empty', 0],
      ['half', 2],
      ['most', 3],
      ['full', 4],
    ] as const) {
      await d.add(room(id), undefined);
      await d.updateOccupancy(id, players);
    }
    expect((await d.findJoinable({ scenario: 'arena' }, 0))?.id).toBe('most');
  });

  it('counts pending seats toward fullness and toward the cap', async () => {
    const d = new InMemoryDirectory();
    await d.add(room('a'), undefined);
    await d.add(room('b'), undefined);
    await d.updateOccupancy('a', 2);
    await d.reserveSeat('b', seat('x'), 0);
    await d.reserveSeat('b', seat('y'), 0);
    await d.reserveSeat('b', seat('z'), 0);
    expect((await d.findJoinable({ scenario: 'arena' }, 0))?.id).toBe('b');
    await d.reserveSeat('b', seat('w'), 0);
    expect((await d.findJoinable({ scenario: 'arena' }, 0))?.id).toBe('a');
    // Once the seats expire, b is empty again and a is the fuller.
    expect((await d.get('b', 15_000))?.pending).toBe(0);
  });

  it('matches the scenario and, when given, the size; never a private room', async () => {
    const d = new InMemoryDirectory();
    await d.add(room('game4', { scenario: 'game' }), undefined);
    await d.add(room('arena8', { maxPlayers: 8 }), undefined);
    await d.add(room('secret', { private: true, code: 'AB3K7M' }), undefined);
    expect((await d.findJoinable({ scenario: 'game' }, 0))?.id).toBe('game4');
    expect((await d.findJoinable({ scenario: 'arena', maxPlayers: 8 }, 0))?.id).toBe('arena8');
    expect(await d.findJoinable({ scenario: 'arena', maxPlayers: 4 }, 0)).toBeUndefined();
  });

  it('breaks a tie in fullness toward the older room', async () => {
    const d = new InMemoryDirectory();
    await d.add(room('new', { createdAt: 5 }), undefined);
    await d.add(room('old', { createdAt: 1 }), undefined);
    expect((await d.findJoinable({ scenario: 'arena' }, 0))?.id).toBe('old');
  });

  it('reserves a seat only while players + pending < maxPlayers', async () => {
    const d = new InMemoryDirectory();
    await d.add(room('a', { maxPlayers: 2 }), seat('first'));
    await d.updateOccupancy('a', 1);
    expect((await d.reserveSeat('a', seat('x'), 0)).ok).toBe(false);
    expect(await d.reserveSeat('zzz', seat('x'), 0)).toEqual({ ok: false, reason: 'no-such-room' });
    d.seatsOf('a')!.claim('first', 0);
    await d.updateOccupancy('a', 1);
    expect((await d.reserveSeat('a', seat('x'), 0)).ok).toBe(true);
    expect(await d.reserveJoinable({ scenario: 'arena' }, seat('y'), 0)).toBeUndefined();
  });

  it('never lets concurrent reservations overfill a room', async () => {
    const d = new InMemoryDirectory();
    await d.add(room('a', { maxPlayers: 8 }), undefined);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => d.reserveJoinable({ scenario: 'arena' }, seat(`n${i}`), 0)),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(8);
    expect((await d.get('a', 0))?.pending).toBe(8);
  });
});
