// The arena scenario's shared randomness: mulberry32, the bot direction schedule, spawn points.
// Server and bots both follow these, so their first values are pinned here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARENA_DIRECTIONS, ARENA_RULES, ArenaSchedule, ArenaSpawner, mulberry32 } from '../src/index.js';

/** mulberry32 as published (bryc, "PRNGs" gist), written independently of random.ts. */
function referenceMulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draws(random: () => number, count: number): number[] {
  return Array.from({ length: count }, () => random());
}

describe('mulberry32', () => {
  it('gives the pinned first four values for seed 1', () => {
    expect(draws(mulberry32(1), 4)).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522, 0.9810509674716741,
    ]);
  });

  it('matches the published algorithm for any 32-bit seed over 1,000 draws', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (seed) => {
        expect(draws(mulberry32(seed), 1000)).toEqual(draws(referenceMulberry32(seed), 1000));
      }),
      { numRuns: 50 },
    );
  });

  it('stays in [0, 1) and gives the same sequence for the same seed', () => {
    const values = draws(mulberry32(7), 10_000);
    expect(values.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(draws(mulberry32(7), 10_000)).toEqual(values);
  });
});

describe('ArenaSchedule', () => {
  it('lists the nine directions in docs/scenarios.md order: idle, (1,0), (√½,√½), (0,1), (−√½,√½), (−1,0), …', () => {
    const h = Math.SQRT1_2;
    expect(ARENA_DIRECTIONS).toEqual([
      [0, 0],
      [1, 0],
      [h, h],
      [0, 1],
      [-h, h],
      [-1, 0],
      [-h, -h],
      [0, -1],
      [h, -h],
    ]);
  });

  it('bot 0 follows mulberry32(0) by hand: direction floor(9u), then a delay of 500 + 1000u ms, repeated', () => {
    const u = draws(mulberry32(0), 8);
    const schedule = new ArenaSchedule(0);
    let changeAt = 0;
    for (let k = 0; k < 4; k++) {
      const direction = ARENA_DIRECTIONS[Math.floor(9 * u[2 * k]!)];
      const nextChangeAt = changeAt + 500 + 1000 * u[2 * k + 1]!;
      expect(schedule.directionAt(changeAt), `change ${k} at ${changeAt} ms`).toBe(direction);
      expect(schedule.directionAt((changeAt + nextChangeAt) / 2)).toBe(direction);
      expect(schedule.directionAt(nextChangeAt - 1e-6)).toBe(direction);
      changeAt = nextChangeAt;
    }
  });

  it('pins bot 0: direction 2 (√½, √½) until 500.33 ms, 2 again until 1146.53 ms, then 4 (−√½, √½) until at least 1691.5 ms', () => {
    const schedule = new ArenaSchedule(0);
    expect(schedule.directionAt(0)).toBe(ARENA_DIRECTIONS[2]);
    expect(schedule.directionAt(500.32)).toBe(ARENA_DIRECTIONS[2]);
    expect(schedule.directionAt(500.33)).toBe(ARENA_DIRECTIONS[2]);
    expect(schedule.directionAt(1146.5)).toBe(ARENA_DIRECTIONS[2]);
    expect(schedule.directionAt(1146.6)).toBe(ARENA_DIRECTIONS[4]);
    expect(schedule.directionAt(1691.5)).toBe(ARENA_DIRECTIONS[4]);
  });

  it('holds each direction 0.5–1.5 s and gives the same schedule to the same bot index', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (botIndex) => {
        const a = new ArenaSchedule(botIndex);
        const b = new ArenaSchedule(botIndex);
        const u = mulberry32(botIndex);
        u(); // the first direction
        let changeAt = 0;
        for (let k = 0; k < 20; k++) {
          const delay = 500 + 1000 * u();
          u(); // the next direction
          expect(delay).toBeGreaterThanOrEqual(500);
          expect(delay).toBeLessThan(1500);
          changeAt += delay;
        }
        for (let t = 0; t < changeAt; t += 33) expect(a.directionAt(t)).toBe(b.directionAt(t));
      }),
      { numRuns: 50 },
    );
  });

  it('moves 8 of 9 bots on average: idle is one direction in nine', () => {
    const counts = new Array<number>(9).fill(0);
    const random = mulberry32(12345);
    for (let i = 0; i < 90_000; i++) counts[Math.floor(9 * random())]!++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe('ArenaSpawner', () => {
  it('spawns inside the arena for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const spawner = new ArenaSpawner(seed);
        for (let i = 0; i < 200; i++) {
          const { x, y } = spawner.next();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(ARENA_RULES.width);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThan(ARENA_RULES.height);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('spawns inside a smaller world when given its rules', () => {
    const spawner = new ArenaSpawner(3);
    const rules = { width: 10, height: 3, speed: 1 };
    for (let i = 0; i < 1000; i++) {
      const { x, y } = spawner.next(rules);
      expect(x >= 0 && x < 10 && y >= 0 && y < 3).toBe(true);
    }
  });

  it('draws x then y from mulberry32(seed), one pair per join', () => {
    const u = draws(mulberry32(1), 4);
    const spawner = new ArenaSpawner(1);
    expect(spawner.next()).toEqual({ x: u[0]! * 2048, y: u[1]! * 2048 });
    expect(spawner.next()).toEqual({ x: u[2]! * 2048, y: u[3]! * 2048 });
  });
});
