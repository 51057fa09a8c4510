// Fixed-point grids of networked state; used every tick by step() and every snapshot by codecs.
// The authoritative state only ever holds these integers, so prediction can agree exactly.

/** Position quantum: 1/16 world unit. A position of 2048 units is 32,768, a uint16 on the wire. */
export const POSITION_SCALE = 16;

/** Facing is stored in 1/256 of a turn, 0..255, 0 = +x, increasing towards +y. */
export const ANGLE_STEPS = 256;

/** World units → position quanta (nearest). */
export function toPositionQ(units: number): number {
  return Math.round(units * POSITION_SCALE);
}

/** Position quanta → world units. */
export function fromPositionQ(q: number): number {
  return q / POSITION_SCALE;
}

/** A direction (radians) → angle steps 0..ANGLE_STEPS-1 (nearest). */
export function toAngleQ(radians: number): number {
  const steps = Math.round((radians / (2 * Math.PI)) * ANGLE_STEPS);
  return ((steps % ANGLE_STEPS) + ANGLE_STEPS) % ANGLE_STEPS;
}

/** Angle steps → radians in [0, 2π). */
export function fromAngleQ(q: number): number {
  return (q / ANGLE_STEPS) * 2 * Math.PI;
}
