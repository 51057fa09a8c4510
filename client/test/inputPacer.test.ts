// InputPacer against a model of the server's input queue: it keeps the queue near its target over
// a jittery link, never starves it once settled, and stays within its rate bounds.
import { mulberry32 } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { InputPacer, MAX_RATE_CHANGE } from '../src/net/inputPacer.js';

const TICK_MS = 1000 / 30;

/** Simulate `seconds` of a client pacing inputs over a link with one-way `latency` ± `jitter` ms (in order). */
function simulate(seconds: number, latency: number, jitter: number, seed: number, clientClockRate = 1) {
  const random = mulberry32(seed);
  const pacer = new InputPacer(TICK_MS);
  const arrivals: number[] = [];
  let lastArrival = 0;
  let queue = 0;
  let starved = 0;
  let starvedAfterSettling = 0;
  const depths: number[] = [];
  const reports: { at: number; depth: number; starved: number }[] = [];
  let nextTick = TICK_MS;
  for (let t = 0; t < seconds * 1000; t += 1) {
    // The client's frames run on its own clock (possibly a little fast or slow).
    const sends = pacer.due(t * clientClockRate);
    for (let i = 0; i < sends; i++) {
      lastArrival = Math.max(lastArrival, t + latency + random() * jitter);
      arrivals.push(lastArrival);
    }
    while (arrivals.length > 0 && arrivals[0]! <= t) {
      arrivals.shift();
      queue++;
    }
    if (t >= nextTick) {
      nextTick += TICK_MS;
      if (queue > 0) queue--;
      else {
        starved++;
        if (t > 5000) starvedAfterSettling++;
      }
      depths.push(queue);
      reports.push({ at: t + latency + random() * jitter, depth: queue, starved });
    }
    while (reports.length > 0 && reports[0]!.at <= t) {
      const report = reports.shift()!;
      pacer.observe(report.depth, report.starved);
    }
    expect(pacer.scale).toBeGreaterThanOrEqual(1 - MAX_RATE_CHANGE - 1e-9);
    expect(pacer.scale).toBeLessThanOrEqual(1 + MAX_RATE_CHANGE + 1e-9);
  }
  const settled = depths.slice(Math.floor(depths.length / 2));
  return {
    meanDepth: settled.reduce((a, b) => a + b, 0) / settled.length,
    maxDepth: Math.max(...settled),
    starvedAfterSettling,
  };
}

describe('InputPacer', () => {
  it.each([1, 2, 3, 4, 5])(
    'keeps the server queue shallow and never starved once settled, 150 ± 30 ms link (seed %i)',
    (seed) => {
      const result = simulate(30, 150, 30, seed);
      expect(result.starvedAfterSettling).toBe(0);
      expect(result.meanDepth).toBeLessThan(3.5);
    },
  );

  it('absorbs a client clock running 2 % fast or slow without the queue growing or starving', () => {
    for (const rate of [0.98, 1.02]) {
      const result = simulate(30, 100, 10, 9, rate);
      expect(result.starvedAfterSettling).toBe(0);
      expect(result.maxDepth).toBeLessThan(6);
    }
  });
});
