// Encodes the shared body of a SNAPSHOT: the delta from a baseline world state to the current one,
// and the shots and kills since the baseline. Runs once per distinct baseline per snapshot tick (in
// the steady state: once per tick), not per client.
// Mirror: decodeSnapshot.ts (entities, same steps in the same order) and eventTicksProblem (events).
//
// Body (elements 7–12 of the SNAPSHOT array, PROTOCOL.md "SNAPSHOT"):
//   baseAge   uint      ticks between the baseline and this snapshot; 0 = full snapshot, no baseline
//   created   array     one tuple [id, vx, vy, x, y, angle, hp, kind] per entity the baseline lacks (or
//                       holds an older life of): sent whole
//   changed   array     flat: id, mask, then one value per set bit of mask in ENTITY_FIELDS order,
//                       for each entity where some field differs from its prediction
//   removed   array     ids in the baseline that no longer exist
//   shots     array     [tick, shooterId, weapon, x0, y0, x1, y1, hitId] of ticks in (baseline, tick]
//   kills     array     [tick, killerId, victimId, weapon] of ticks in (baseline, tick]
// An entity of the baseline that is in none of the three costs zero bytes: every field is predicted.
// With no events, shots and kills are two empty arrays: 2 bytes.
import { popCount } from '../bits.js';
import { FIELD_COUNT } from './entityFields.js';
import type { EventHistory } from './eventHistory.js';
import type { MsgpackWriter } from './msgpackWriter.js';
import { type Predictor, predictorList, type WorldBounds } from './predict.js';
import type { WorldState } from './worldState.js';

export interface SnapshotBodyStats {
  full: boolean;
  created: number;
  changed: number;
  removed: number;
  /** Shots and kills written. */
  events: number;
  /** Bytes of the created, changed and removed arrays, their array headers included: the entities' share of the body. */
  entityBytes: number;
}

export class SnapshotEncoder {
  private readonly createdRows: Int32Array;
  private readonly changedRows: Int32Array;
  private readonly changedMasks: Int32Array;
  private readonly removedIds: Int32Array;
  private readonly predictors: Predictor[];

  constructor(
    capacity: number,
    private readonly bounds: WorldBounds,
    predictors?: Parameters<typeof predictorList>[0],
  ) {
    this.createdRows = new Int32Array(capacity);
    this.changedRows = new Int32Array(capacity);
    this.changedMasks = new Int32Array(capacity);
    this.removedIds = new Int32Array(capacity);
    this.predictors = predictorList(predictors);
  }

  /**
   * Write the body of `current` relative to `baseline` (undefined: a full snapshot) into `out`,
   * after resetting it. The baseline must be older than `current`. `events`: the shots and kills to
   * pick from (those of ticks after the baseline, or of this tick alone for a full snapshot);
   * undefined writes both lists empty.
   */
  encode(
    baseline: WorldState | undefined,
    current: WorldState,
    out: MsgpackWriter,
    events?: EventHistory,
  ): SnapshotBodyStats {
    let created = 0;
    let changed = 0;
    let changedElements = 0;
    let removed = 0;
    const ticks = baseline === undefined ? 0 : current.tick - baseline.tick;
    if (baseline !== undefined && ticks <= 0) throw new RangeError('baseline must be older than the current state');

    // 1. Sort the current entities into created (baseline lacks this life of the id) and changed.
    for (let row = 0; row < current.count; row++) {
      const baseRow = baseline === undefined ? -1 : baseline.rowOf(current.ids[row]!);
      if (baseRow < 0 || baseline!.generations[baseRow] !== current.generations[row]) {
        this.createdRows[created++] = row;
        continue;
      }
      const mask = changeMask(
        baseline!.values,
        baseRow * FIELD_COUNT,
        current,
        row,
        ticks,
        this.predictors,
        this.bounds,
      );
      if (mask !== 0) {
        this.changedRows[changed] = row;
        this.changedMasks[changed++] = mask;
        changedElements += changedElementCount(mask);
      }
    }
    // 2. Removed: ids of the baseline with no entity now.
    if (baseline !== undefined) {
      for (let baseRow = 0; baseRow < baseline.count; baseRow++) {
        const id = baseline.ids[baseRow]!;
        if (current.rowOf(id) < 0) this.removedIds[removed++] = id;
      }
    }

    // 3. Write baseAge, created, changed, removed, then the events.
    out.reset();
    out.int(ticks);
    const entitiesStart = out.length;
    out.arrayHeader(created);
    for (let i = 0; i < created; i++) writeCreated(out, current, this.createdRows[i]!);
    out.arrayHeader(changedElements);
    for (let i = 0; i < changed; i++) writeChanged(out, current, this.changedRows[i]!, this.changedMasks[i]!);
    out.arrayHeader(removed);
    for (let i = 0; i < removed; i++) out.int(this.removedIds[i]!);
    const entityBytes = out.length - entitiesStart;
    let eventCount = 0;
    if (events === undefined) {
      out.arrayHeader(0);
      out.arrayHeader(0);
    } else {
      eventCount = events.write(out, baseline === undefined ? current.tick - 1 : baseline.tick, current.tick);
    }

    return { full: baseline === undefined, created, changed, removed, events: eventCount, entityBytes };
  }
}

/**
 * Which fields of `current`'s entity at `row` differ from their prediction from the entity's state
 * `ticks` ticks earlier, at `baseValues[baseAt …]` (a baseline's row, or a client's own copy of a
 * deferred entity): bit f set for field f of ENTITY_FIELDS. 0 = nothing to send.
 */
export function changeMask(
  baseValues: ArrayLike<number>,
  baseAt: number,
  current: WorldState,
  row: number,
  ticks: number,
  predictors: readonly Predictor[],
  bounds: WorldBounds,
): number {
  const values = current.values;
  const at = row * FIELD_COUNT;
  let mask = 0;
  for (let f = 0; f < FIELD_COUNT; f++) {
    if (values[at + f] !== predictors[f]!(baseValues, baseAt, values, at, ticks, bounds)) mask |= 1 << f;
  }
  return mask;
}

/** Elements an entity with change mask `mask` takes in the flat `changed` list: id, mask, one per set bit. */
export function changedElementCount(mask: number): number {
  return 2 + popCount(mask);
}

/** One `created` tuple: [id, every field in ENTITY_FIELDS order]. */
export function writeCreated(out: MsgpackWriter, current: WorldState, row: number): void {
  const values = current.values;
  out.arrayHeader(1 + FIELD_COUNT);
  out.int(current.ids[row]!);
  for (let f = 0; f < FIELD_COUNT; f++) out.int(values[row * FIELD_COUNT + f]!);
}

/** One entity's run of the flat `changed` list: id, mask, then each field whose bit is set. */
export function writeChanged(out: MsgpackWriter, current: WorldState, row: number, mask: number): void {
  const values = current.values;
  out.int(current.ids[row]!);
  out.int(mask);
  for (let f = 0; f < FIELD_COUNT; f++) if (mask & (1 << f)) out.int(values[row * FIELD_COUNT + f]!);
}
