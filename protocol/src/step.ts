// The shared movement step: one player, one input, one tick. Runs per player per tick on the
// server and per replayed input on the client, so it is pure: no module state, no clock reads.
import { sweepX, sweepY } from './map/collide.js';
import type { GameMap } from './map/gameMap.js';
import { POSITION_SCALE, toAngleQ } from './quantize.js';

/** A player's simulated state, all on the fixed-point grid (see quantize.ts). */
export interface PlayerState {
  /** Position in 1/POSITION_SCALE units, 0..width·POSITION_SCALE. */
  x: number;
  y: number;
  /**
   * Velocity of this tick in position quanta per tick: without a map, the requested one, before
   * clamping at the edges; with a map, the movement actually applied (0 on an axis stopped by a wall).
   */
  vx: number;
  vy: number;
  /** Facing in 1/ANGLE_STEPS turns. */
  angle: number;
}

/** What a player asks for in one tick: a direction whose length is at most 1 (longer is normalized). */
export interface MoveInput {
  moveX: number;
  moveY: number;
  /** Where the player aims, radians (0 = +x, +y is south); sets the facing when the rules say faceAim. */
  aimAngle?: number;
}

/** The world step() moves in: a rectangle [0, width] × [0, height] in world units, and the speed. */
export interface MovementRules {
  width: number;
  height: number;
  /** Top speed in world units per second. */
  speed: number;
  /** Walls the player's box collides with (map/collide.ts); none: only the edges stop it. */
  map?: GameMap;
  /** Face the input's aimAngle when it has one; otherwise (and by default) the movement direction. */
  faceAim?: boolean;
}

/**
 * Advance one player by one tick of `dt` seconds. Returns a new state; `state` is not touched.
 * Velocity is quantized first (round to nearest quantum per tick), then added and clamped (or, with
 * a map, swept against its walls in integers), so the result is always on the grid and a replay with
 * the same inputs gives the same state.
 */
export function step(state: PlayerState, input: MoveInput, dt: number, rules: MovementRules): PlayerState {
  let mx = input.moveX;
  let my = input.moveY;
  const lengthSquared = mx * mx + my * my;
  if (lengthSquared > 1) {
    const length = Math.sqrt(lengthSquared);
    mx /= length;
    my /= length;
  }
  const quantaPerTick = rules.speed * dt * POSITION_SCALE;
  // `+ 0` turns -0 into 0, so a state compares equal however it was reached.
  const vx = Math.round(mx * quantaPerTick) + 0;
  const vy = Math.round(my * quantaPerTick) + 0;
  const idle = mx === 0 && my === 0;
  const aim = input.aimAngle;
  const angle =
    rules.faceAim === true && aim !== undefined && Number.isFinite(aim)
      ? toAngleQ(aim)
      : idle
        ? state.angle
        : toAngleQ(Math.atan2(my, mx));
  const map = rules.map;
  if (map === undefined) {
    return {
      x: clamp(state.x + vx, 0, rules.width * POSITION_SCALE),
      y: clamp(state.y + vy, 0, rules.height * POSITION_SCALE),
      vx,
      vy,
      angle,
    };
  }
  // Against walls: x first, then y from the new x (so a diagonal slides along a wall), each stopped
  // flush at the first wall it meets; the velocity reported is the movement applied.
  const x = clamp(sweepX(map, state.x, state.y, vx), 0, rules.width * POSITION_SCALE);
  const y = clamp(sweepY(map, x, state.y, vy), 0, rules.height * POSITION_SCALE);
  return { x, y, vx: x - state.x, vy: y - state.y, angle };
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : Math.min(value, max);
}
