// The shared movement step: one player, one input, one tick. Runs per player per tick on the
// server and per replayed input on the client, so it is pure: no module state, no clock reads.
import { ANGLE_STEPS, POSITION_SCALE } from './quantize.js';

/** A player's simulated state, all on the fixed-point grid (see quantize.ts). */
export interface PlayerState {
  /** Position in 1/POSITION_SCALE units, 0..width·POSITION_SCALE. */
  x: number;
  y: number;
  /** Velocity applied this tick in position quanta per tick, before clamping at the edges. */
  vx: number;
  vy: number;
  /** Facing in 1/ANGLE_STEPS turns. */
  angle: number;
}

/** What a player asks for in one tick: a direction whose length is at most 1 (longer is normalized). */
export interface MoveInput {
  moveX: number;
  moveY: number;
}

/** The world step() moves in: a rectangle [0, width] × [0, height] in world units, and the speed. */
export interface MovementRules {
  width: number;
  height: number;
  /** Top speed in world units per second. */
  speed: number;
}

/**
 * Advance one player by one tick of `dt` seconds. Returns a new state; `state` is not touched.
 * Velocity is quantized first (round to nearest quantum per tick), then added and clamped,
 * so the result is always on the grid and a replay with the same inputs gives the same state.
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
  return {
    x: clamp(state.x + vx, 0, rules.width * POSITION_SCALE),
    y: clamp(state.y + vy, 0, rules.height * POSITION_SCALE),
    vx,
    vy,
    angle: idle ? state.angle : angleStepsOf(mx, my),
  };
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : Math.min(value, max);
}

function angleStepsOf(mx: number, my: number): number {
  const steps = Math.round((Math.atan2(my, mx) / (2 * Math.PI)) * ANGLE_STEPS);
  return (steps + ANGLE_STEPS) % ANGLE_STEPS;
}
