// The shared movement step: pure, on the grid, clamped, with the speeds PROTOCOL.md states.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANGLE_STEPS,
  ARENA_RULES,
  type MoveInput,
  type MovementRules,
  type PlayerState,
  POSITION_SCALE,
  step,
} from '../src/index.js';

const DT = 1 / 30;
const MAX_Q = ARENA_RULES.width * POSITION_SCALE; // 32,768
const centre: PlayerState = { x: MAX_Q / 2, y: MAX_Q / 2, vx: 0, vy: 0, angle: 17 };

const stateArbitrary = (rules: MovementRules): fc.Arbitrary<PlayerState> =>
  fc.record({
    x: fc.integer({ min: 0, max: rules.width * POSITION_SCALE }),
    y: fc.integer({ min: 0, max: rules.height * POSITION_SCALE }),
    vx: fc.integer({ min: -32768, max: 32767 }),
    vy: fc.integer({ min: -32768, max: 32767 }),
    angle: fc.integer({ min: 0, max: ANGLE_STEPS - 1 }),
  });

/** Any input the decoder lets through: each axis a finite float in [-1, 1], -0 and tiny values included. */
const inputArbitrary: fc.Arbitrary<MoveInput> = fc.record({
  moveX: fc.double({ min: -1, max: 1, noNaN: true }),
  moveY: fc.double({ min: -1, max: 1, noNaN: true }),
});

const rulesArbitrary: fc.Arbitrary<MovementRules> = fc.oneof(
  fc.constant(ARENA_RULES),
  fc.record({
    width: fc.integer({ min: 1, max: 4095 }),
    height: fc.integer({ min: 1, max: 4095 }),
    speed: fc.integer({ min: 0, max: 2000 }),
  }),
);

describe('step speeds at the arena rules', () => {
  it('uses 200 u/s at 30 Hz with POSITION_SCALE 16: 200/30·16 = 106.67 quanta per tick', () => {
    expect(ARENA_RULES).toEqual({ width: 2048, height: 2048, speed: 200 });
    expect(POSITION_SCALE).toBe(16);
    expect((ARENA_RULES.speed * DT * POSITION_SCALE).toFixed(2)).toBe('106.67');
  });

  it('moves straight 107 quanta per tick (6.6875 u/tick, 200.625 u/s)', () => {
    const next = step(centre, { moveX: 1, moveY: 0 }, DT, ARENA_RULES);
    expect(next).toEqual({ x: centre.x + 107, y: centre.y, vx: 107, vy: 0, angle: 0 });
    expect((107 / POSITION_SCALE) * 30).toBe(200.625);
  });

  it('moves diagonally (√½, √½) 75 quanta per axis per tick (√½·106.67 = 75.42 → 75; ≈198.9 u/s)', () => {
    const next = step(centre, { moveX: Math.SQRT1_2, moveY: Math.SQRT1_2 }, DT, ARENA_RULES);
    expect(next).toEqual({ x: centre.x + 75, y: centre.y + 75, vx: 75, vy: 75, angle: 32 });
    expect(((Math.hypot(75, 75) / POSITION_SCALE) * 30).toFixed(1)).toBe('198.9');
  });

  const h = Math.SQRT1_2;
  it.each([
    ['E (+x)', 1, 0, 107, 0, 0],
    ['SE', h, h, 75, 75, 32],
    ['S (+y, screen-down)', 0, 1, 0, 107, 64],
    ['SW', -h, h, -75, 75, 96],
    ['W', -1, 0, -107, 0, 128],
    ['NW', -h, -h, -75, -75, 160],
    ['N (−y, screen-up)', 0, -1, 0, -107, 192],
    ['NE', h, -h, 75, -75, 224],
  ])('moving %s gives velocity (%d, %d)… and angle %d', (_name, moveX, moveY, vx, vy, angle) => {
    const next = step(centre, { moveX, moveY }, DT, ARENA_RULES);
    expect(next).toEqual({ x: centre.x + vx, y: centre.y + vy, vx, vy, angle });
  });

  it('does not scale up an input shorter than 1: (0.5, 0) moves round(53.33) = 53 quanta', () => {
    expect(step(centre, { moveX: 0.5, moveY: 0 }, DT, ARENA_RULES).vx).toBe(53);
  });
});

describe('step input handling', () => {
  it('keeps the angle and gives zero velocity when idle (0, 0), and when idle as (-0, -0)', () => {
    for (const input of [
      { moveX: 0, moveY: 0 },
      { moveX: -0, moveY: -0 },
    ]) {
      const next = step({ ...centre, vx: 107, vy: -75 }, input, DT, ARENA_RULES);
      expect(next).toEqual({ x: centre.x, y: centre.y, vx: 0, vy: 0, angle: 17 });
    }
  });

  it('normalizes an input longer than 1: (1, 1) moves like (√½, √½)', () => {
    const corner = step(centre, { moveX: 1, moveY: 1 }, DT, ARENA_RULES);
    expect(corner).toEqual(step(centre, { moveX: Math.SQRT1_2, moveY: Math.SQRT1_2 }, DT, ARENA_RULES));
    expect(corner.vx).toBe(75);
  });

  it('never moves faster than the top speed, whatever the input (property)', () => {
    const quantaPerTick = ARENA_RULES.speed * DT * POSITION_SCALE;
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const { vx, vy } = step(centre, input, DT, ARENA_RULES);
        // Each axis rounds by at most ½ quantum.
        expect(Math.hypot(vx, vy)).toBeLessThanOrEqual(quantaPerTick + Math.SQRT1_2);
        expect(Math.abs(vx)).toBeLessThanOrEqual(107);
        expect(Math.abs(vy)).toBeLessThanOrEqual(107);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('step invariants (properties)', () => {
  it('does not touch its input state and returns a new object', () => {
    fc.assert(
      fc.property(stateArbitrary(ARENA_RULES), inputArbitrary, (state, input) => {
        const copy = { ...state };
        const next = step(Object.freeze(state), Object.freeze(input), DT, Object.freeze({ ...ARENA_RULES }));
        expect(state).toEqual(copy);
        expect(next).not.toBe(state);
      }),
      { numRuns: 1000 },
    );
  });

  it('always returns integers on the grid, clamped to [0, width·POSITION_SCALE] × [0, height·POSITION_SCALE]', () => {
    fc.assert(
      fc.property(
        rulesArbitrary.chain((rules) => fc.tuple(fc.constant(rules), stateArbitrary(rules))),
        inputArbitrary,
        fc.constantFrom(1 / 10, 1 / 30, 1 / 60, 1 / 128),
        ([rules, state], input, dt) => {
          const next = step(state, input, dt, rules);
          for (const value of Object.values(next)) expect(Number.isInteger(value)).toBe(true);
          expect(next.x).toBeGreaterThanOrEqual(0);
          expect(next.x).toBeLessThanOrEqual(rules.width * POSITION_SCALE);
          expect(next.y).toBeGreaterThanOrEqual(0);
          expect(next.y).toBeLessThanOrEqual(rules.height * POSITION_SCALE);
          expect(next.angle).toBeGreaterThanOrEqual(0);
          expect(next.angle).toBeLessThan(ANGLE_STEPS);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never produces -0 in any field, even from -0 or tiny negative inputs', () => {
    const awkward = fc.constantFrom(-0, 0, -Number.MIN_VALUE, -1e-300, -1e-9, 1e-9, -0.0001);
    const input = fc.record({
      moveX: fc.oneof(awkward, fc.double({ min: -1, max: 1, noNaN: true })),
      moveY: fc.oneof(awkward, fc.double({ min: -1, max: 1, noNaN: true })),
    });
    fc.assert(
      fc.property(stateArbitrary(ARENA_RULES), input, (state, move) => {
        const next = step(state, move, DT, ARENA_RULES);
        for (const [key, value] of Object.entries(next)) expect(Object.is(value, -0), key).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('stops at the edges and still reports the requested velocity', () => {
    const west = step({ x: 50, y: 0, vx: 0, vy: 0, angle: 0 }, { moveX: -1, moveY: -1 }, DT, ARENA_RULES);
    expect(west).toEqual({ x: 0, y: 0, vx: -75, vy: -75, angle: 160 });
    const east = step({ x: MAX_Q - 10, y: MAX_Q, vx: 0, vy: 0, angle: 0 }, { moveX: 1, moveY: 0 }, DT, ARENA_RULES);
    expect(east).toEqual({ x: MAX_Q, y: MAX_Q, vx: 107, vy: 0, angle: 0 });
  });

  it('is deterministic: the same 1,000 inputs from the same state give the same states twice', () => {
    fc.assert(
      fc.property(
        stateArbitrary(ARENA_RULES),
        fc.array(inputArbitrary, { minLength: 1000, maxLength: 1000 }),
        (s, inputs) => {
          const run = () => {
            const states: PlayerState[] = [];
            let state = s;
            for (const input of inputs) {
              state = step(state, input, DT, ARENA_RULES);
              states.push(state);
            }
            return states;
          };
          expect(run()).toEqual(run());
        },
      ),
      { numRuns: 20 },
    );
  });
});
