// step() with a map: the player's box stops flush at walls, slides along them, never enters one from
// any direction, reports the movement applied as its velocity, and faces its aim; all in integers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ARENA_RULES,
  GAME_MAP,
  GAME_RULES,
  type GameMap,
  type MoveInput,
  type MovementRules,
  PLAYER_RADIUS,
  type PlayerState,
  POSITION_SCALE,
  step,
  toAngleQ,
} from '../src/index.js';
import { boxHitsWall } from '../src/map/collide.js';
import { gridMap, mapOf } from './map/tiledMaps.js';

const DT = 1 / 30;
const T = 32 * POSITION_SCALE; // a tile: 512 quanta
const R = PLAYER_RADIUS * POSITION_SCALE; // half the box: 192 quanta
const H = Math.SQRT1_2;

// Tile (4, 3) is a pillar: [2048, 2560) × [1536, 2048) quanta. The border is wall.
// biome-ignore format: a drawing of the map
const ROOM = mapOf([
  '##########',
  '#S.......#',
  '#........#',
  '#...#....#',
  '#........#',
  '#........#',
  '##########',
]);
const rulesOf = (map: GameMap, speed = 200): MovementRules => ({ width: map.width, height: map.height, speed, map });
const RULES = rulesOf(ROOM);
const at = (x: number, y: number, angle = 0): PlayerState => ({ x, y, vx: 0, vy: 0, angle });

/** Every state from `state` after each of `ticks` steps with `input`. */
function walk(state: PlayerState, input: MoveInput, ticks: number, rules = RULES): PlayerState[] {
  const states: PlayerState[] = [];
  for (let i = 0; i < ticks; i++) {
    state = step(state, input, DT, rules);
    states.push(state);
  }
  return states;
}

describe('step against walls', () => {
  it.each([
    ['east into the border', 8.5 * T, 1.5 * T, 1, 0, { x: 9 * T - R, y: 1.5 * T }],
    ['west into the border', 1.5 * T, 4.5 * T, -1, 0, { x: T + R, y: 4.5 * T }],
    ['north into the border', 6.5 * T, 2.5 * T, 0, -1, { x: 6.5 * T, y: T + R }],
    ['south into the border', 2.5 * T, 4.5 * T, 0, 1, { x: 2.5 * T, y: 6 * T - R }],
    ['east into the pillar', 1.5 * T, 3.5 * T, 1, 0, { x: 4 * T - R, y: 3.5 * T }],
    ['west into the pillar', 8.5 * T, 3.5 * T, -1, 0, { x: 5 * T + R, y: 3.5 * T }],
    ['south into the pillar', 4.5 * T, 1.5 * T, 0, 1, { x: 4.5 * T, y: 3 * T - R }],
    ['north into the pillar', 4.5 * T, 5.5 * T, 0, -1, { x: 4.5 * T, y: 4 * T + R }],
  ])('walking %s stops flush against it and stays there', (_name, x, y, moveX, moveY, end) => {
    const states = walk(at(x, y), { moveX, moveY }, 60);
    expect(states.at(-1)).toMatchObject({ ...end, vx: 0, vy: 0 });
    // The tick that reached the wall moved only the rest of the way, and said so.
    const first = states.findIndex((s) => s.x === end.x && s.y === end.y);
    const before = first === 0 ? at(x, y) : states[first - 1]!;
    expect(states[first]!.vx).toBe(end.x - before.x);
    expect(states[first]!.vy).toBe(end.y - before.y);
    expect(Math.abs(states[first]!.vx) + Math.abs(states[first]!.vy)).toBeLessThanOrEqual(107);
  });

  it('stops in an inside corner on both axes', () => {
    expect(walk(at(3.5 * T, 3.5 * T), { moveX: -H, moveY: -H }, 60).at(-1)).toEqual({
      x: T + R,
      y: T + R,
      vx: 0,
      vy: 0,
      angle: 160,
    });
    expect(walk(at(6.5 * T, 4.5 * T), { moveX: 1, moveY: 1 }, 60).at(-1)).toEqual({
      x: 9 * T - R,
      y: 6 * T - R,
      vx: 0,
      vy: 0,
      angle: 32,
    });
  });

  it('slides along a wall when moving diagonally into it: the free axis keeps its full speed', () => {
    const states = walk(at(2.5 * T, 1.5 * T), { moveX: H, moveY: -H }, 20);
    const sliding = states.filter((s) => s.y === T + R);
    expect(sliding.length).toBeGreaterThan(10);
    for (const s of sliding.slice(1)) expect([s.vx, s.vy]).toEqual([75, 0]);
    expect(states.at(-1)!.x).toBe(2.5 * T + 20 * 75);
  });

  it('passes a wall its box only touches, and stops one quantum closer', () => {
    // At y = 3T − R the box's bottom edge is the pillar's top face: it grazes past.
    const grazing = walk(at(1.5 * T, 3 * T - R), { moveX: 1, moveY: 0 }, 50).at(-1)!;
    expect(grazing).toMatchObject({ x: 9 * T - R, y: 3 * T - R });
    const overlapping = walk(at(1.5 * T, 3 * T - R + 1), { moveX: 1, moveY: 0 }, 50).at(-1)!;
    expect(overlapping).toMatchObject({ x: 4 * T - R, y: 3 * T - R + 1 });
  });

  it('moves x before y: diagonally onto an outside corner, it slides along the face it meets second', () => {
    // Exactly at the pillar's top-left corner, touching neither face: x moves (the box is above the
    // pillar), then y is blocked by the pillar under the box's new x.
    const corner = at(4 * T - R, 3 * T - R);
    expect(step(corner, { moveX: H, moveY: H }, DT, RULES)).toEqual({
      x: 4 * T - R + 75,
      y: 3 * T - R,
      vx: 75,
      vy: 0,
      angle: 32,
    });
  });

  it('goes through a corridor one tile wide', () => {
    // biome-ignore format: a drawing of the map
    const corridor = mapOf([
      '#######',
      '#S....#',
      '####..#',
      '#.....#',
      '#######',
    ]);
    // Row 3 is a corridor between row 2's walls (cols 1-3) and the border: walk west along it.
    const end = walk(at(5.5 * T, 3.5 * T), { moveX: -1, moveY: 0 }, 60, rulesOf(corridor)).at(-1)!;
    expect(end).toMatchObject({ x: T + R, y: 3.5 * T });
  });

  it('crosses any number of tiles in one tick without passing through a wall', () => {
    // 6000 units per second: 3200 quanta a tick, more than six tiles.
    const fast = rulesOf(ROOM, 6000);
    expect(step(at(1.5 * T, 3.5 * T), { moveX: 1, moveY: 0 }, DT, fast)).toMatchObject({
      x: 4 * T - R,
      vx: 4 * T - R - 1.5 * T,
    });
    expect(step(at(1.5 * T, 1.5 * T), { moveX: 1, moveY: 0 }, DT, fast)).toMatchObject({ x: 1.5 * T + 3200, vx: 3200 });
  });

  it('lets a box that was put into a wall move out, but not deeper', () => {
    const stuck = at(4 * T, 3.5 * T); // half in the pillar
    expect(step(stuck, { moveX: -1, moveY: 0 }, DT, RULES)).toMatchObject({ x: 4 * T - 107 });
    expect(step(stuck, { moveX: 0, moveY: 1 }, DT, RULES)).toMatchObject({ y: 3.5 * T + 107 });
  });
});

describe('step facing', () => {
  const aiming = { ...RULES, faceAim: true };
  it('faces the quantized aim with faceAim, moving or not', () => {
    expect(step(at(2.5 * T, 2.5 * T), { moveX: 1, moveY: 0, aimAngle: Math.PI / 2 }, DT, aiming).angle).toBe(64);
    expect(step(at(2.5 * T, 2.5 * T), { moveX: 0, moveY: 0, aimAngle: -Math.PI / 4 }, DT, aiming).angle).toBe(224);
    expect(step(at(2.5 * T, 2.5 * T), { moveX: 0, moveY: 0, aimAngle: Math.PI }, DT, aiming).angle).toBe(128);
    expect(step(at(2.5 * T, 2.5 * T), { moveX: 0, moveY: 0, aimAngle: 1 }, DT, aiming).angle).toBe(toAngleQ(1));
  });
  it('falls back to the arena rule without an aim: the movement direction, kept while idle', () => {
    expect(step(at(2.5 * T, 2.5 * T, 17), { moveX: 0, moveY: -1 }, DT, aiming).angle).toBe(192);
    expect(step(at(2.5 * T, 2.5 * T, 17), { moveX: 0, moveY: 0 }, DT, aiming).angle).toBe(17);
    expect(step(at(2.5 * T, 2.5 * T, 17), { moveX: 0, moveY: 0, aimAngle: Number.NaN }, DT, aiming).angle).toBe(17);
  });
  it('ignores the aim without faceAim (the arena)', () => {
    const state = at(16384, 16384, 17);
    const input = { moveX: 1, moveY: 0 };
    expect(step(state, { ...input, aimAngle: 2 }, DT, ARENA_RULES)).toEqual(step(state, input, DT, ARENA_RULES));
  });
});

// --- Properties on random maps ---

const inputArbitrary: fc.Arbitrary<MoveInput> = fc.record(
  {
    moveX: fc.double({ min: -1, max: 1, noNaN: true }),
    moveY: fc.double({ min: -1, max: 1, noNaN: true }),
    aimAngle: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
  },
  { requiredKeys: ['moveX', 'moveY'] },
);

/**
 * A random map (walls anywhere, no border needed: outside is wall) and a start whose box is clear:
 * somewhere in a floor tile (tile (0, 0) is always floor), the box inside that tile.
 */
const worldArbitrary = fc
  .record({
    cols: fc.integer({ min: 2, max: 9 }),
    rows: fc.integer({ min: 2, max: 9 }),
    tileSize: fc.constantFrom(24, 32, 48),
    wallChance: fc.constantFrom(0.1, 0.3, 0.5),
  })
  .chain(({ cols, rows, tileSize, wallChance }) =>
    fc.record({
      map: fc
        .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: cols * rows, maxLength: cols * rows })
        .map((draws) =>
          gridMap(
            Array.from({ length: rows }, (_, r) =>
              Array.from({ length: cols }, (_, c) => (r + c > 0 && draws[r * cols + c]! < wallChance ? '#' : '.')).join(
                '',
              ),
            ),
            tileSize,
          ),
        ),
      tile: fc.nat(),
      offsetX: fc.integer({ min: -(tileSize / 2 - PLAYER_RADIUS) * 16, max: (tileSize / 2 - PLAYER_RADIUS) * 16 }),
      offsetY: fc.integer({ min: -(tileSize / 2 - PLAYER_RADIUS) * 16, max: (tileSize / 2 - PLAYER_RADIUS) * 16 }),
      speed: fc.constantFrom(0, 50, 200, 1000, 6000),
      dt: fc.constantFrom(1 / 10, 1 / 30, 1 / 60, 1 / 128),
      inputs: fc.array(inputArbitrary, { minLength: 1, maxLength: 40 }),
    }),
  )
  .map(({ map, tile, offsetX, offsetY, ...rest }) => {
    const floors = [...map.solid.keys()].filter((i) => map.solid[i] === 0);
    const i = floors[tile % floors.length]!;
    const centre = (index: number) => (index + 0.5) * map.tileSize * POSITION_SCALE;
    return { map, x: centre(i % map.cols) + offsetX, y: centre(Math.floor(i / map.cols)) + offsetY, ...rest };
  });

/** The whole path of one axis move is clear: sampled every half box, plus the end. */
function pathClear(map: GameMap, x0: number, y0: number, x1: number, y1: number): boolean {
  const length = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
  for (let d = 0; d < length; d += R) {
    const f = d / length;
    if (boxHitsWall(map, Math.round(x0 + (x1 - x0) * f), Math.round(y0 + (y1 - y0) * f))) return false;
  }
  return !boxHitsWall(map, x1, y1);
}

describe('step against walls (properties)', () => {
  it('never moves the box into a wall, from any direction, at any speed; velocity is the movement applied', () => {
    fc.assert(
      fc.property(worldArbitrary, ({ map, x, y, speed, dt, inputs }) => {
        expect(boxHitsWall(map, x, y)).toBe(false);
        const rules = { ...rulesOf(map, speed), faceAim: true };
        const open: MovementRules = { width: 1e6, height: 1e6, speed };
        let state = at(x, y);
        for (const input of inputs) {
          const next = step(state, input, dt, rules);
          const wanted = step(state, input, dt, open);
          for (const value of Object.values(next)) expect(Number.isInteger(value)).toBe(true);
          expect(boxHitsWall(map, next.x, next.y)).toBe(false);
          expect(pathClear(map, state.x, state.y, next.x, state.y)).toBe(true);
          expect(pathClear(map, next.x, state.y, next.x, next.y)).toBe(true);
          expect([next.vx, next.vy]).toEqual([next.x - state.x, next.y - state.y]);
          // Never further than asked, never backwards.
          expect(Math.abs(next.vx)).toBeLessThanOrEqual(Math.abs(wanted.vx));
          expect(Math.abs(next.vy)).toBeLessThanOrEqual(Math.abs(wanted.vy));
          expect(next.vx * wanted.vx).toBeGreaterThanOrEqual(0);
          expect(next.vy * wanted.vy).toBeGreaterThanOrEqual(0);
          for (const value of Object.values(next)) expect(Object.is(value, -0)).toBe(false);
          state = next;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never leaves the floor of the game map, from every spawn point', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: GAME_MAP.spawns.length - 1 }),
        fc.array(fc.tuple(inputArbitrary, fc.integer({ min: 1, max: 30 })), { minLength: 1, maxLength: 30 }),
        (spawnIndex, segments) => {
          const spawn = GAME_MAP.spawns[spawnIndex]!;
          let state = at(spawn.x * POSITION_SCALE, spawn.y * POSITION_SCALE);
          for (const [input, ticks] of segments) {
            for (let i = 0; i < ticks; i++) {
              state = step(state, input, DT, GAME_RULES);
              expect(boxHitsWall(GAME_MAP, state.x, state.y)).toBe(false);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('replays exactly: the same inputs from the same state, whole or resumed from any state on the way', () => {
    fc.assert(
      fc.property(worldArbitrary, fc.nat(), ({ map, x, y, speed, dt, inputs }, cut) => {
        const rules = { ...rulesOf(map, speed), faceAim: true };
        const run = (from: PlayerState, list: readonly MoveInput[]) => {
          const states: PlayerState[] = [];
          for (const input of list) {
            from = step(from, input, dt, rules);
            states.push(from);
          }
          return states;
        };
        const whole = run(at(x, y), inputs);
        expect(run(at(x, y), inputs)).toEqual(whole);
        // Like a client reconciling: take the state after input k and replay the rest.
        const k = cut % inputs.length;
        expect([...whole.slice(0, k + 1), ...run(whole[k]!, inputs.slice(k + 1))]).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });
});
