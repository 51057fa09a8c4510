// A room's big pieces are allocated when first used, not when the room is made: an empty room holds
// no projectile entities, no lag-history positions, no snapshot states and no histogram buckets.
// Once used they behave as before (the room, projectile, lag and timing tests run on them).
import { Button } from '@tickwire/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MsHistogram } from '../src/stats/histogram.js';
import { makeRoom } from './support/fakeRoom.js';

describe('memory of a room', () => {
  it('allocates no projectiles, positions, snapshot states or histogram buckets before anyone plays', () => {
    const { room } = makeRoom({ maxPlayers: 16 });
    expect(room.game.projectiles!.allocated).toBe(0);
    expect(room.game.projectiles!.size).toBe(32);
    expect(room.game.history.allocated).toBe(false);
    expect(room.snapshots.ring.allocated).toBe(0);
    for (const [name, histogram] of [
      ['tickMs', room.timings.tickMs],
      ['latenessMs', room.timings.latenessMs],
      ['worldExecuteMs', room.timings.worldExecuteMs],
      ['snapshotEncodeMs', room.timings.snapshotEncodeMs],
    ] as const) {
      expect(histogram.allocatedBuckets, name).toBe(0);
    }
  });

  it('creates them as play needs them: one projectile per shot in flight, one state per snapshot slot', () => {
    const t = makeRoom({ maxPlayers: 16, snapshotRate: 30, tickRate: 30 });
    const { session } = t.connect('shooter');
    t.ticks(1);
    t.input(session, 1, 0, 0, 0, { buttons: Button.SECONDARY, aimAngle: 0 });
    t.ticks(3);
    expect(t.room.game.projectiles!.allocated).toBe(1);
    expect(t.room.game.projectiles!.active).toHaveLength(1);
    expect(t.room.game.history.allocated).toBe(true);
    expect(t.room.snapshots.ring.allocated).toBe(4);
    t.ticks(60);
    // A full ring holds one state per slot, as the preallocated ring did.
    expect(t.room.snapshots.ring.allocated).toBe(t.room.snapshots.ring.size);
  });
});

describe('MsHistogram buckets', () => {
  it('holds buckets only up to the largest sample: 5 ms ticks need ~500 of 100 001', () => {
    const histogram = new MsHistogram(1000, 0.01);
    for (let i = 0; i < 100; i++) histogram.record(5 * Math.random());
    expect(histogram.allocatedBuckets).toBeGreaterThan(0);
    expect(histogram.allocatedBuckets).toBeLessThanOrEqual(1024);
  });

  it('snapshots the same buckets as counting every sample by hand, overflow included, in buckets sized by the largest', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 150, noNaN: true }), { maxLength: 200 }), (samples) => {
        const histogram = new MsHistogram(100, 0.01);
        const expected = new Map<number, number>();
        for (const ms of samples) {
          histogram.record(ms);
          const index = Math.min(10_000, Math.floor((ms > 0 ? ms : 0) * 100));
          expected.set(index, (expected.get(index) ?? 0) + 1);
        }
        const buckets = [...expected.entries()].sort((a, b) => a[0] - b[0]);
        expect(histogram.snapshot().buckets).toEqual(buckets);
        expect(histogram.count).toBe(samples.length);
        const below = buckets.filter(([index]) => index < 10_000).map(([index]) => index);
        const largest = below.length === 0 ? -1 : Math.max(...below);
        // Doubling growth: enough for the largest, never more than twice it (or the first 128).
        if (largest < 0) expect(histogram.allocatedBuckets).toBe(0);
        else {
          expect(histogram.allocatedBuckets).toBeGreaterThan(largest);
          expect(histogram.allocatedBuckets).toBeLessThanOrEqual(Math.min(10_000, Math.max(128, 2 * (largest + 1))));
        }
      }),
    );
  });
});
