// The rewind rule and the position history behind lag compensation: clamping a claimed view to
// [T − R, T], interpolating a target between the two ticks around it, and forgetting what it must.
import { describe, expect, it } from 'vitest';
import { LagHistory, rewindTick } from '../src/sim/combat/lagHistory.js';

describe('rewindTick', () => {
  it('takes the claimed view when it is within the limit', () => {
    expect(rewindTick(100, 96.4, 7.5, true)).toBe(96.4);
    expect(rewindTick(100, 92.5, 7.5, true)).toBe(92.5);
    expect(rewindTick(100, 100, 7.5, true)).toBe(100);
  });

  it('clamps a view older than the limit to the limit, T − maxRewindTicks', () => {
    expect(rewindTick(100, 92.4, 7.5, true)).toBe(92.5);
    expect(rewindTick(100, 1, 7.5, true)).toBe(92.5);
    expect(rewindTick(100, 50, 0, true)).toBe(100);
  });

  it('clamps a view in the future to the present, T', () => {
    expect(rewindTick(100, 100.5, 7.5, true)).toBe(100);
    expect(rewindTick(100, 4294967295, 7.5, true)).toBe(100);
  });

  it('uses the present for no view (0) and when lag compensation is off', () => {
    expect(rewindTick(100, 0, 7.5, true)).toBe(100);
    expect(rewindTick(100, 96.4, 7.5, false)).toBe(100);
  });
});

describe('LagHistory', () => {
  /** Player 3 (life 1) moving 100 quanta east per tick from x = 1000 at tick 10, y fixed. */
  function moving(size = 8, fromTick = 10, toTick = 14): LagHistory {
    const history = new LagHistory(size, 8);
    for (let tick = fromTick; tick <= toTick; tick++) {
      history.begin(tick);
      history.record(tick, 3, 1, 1000 + (tick - fromTick) * 100, 500);
    }
    return history;
  }

  it('gives a whole tick exactly, and a fractional one interpolated between floor and ceil', () => {
    const history = moving();
    const out = { x: 0, y: 0 };
    expect(history.positionAt(3, 1, 12, out)).toBe(true);
    expect(out).toEqual({ x: 1200, y: 500 });
    expect(history.positionAt(3, 1, 12.25, out)).toBe(true);
    expect(out).toEqual({ x: 1225, y: 500 });
    expect(history.positionAt(3, 1, 13.9, out)).toBe(true);
    expect(out.x).toBeCloseTo(1390, 9);
  });

  it('has no position for a tick not held, another life of the id, or an id not recorded (dead)', () => {
    const history = moving();
    const out = { x: -1, y: -1 };
    expect(history.positionAt(3, 1, 14.5, out)).toBe(false); // tick 15 not recorded yet
    expect(history.positionAt(3, 1, 9.5, out)).toBe(false); // tick 9 never recorded
    expect(history.positionAt(3, 2, 12, out)).toBe(false); // a later life of id 3
    expect(history.positionAt(4, 1, 12, out)).toBe(false);
    expect(history.positionAt(99, 1, 12, out)).toBe(false); // above maxId
    expect(out).toEqual({ x: -1, y: -1 });
  });

  it('does not interpolate into a tick where the player was not alive', () => {
    const history = moving();
    history.begin(15); // tick 15: player 3 dead, not recorded
    const out = { x: 0, y: 0 };
    expect(history.positionAt(3, 1, 14, out)).toBe(true);
    expect(history.positionAt(3, 1, 14.5, out)).toBe(false);
  });

  it('forgets a tick once `size` newer ones are recorded, and reports the oldest held', () => {
    const history = moving(4, 10, 14);
    expect(history.oldestTick).toBe(11);
    expect(history.newestTick).toBe(14);
    expect(history.positionAt(3, 1, 10, { x: 0, y: 0 })).toBe(false);
    expect(history.positionAt(3, 1, 11, { x: 0, y: 0 })).toBe(true);
  });
});
