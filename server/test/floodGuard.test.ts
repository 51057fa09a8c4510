// FloodGuard: bursts after a stall pass, a sustained rate well above the tick rate does not.
import { describe, expect, it } from 'vitest';
import { FloodGuard } from '../src/session/floodGuard.js';

/** Send `perSecond` frames a second for `seconds`, starting at `startMs`; returns the ms of the first refusal. */
function sustain(guard: FloodGuard, perSecond: number, seconds: number, startMs = 0): number | undefined {
  const interval = 1000 / perSecond;
  for (let t = startMs; t < startMs + seconds * 1000; t += interval) {
    if (!guard.take(t)) return t - startMs;
  }
  return undefined;
}

describe('FloodGuard (30 Hz defaults: burst 60, 60 per second)', () => {
  it('lets an honest client at the tick rate through forever', () => {
    expect(sustain(new FloodGuard(60, 60, 0), 30, 120)).toBeUndefined();
  });

  it('lets a one-second burst after a stall through, then the normal rate', () => {
    const guard = new FloodGuard(60, 60, 0);
    for (let i = 0; i < 30; i++) expect(guard.take(1000)).toBe(true);
    expect(sustain(guard, 30, 10, 1000)).toBeUndefined();
  });

  it('refuses a rate of 4× the tick rate after about a second', () => {
    const refusedAt = sustain(new FloodGuard(60, 60, 0), 120, 5);
    expect(refusedAt).toBeDefined();
    expect(refusedAt!).toBeGreaterThanOrEqual(900);
    expect(refusedAt!).toBeLessThanOrEqual(1100);
  });

  it('refuses a flood of frames all at one instant once the burst is spent', () => {
    const guard = new FloodGuard(60, 60, 0);
    let accepted = 0;
    while (guard.take(5)) accepted++;
    expect(accepted).toBe(60);
  });
});
