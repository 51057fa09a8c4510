// The world scenario of docs/scenarios.md (world-N) as data and pure functions: an open square 8× the
// arena's side where players move exactly as in the arena. Used once per room (rules, mapHash) and
// once per join (spawns). Server and bots share it so both follow it exactly.
import { ARENA_RULES, ArenaSpawner } from './arena.js';
import { mapHash } from './mapHash.js';
import { MAX_POSITION_UNITS, POSITION_SCALE } from './quantize.js';
import type { MovementRules } from './step.js';

/**
 * 16,384 × 16,384 units, no obstacles, the arena's speed. Its far edge is 262,144 position quanta,
 * which is why positions are wider than 16 bits on the wire (quantize.ts, MAX_POSITION_Q).
 */
export const WORLD_RULES: MovementRules = {
  width: MAX_POSITION_UNITS,
  height: MAX_POSITION_UNITS,
  speed: ARENA_RULES.speed,
};

/** The world's map: its rules. As in the arena there is no map file: the world is the rules. */
export const WORLD_MAP = { scenario: 'world', rules: WORLD_RULES } as const;
/** The world's mapHash, as a world server's WELCOME carries it (the name makes it differ from the arena's). */
export const WORLD_MAP_HASH = mapHash(WORLD_MAP.scenario, WORLD_MAP.rules);

/** How far a world room's client sees by default, world units (RoomOptions.viewRadius). */
export const WORLD_VIEW_RADIUS = 1000;

/**
 * Spawn points uniform over the square from a seeded PRNG, one draw of x then y per join: the
 * arena's draws, each snapped down to the position grid so a spawn is exactly representable on the
 * wire (×16 is exact in floating point, so this is floor(draw × side × 16) / 16). No round.
 */
export class WorldSpawner extends ArenaSpawner {
  /** The next spawn point, in world units, inside [0, width) × [0, height). */
  override next(rules: MovementRules = WORLD_RULES): { x: number; y: number } {
    const { x, y } = super.next(rules);
    return { x: Math.floor(x * POSITION_SCALE) / POSITION_SCALE, y: Math.floor(y * POSITION_SCALE) / POSITION_SCALE };
  }
}
