// The one table of an entity's networked fields: wire order, range, owning server component, and
// how a receiver predicts it when it is not sent. Read per entity per snapshot by encoder and decoder.
// Adding a field here without its predictor in predict.ts, or its component mapping on the server,
// fails the type check.
import type { FieldSpec, FieldsObject } from '../fields.js';
import { MAX_POSITION_Q } from '../quantize.js';

/**
 * Order matters: a field is predicted only from the baseline and from fields before it, so the
 * velocity comes first and position is predicted from the velocity now in force.
 */
export const ENTITY_FIELDS = [
  {
    name: 'vx',
    type: 'int',
    min: -32768,
    max: 32767,
    doc: 'velocity x, position quanta per tick, before edge clamping',
  },
  { name: 'vy', type: 'int', min: -32768, max: 32767, doc: 'velocity y, position quanta per tick' },
  {
    name: 'x',
    type: 'uint',
    max: MAX_POSITION_Q,
    doc: 'position x in quanta (world units × positionScale), up to 16,384 units',
  },
  { name: 'y', type: 'uint', max: MAX_POSITION_Q, doc: 'position y in quanta' },
  { name: 'angle', type: 'uint', max: 65535, doc: 'facing in angle quanta, 0 = +x, towards +y' },
  { name: 'hp', type: 'uint', max: 65535, doc: 'health points' },
  { name: 'kind', type: 'uint', max: 15, doc: 'what the entity is: 0 player, 1 projectile' },
] as const satisfies readonly FieldSpec[];

export type EntityFieldName = (typeof ENTITY_FIELDS)[number]['name'];
/** One entity's networked state (all integers on the quantized grid). */
export type EntityState = FieldsObject<typeof ENTITY_FIELDS>;

export const FIELD_COUNT = ENTITY_FIELDS.length;

/** Field name → its index in ENTITY_FIELDS (and its bit in a change mask: 1 << index). */
export const FieldIndex = Object.fromEntries(ENTITY_FIELDS.map((field, index) => [field.name, index])) as {
  readonly [K in EntityFieldName]: number;
};

/** The server component each field lives in (documentation and the server's mapping). */
export const FIELD_COMPONENT: {
  readonly [K in EntityFieldName]: 'Velocity' | 'Position' | 'Facing' | 'Health' | 'Kind';
} = {
  vx: 'Velocity',
  vy: 'Velocity',
  x: 'Position',
  y: 'Position',
  angle: 'Facing',
  hp: 'Health',
  kind: 'Kind',
};
