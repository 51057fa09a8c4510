// Capacity search steps, driven with made-up step outcomes: the ladder, the bisection, the stops,
// and a conclusion that says plainly when the bots were the limit.
import { describe, expect, it } from 'vitest';
import {
  type CapacityPlan,
  conclude,
  DEFAULT_PLAN,
  failedStep,
  judgeStep,
  nextBotCount,
  type StepVerdict,
} from '../src/capacity.js';
import { fakeResult } from './fixtures.js';

const BUDGET = 1000 / 30;

/** A made-up step outcome at `bots`: held by default, with fixed figures. */
function step(bots: number, o: Partial<StepVerdict> = {}): StepVerdict {
  const held = o.held ?? true;
  return {
    bots,
    held,
    botsSaturated: false,
    reasons: held ? [] : [`tick p99 40 ms > budget ${BUDGET} ms`],
    saturation: null,
    budgetMs: BUDGET,
    tickP99Ms: held ? 10 : 40,
    tickMaxMs: held ? 12 : 60,
    serverCpu: 0.5,
    botsCpu: 0.4,
    otherCpu: 0.01,
    disconnects: 0,
    ...o,
  };
}

/** Runs the search against a server that holds up to `capacity` bots; returns the counts tried. */
function search(capacity: number, plan: CapacityPlan = DEFAULT_PLAN, saturateAt = Number.POSITIVE_INFINITY) {
  const steps: StepVerdict[] = [];
  for (let next = nextBotCount(plan, steps); next !== null; next = nextBotCount(plan, steps)) {
    steps.push(
      step(next, {
        held: next <= capacity,
        botsSaturated: next >= saturateAt,
        saturation: next >= saturateAt ? 'bots CPU 0.95 s/s ≥ 0.9 (one core)' : null,
      }),
    );
  }
  return { tried: steps.map((s) => s.bots), steps, conclusion: conclude(plan, steps) };
}

describe('nextBotCount', () => {
  it('climbs 50, 100, 200, then by 100 while every step holds', () => {
    const plan = { ...DEFAULT_PLAN, maxSteps: 7 };
    expect(search(10_000, plan).tried).toEqual([50, 100, 200, 300, 400, 500, 600]);
  });

  it('bisects between the last count that held and the first that failed, to the resolution', () => {
    const { tried, conclusion } = search(430);
    // Midpoints are rounded to 5 bots; 425 and 440 are 15 apart, within the 20-bot resolution.
    expect(tried).toEqual([50, 100, 200, 300, 400, 500, 450, 425, 440]);
    expect(conclusion).toMatchObject({ capacity: 425, limit: 'server' });
    expect(conclusion.sentence).toMatch(
      /^Capacity 425 bots: the largest count that held is 425 bots \(tick p99 10 ms of 33\.33 ms, server CPU 0\.50 s\/s, bots CPU 0\.40 s\/s\); at 440 bots tick p99 40 ms > budget/,
    );
  });

  it('bisects below the first ladder step when even 50 fails, to within 10 % there', () => {
    const { tried, conclusion } = search(10);
    expect(tried).toEqual([50, 25, 15, 10, 13, 12]);
    expect(conclusion).toMatchObject({ capacity: 10, limit: 'server' });
  });

  it('stops at the largest count allowed, and says the player limit ended the search', () => {
    const plan = { ...DEFAULT_PLAN, maxBots: 250 };
    const { tried, conclusion } = search(10_000, plan);
    expect(tried).toEqual([50, 100, 200, 250]);
    expect(conclusion.limit).toBe('max-bots');
    expect(conclusion.sentence).toMatch(/^Held at the largest count tried, 250 bots/);
  });

  it('stops after maxSteps and says so', () => {
    const { tried, conclusion } = search(10_000, { ...DEFAULT_PLAN, maxSteps: 3 });
    expect(tried).toEqual([50, 100, 200]);
    expect(conclusion).toMatchObject({ capacity: 200, limit: 'steps' });
    expect(conclusion.sentence).toBe(
      'Stopped after 3 steps; the largest count that held is 200 bots (tick p99 10 ms of 33.33 ms, server CPU 0.50 s/s, bots CPU 0.40 s/s).',
    );
  });

  it('stops as soon as the bots saturate, and says the bots were the limit, not the server', () => {
    const { tried, conclusion } = search(10_000, DEFAULT_PLAN, 300);
    expect(tried).toEqual([50, 100, 200, 300]);
    expect(conclusion.limit).toBe('bots');
    expect(conclusion.capacity).toBe(300);
    expect(conclusion.sentence).toMatch(
      /^The bots were the limit, not the server: at 300 bots the bots process was saturated \(bots CPU 0\.95 s\/s ≥ 0\.9 \(one core\)\) while the server still held .*The server's capacity is at least 300 bots/,
    );
  });

  it('says the bots may be the limit when a step fails with the bots saturated', () => {
    const { conclusion } = search(250, DEFAULT_PLAN, 300);
    expect(conclusion).toMatchObject({ capacity: 200, limit: 'bots' });
    expect(conclusion.sentence).toMatch(
      /^At 300 bots the bots process was saturated .* and the step failed .*the bots rather than the server may be the limit\. The largest count that held is 200 bots/,
    );
  });

  it('never tries a count twice, even when results are not monotonic', () => {
    const steps = [
      step(50),
      step(100),
      step(200, { held: false }),
      step(150),
      step(175, { held: false }),
      step(160, { held: false }),
    ];
    expect(nextBotCount(DEFAULT_PLAN, steps)).toBeNull();
    expect(nextBotCount(DEFAULT_PLAN, [step(50), step(100, { held: false }), step(75, { held: false })])).toBe(65);
  });
});

describe('judgeStep and failedStep', () => {
  it('holds while p99 is within budget and every bot stays', () => {
    expect(judgeStep(fakeResult({ bots: 80 }))).toMatchObject({
      bots: 80,
      held: true,
      reasons: [],
      botsSaturated: false,
    });
  });

  it('fails on a p99 over budget or a disconnect, and carries the bots saturation', () => {
    const v = judgeStep(fakeResult({ disconnects: 3, botsCpu: 0.96, windowSecond: () => ({ tickMs: () => 34 }) }));
    expect(v.held).toBe(false);
    expect(v.reasons).toEqual(['tick p99 34 ms > budget 33.333 ms', '3 bots disconnected']);
    expect(v.botsSaturated).toBe(true);
  });

  it('makes a step that could not be measured a failure that names why', () => {
    const v = failedStep(900, BUDGET, 'only 850 of 900 bots joined in 60 s');
    const c = conclude(DEFAULT_PLAN, [step(50), v]);
    expect(c).toMatchObject({ capacity: 50, limit: 'disconnects' });
    expect(c.sentence).toMatch(/at 900 bots only 850 of 900 bots joined in 60 s\.$/);
  });

  it('concludes none held when even the smallest count failed', () => {
    expect(conclude(DEFAULT_PLAN, [step(50, { held: false })])).toMatchObject({ capacity: null, limit: 'none-held' });
  });

  it('names the steps other processes disturbed', () => {
    const c = conclude(DEFAULT_PLAN, [
      step(50),
      step(100, { otherCpu: 0.9 }),
      step(200, { held: false, otherCpu: 1.1 }),
    ]);
    expect(c.capacity).toBe(100);
    expect(c.sentence).toMatch(
      /Other processes used up to 1\.10 CPU s\/s during the steps at 100, 200 bots: those figures are disturbed; search again on a quiet machine\.$/,
    );
    expect(judgeStep(fakeResult({ otherCpu: 0.7 })).otherCpu).toBe(0.7);
  });

  it('says when the time ran out', () => {
    expect(conclude(DEFAULT_PLAN, [step(50)], 'time').sentence).toMatch(
      /^Stopped at the time limit; the largest count that held is 50 bots/,
    );
  });
});
