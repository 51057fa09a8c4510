// Seats outstanding per address: capped while unexpired, freed by expiry, loopback exempt, and the
// matchmaker answering 429 past the cap (a room cannot be held full by HTTP calls alone).
import { describe, expect, it } from 'vitest';
import { SeatQuota } from '../src/rooms/seatQuota.js';
import { makeHostedRooms } from './support/hostedRooms.js';

describe('SeatQuota', () => {
  it('allows an address its cap of unexpired seats, and one more once one expires', () => {
    const quota = new SeatQuota(2);
    quota.add('a', 15_000, 0);
    quota.add('a', 16_000, 1000);
    expect(quota.allows('a', 1000)).toBe(false);
    expect(quota.allows('b', 1000)).toBe(true);
    expect(quota.allows('a', 15_000)).toBe(true);
    expect(quota.allows(undefined, 0)).toBe(true);
  });

  it('forgets addresses whose seats all expired', () => {
    const quota = new SeatQuota(2);
    for (let i = 0; i < 100; i++) quota.add(`k${i}`, 10, 0);
    for (let i = 0; i < 100; i++) quota.allows(`k${i}`, 10);
    expect(quota.tracked).toBe(0);
  });
});

describe('the matchmaker with a seat quota', () => {
  it('answers 429 too-many-requests to an address past its seats, whatever the room', async () => {
    const t = makeHostedRooms();
    const epoch = 1_800_000_000_000;
    const room = await t.ask({ mode: 'create', maxPlayers: 64 });
    for (let i = 0; i < 8; i++) {
      expect((await t.matchmaker.matchmake({ mode: 'join', roomId: room.roomId }, 'v4:203.0.113.9', epoch)).ok).toBe(
        true,
      );
    }
    expect(await t.matchmaker.matchmake({ mode: 'joinOrCreate' }, 'v4:203.0.113.9', epoch)).toMatchObject({
      ok: false,
      error: 'too-many-requests',
    });
    expect((await t.matchmaker.matchmake({ mode: 'joinOrCreate' }, 'v4:198.51.100.1', epoch)).ok).toBe(true);
    expect((await t.matchmaker.matchmake({ mode: 'joinOrCreate' }, 'v4:203.0.113.9', epoch + 15_000)).ok).toBe(true);
  });
});
