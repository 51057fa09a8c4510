// How a receiver predicts each entity field it was not sent: runs per unchanged field per entity
// per snapshot, on the server (to decide what is a surprise) and in every client (to fill it in).
// Integer arithmetic only, so both sides get the same answer on any JavaScript engine.
import { type EntityFieldName, FIELD_COUNT, FieldIndex } from './entityFields.js';

/** The world's edges in position quanta: positions are clamped to [0, maxX] × [0, maxY]. */
export interface WorldBounds {
  maxX: number;
  maxY: number;
}

/**
 * Predict field `f` of an entity `ticks` ticks after its baseline.
 * @param baseline the entity's fields at the baseline, in ENTITY_FIELDS order, from `at`
 * @param current the entity's fields now: entries before `f` are final (sent or predicted)
 */
export type Predictor = (
  baseline: ArrayLike<number>,
  at: number,
  current: ArrayLike<number>,
  currentAt: number,
  ticks: number,
  bounds: WorldBounds,
) => number;

const VX = FieldIndex.vx;
const VY = FieldIndex.vy;
const X = FieldIndex.x;
const Y = FieldIndex.y;

function clamp(value: number, max: number): number {
  return value < 0 ? 0 : Math.min(value, max);
}

const same =
  (index: number): Predictor =>
  (baseline, at) =>
    baseline[at + index]!;

/**
 * The prediction rule of every field (PROTOCOL.md, "Prediction"): velocity and everything else
 * stay as in the baseline; position moves `ticks` times by the velocity now in force, clamped to
 * the world. Clamping each tick and clamping once agree because the velocity is constant.
 */
export const PREDICTORS: { readonly [K in EntityFieldName]: Predictor } = {
  vx: same(VX),
  vy: same(VY),
  x: (baseline, at, current, currentAt, ticks, bounds) =>
    clamp(baseline[at + X]! + ticks * current[currentAt + VX]!, bounds.maxX),
  y: (baseline, at, current, currentAt, ticks, bounds) =>
    clamp(baseline[at + Y]! + ticks * current[currentAt + VY]!, bounds.maxY),
  angle: same(FieldIndex.angle),
  hp: same(FieldIndex.hp),
  kind: same(FieldIndex.kind),
};

/** PREDICTORS in ENTITY_FIELDS order, for the hot loops. */
export function predictorList(predictors: { readonly [K in EntityFieldName]: Predictor } = PREDICTORS): Predictor[] {
  const list: Predictor[] = new Array(FIELD_COUNT);
  for (const [name, index] of Object.entries(FieldIndex)) list[index] = predictors[name as EntityFieldName];
  return list;
}
