// Fixed-point grids of networked state; used every tick by step() and every snapshot by codecs.
// The authoritative state only ever holds these integers, so prediction can agree exactly.

/** Position quantum: 1/16 world unit. A position of 2048 units (the arena's edge) is 32,768. */
export const POSITION_SCALE = 16;

/** The largest coordinate of any world, units: the world scenario's edge (openWorld.ts). */
export const MAX_POSITION_UNITS = 16_384;
/**
 * The largest position on the wire, quanta: 16,384 × 16 = 262,144, which needs 19 bits, so x, y and
 * shot ends are wider than uint16 (MessagePack uint 32 above 65,535; smaller worlds still fit uint 16).
 */
export const MAX_POSITION_Q = MAX_POSITION_UNITS * POSITION_SCALE;

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
