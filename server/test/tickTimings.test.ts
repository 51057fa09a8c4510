// Tick timings of a driven room: every phase recorded once per tick (snapshot phases once per
// snapshot tick), per-system times adding up to world.execute, overruns, and --tick-timing false.
import { describe, expect, it } from 'vitest';
import { diffHistograms } from '../src/stats/histogramSnapshot.js';
import { makeCrowdRoom } from './support/crowdRoom.js';

/** A clock that moves `stepMs` on every read: durations become exact multiples of it. */
function steppingClock(stepMs: number): () => number {
  let t = 0;
  return () => {
    t += stepMs;
    return t;
  };
}

describe('TickTimings of a room', () => {
  it('records every phase once per tick, snapshot phases once per snapshot tick, per system by class name', () => {
    const crowd = makeCrowdRoom(5, { tickRate: 30, snapshotRate: 10 });
    crowd.ticks(30);
    const h = crowd.room.timings.snapshots();
    expect(Object.keys(h)).toEqual([
      'tickMs',
      'latenessMs',
      'worldExecuteMs',
      'snapshotCaptureMs',
      'snapshotEncodeMs',
      'snapshotSendMs',
      'system.InputSystem',
      'system.RespawnSystem',
      'system.MovementSystem',
      'system.HistorySystem',
      'system.ProjectileSystem',
      'system.WeaponSystem',
    ]);
    for (const name of ['tickMs', 'latenessMs', 'worldExecuteMs', 'system.InputSystem', 'system.WeaponSystem']) {
      expect(h[name]!.count, name).toBe(30);
    }
    for (const name of ['snapshotCaptureMs', 'snapshotEncodeMs', 'snapshotSendMs'])
      expect(h[name]!.count, name).toBe(10);
  });

  it('adds up the per-system times to within 10 % of world.execute at arena-200 load', () => {
    const crowd = makeCrowdRoom(200);
    crowd.ticks(60); // warm-up: JIT and first snapshots
    // Five windows of 100 ticks; one GC pause or preemption of several ms that lands between two
    // systems can spoil one window's sum, so the median window is judged.
    const ratios: number[] = [];
    for (let w = 0; w < 5; w++) {
      const before = crowd.room.timings.snapshots();
      crowd.ticks(100);
      const after = crowd.room.timings.snapshots();
      const window = (name: string) => diffHistograms(after[name]!, before[name]!);
      const world = window('worldExecuteMs').sumMs;
      const systems = Object.keys(after)
        .filter((name) => name.startsWith('system.'))
        .reduce((sum, name) => sum + window(name).sumMs, 0);
      // Each system's interval lies inside world.execute's, so the sum can only fall short, by ecsy's own bookkeeping.
      expect(systems).toBeLessThanOrEqual(world);
      // And the tick contains the world and the snapshot phases.
      const phases =
        world + window('snapshotCaptureMs').sumMs + window('snapshotEncodeMs').sumMs + window('snapshotSendMs').sumMs;
      expect(phases).toBeLessThanOrEqual(window('tickMs').sumMs);
      ratios.push(systems / world);
    }
    const median = [...ratios].sort((a, b) => a - b)[2]!;
    expect(
      median,
      `systems / world.execute per window: ${ratios.map((r) => r.toFixed(3)).join(', ')}`,
    ).toBeGreaterThanOrEqual(0.9);
  });

  it('records lateness as start minus due time', () => {
    const crowd = makeCrowdRoom(1);
    crowd.ticks(3, 7.5);
    const lateness = crowd.room.timings.latenessMs;
    expect(lateness.count).toBe(3);
    expect(lateness.max).toBe(7.5);
    expect(lateness.quantile(0.5)).toBe(7.5);
  });

  it('counts a tick longer than the tick period as an overrun', () => {
    // Without phase timing a tick reads the clock at its start and its end: each tick lasts one step.
    const slow = makeCrowdRoom(1, { tickRate: 30, tickTiming: false }, steppingClock(40));
    slow.ticks(10);
    expect(slow.room.timings.tickMs.max).toBe(40);
    expect(slow.room.timings.overruns).toBe(10);
    const fast = makeCrowdRoom(1, { tickRate: 30, tickTiming: false }, steppingClock(0.001));
    fast.ticks(10);
    expect(fast.room.timings.overruns).toBe(0);
  });

  it('splits a snapshot into capture, body encodes and the rest of the send', () => {
    // A clock that moves 1 ms per read: each body encode reads it twice, so encode time = 1 ms per body.
    const crowd = makeCrowdRoom(3, { snapshotRate: 30 }, steppingClock(1));
    crowd.ticks(5);
    const timings = crowd.room.timings;
    const bodies = crowd.room.snapshots.counters.bodyEncodes;
    expect(timings.snapshotEncodeMs.sumMs).toBe(bodies);
    expect(timings.snapshotCaptureMs.sumMs).toBe(5);
    expect(timings.snapshotSendMs.count).toBe(5);
  });

  it('with --tick-timing false times only the whole tick and its lateness', () => {
    const crowd = makeCrowdRoom(5, { tickTiming: false });
    crowd.ticks(10);
    const h = crowd.room.timings.snapshots();
    expect(h.tickMs!.count).toBe(10);
    expect(h.latenessMs!.count).toBe(10);
    for (const name of ['worldExecuteMs', 'snapshotCaptureMs', 'snapshotEncodeMs', 'snapshotSendMs']) {
      expect(h[name]!.count, name).toBe(0);
    }
    expect(Object.keys(h).filter((name) => name.startsWith('system.'))).toEqual([]);
  });
});
