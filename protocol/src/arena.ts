// The arena scenario of docs/scenarios.md as data and pure functions; used once per join (spawns)
// and once per bot input (the direction schedule). Server and bots share it so both follow it exactly.
import { mapHash } from './mapHash.js';
import { Mulberry32, mulberry32, type SpawnerState } from './random.js';
import type { MovementRules } from './step.js';

/** 2048 × 2048 units, no obstacles, 200 units per second, hp 100 that never changes. */
export const ARENA_RULES: MovementRules = { width: 2048, height: 2048, speed: 200 };
export const ARENA_HP = 100;

/** The arena's map: its rules. There is no map file: the world is the rules. */
export const ARENA_MAP = { scenario: 'arena', rules: ARENA_RULES } as const;
/** The arena's mapHash, as an arena server's WELCOME carries it. */
export const ARENA_MAP_HASH = mapHash(ARENA_MAP.scenario, ARENA_MAP.rules);

/** Milliseconds between two inputs of an arena bot. */
export const ARENA_INPUT_INTERVAL_MS = 33;

const HALF_SQRT2 = Math.SQRT1_2;

/** The nine directions in the scenario's order: idle, E, NE, N, NW, W, SW, S, SE. */
export const ARENA_DIRECTIONS: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 0],
  [HALF_SQRT2, HALF_SQRT2],
  [0, 1],
  [-HALF_SQRT2, HALF_SQRT2],
  [-1, 0],
  [-HALF_SQRT2, -HALF_SQRT2],
  [0, -1],
  [HALF_SQRT2, -HALF_SQRT2],
];

/**
 * The direction schedule of arena bot `botIndex` (0-based), seeded with its index:
 * draw a direction floor(9u), then the delay to the next change 500 + 1000u ms; repeat.
 * `directionAt(ms since join)` must be called with non-decreasing times.
 */
export class ArenaSchedule {
  private readonly random: () => number;
  private direction: readonly [number, number];
  private nextChangeMs: number;

  constructor(botIndex: number) {
    this.random = mulberry32(botIndex);
    this.direction = this.drawDirection();
    this.nextChangeMs = this.drawDelay();
  }

  directionAt(elapsedMs: number): readonly [number, number] {
    while (elapsedMs >= this.nextChangeMs) {
      this.direction = this.drawDirection();
      this.nextChangeMs += this.drawDelay();
    }
    return this.direction;
  }

  private drawDirection(): readonly [number, number] {
    const index = Math.floor(9 * this.random());
    return ARENA_DIRECTIONS[index] ?? ARENA_DIRECTIONS[0]!;
  }

  private drawDelay(): number {
    return 500 + 1000 * this.random();
  }
}

/** Spawn points: uniform over the world from a seeded PRNG, one draw of x then y per join. */
export class ArenaSpawner {
  private readonly random: Mulberry32;

  constructor(seed: number) {
    this.random = new Mulberry32(seed);
  }

  /** Everything the next spawn points depend on (a room moving to another process carries it); no round. */
  get state(): SpawnerState {
    return { random: this.random.state, round: [] };
  }

  set state(state: SpawnerState) {
    this.random.state = state.random;
  }

  next(rules: MovementRules = ARENA_RULES): { x: number; y: number } {
    return { x: this.random.next() * rules.width, y: this.random.next() * rules.height };
  }
}
