// Applies a SNAPSHOT to the client's world state: the baseline plus the delta gives the server's
// state at the snapshot's tick, field for field. Runs once per received snapshot in every client.
// Mirror: encodeSnapshot.ts, same steps in the same order. Every index and value from the server
// is checked before use; a bad snapshot is reported, never thrown.
import { popCount } from '../bits.js';
import type { SnapshotMessage } from '../messages.js';
import { ENTITY_FIELDS, FIELD_COUNT } from './entityFields.js';
import { type Predictor, predictorList, type WorldBounds } from './predict.js';
import type { WorldState } from './worldState.js';

/**
 * The part of a SNAPSHOT (see messages.ts) that describes the world. `deferred`: entities of the
 * baseline the server did not update this time (a byte budget): they keep their state as it is,
 * unpredicted, until a later snapshot sends them (PROTOCOL.md, "Deferred entities").
 */
export type SnapshotBody = Pick<SnapshotMessage, 'tick' | 'baseAge' | 'created' | 'changed' | 'removed'> & {
  /** Absent: none (a body built by hand in a tool or test). */
  deferred?: readonly number[];
};

export type ApplyResult = { ok: true } | { ok: false; reason: string };

const ALL_FIELDS_MASK = (1 << FIELD_COUNT) - 1;
const FIELD_MIN = ENTITY_FIELDS.map((field) => ('min' in field ? field.min : 0));
const FIELD_MAX = ENTITY_FIELDS.map((field) => field.max);

export class SnapshotDecoder {
  /** id → 1 + index of its mask in `changed`, 0 when unchanged. */
  private readonly changedAt: Int32Array;
  /** id → 1 when removed or created this snapshot. */
  private readonly gone: Uint8Array;
  /** id → 1 when deferred this snapshot. */
  private readonly deferredNow: Uint8Array;
  /** id → the tick of the state it holds while deferred (the server has not updated it since); 0 when up to date. */
  private readonly heldSince: Int32Array;
  /** The ids with heldSince > 0, so a full snapshot can clear them. */
  private readonly deferredIds = new Set<number>();
  private readonly predictors: Predictor[];

  constructor(
    private readonly maxId: number,
    private readonly bounds: WorldBounds,
    predictors?: Parameters<typeof predictorList>[0],
  ) {
    this.changedAt = new Int32Array(maxId + 1);
    this.gone = new Uint8Array(maxId + 1);
    this.deferredNow = new Uint8Array(maxId + 1);
    this.heldSince = new Int32Array(maxId + 1);
    this.predictors = predictorList(predictors);
  }

  /** The tick of the state entity `id` holds while deferred, or 0 when it is up to date (not deferred). */
  deferredSince(id: number): number {
    return id >= 0 && id <= this.maxId ? this.heldSince[id]! : 0;
  }

  /** Entities held deferred now. */
  get deferredCount(): number {
    return this.deferredIds.size;
  }

  /**
   * Write baseline + body into `out` (which must not be `baseline`). `baseline` is the state of
   * the last snapshot applied; it must be from tick − baseAge unless baseAge is 0. An entity held
   * deferred is predicted from the tick of its own state, not the baseline's, and is otherwise kept as it is.
   */
  apply(baseline: WorldState | undefined, body: SnapshotBody, out: WorldState): ApplyResult {
    const ticks = body.baseAge;
    if (ticks > 0 && (baseline === undefined || baseline.tick !== body.tick - ticks)) {
      return {
        ok: false,
        reason: `baseline tick ${body.tick - ticks} is not the last applied (${baseline?.tick ?? 'none'})`,
      };
    }
    const base = ticks > 0 ? baseline : undefined;
    try {
      const problem = this.index(base, body);
      if (problem !== undefined) return { ok: false, reason: problem };
      out.reset(body.tick);
      // A full snapshot replaces everything: nothing is held deferred any more.
      if (base === undefined) this.forgetDeferred();

      // 1. Entities of the baseline that survive: each field sent, or predicted (from the tick of its
      //    own state when it was deferred), or kept as it is while deferred.
      if (base !== undefined) {
        for (let baseRow = 0; baseRow < base.count; baseRow++) {
          const id = base.ids[baseRow]!;
          if (this.gone[id] === 1) {
            this.undefer(id);
            continue;
          }
          const row = out.add(id, 0);
          const at = row * FIELD_COUNT;
          const baseAt = baseRow * FIELD_COUNT;
          const maskAt = this.changedAt[id]! - 1;
          const heldSince = this.heldSince[id]!;
          if (maskAt < 0 && (heldSince > 0 || this.deferredNow[id] === 1)) {
            // Deferred: its state stays the one the server last sent, from the tick it says.
            for (let f = 0; f < FIELD_COUNT; f++) out.values[at + f] = base.values[baseAt + f]!;
            if (heldSince === 0) {
              this.heldSince[id] = base.tick;
              this.deferredIds.add(id);
            }
            continue;
          }
          const ticksFromBase = heldSince > 0 ? body.tick - heldSince : ticks;
          this.undefer(id);
          const mask = maskAt >= 0 ? body.changed[maskAt]! : 0;
          let next = maskAt + 1;
          for (let f = 0; f < FIELD_COUNT; f++) {
            if (mask & (1 << f)) {
              const value = body.changed[next++]!;
              if (!Number.isInteger(value) || value < FIELD_MIN[f]! || value > FIELD_MAX[f]!) {
                return { ok: false, reason: `entity ${id}: ${ENTITY_FIELDS[f]!.name} ${value} out of range` };
              }
              out.values[at + f] = value;
            } else {
              out.values[at + f] = this.predictors[f]!(base.values, baseAt, out.values, at, ticksFromBase, this.bounds);
            }
          }
        }
      }
      // 2. Created entities, whole (replacing an older life of the same id).
      for (const entity of body.created) {
        this.undefer(entity.id);
        const row = out.add(entity.id, 0);
        const at = row * FIELD_COUNT;
        for (let f = 0; f < FIELD_COUNT; f++) out.values[at + f] = entity[ENTITY_FIELDS[f]!.name];
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      this.clearIndex(body);
    }
  }

  private undefer(id: number): void {
    if (this.heldSince[id] === 0) return;
    this.heldSince[id] = 0;
    this.deferredIds.delete(id);
  }

  private forgetDeferred(): void {
    for (const id of this.deferredIds) this.heldSince[id] = 0;
    this.deferredIds.clear();
  }

  /** Check the body's structure against the baseline and index it by id. */
  private index(base: WorldState | undefined, body: SnapshotBody): string | undefined {
    const deferred = body.deferred ?? [];
    if (base === undefined && (body.changed.length > 0 || body.removed.length > 0 || deferred.length > 0)) {
      return 'a full snapshot has no changed, removed or deferred entities';
    }
    for (const id of body.removed) {
      if (base === undefined || base.rowOf(id) < 0) return `removed entity ${id} is not in the baseline`;
      if (this.gone[id] === 1) return `entity ${id} removed twice`;
      this.gone[id] = 1;
    }
    for (const entity of body.created) {
      if (entity.id > this.maxId) return `created entity id ${entity.id} above ${this.maxId}`;
      if (this.gone[entity.id] === 1) return `entity ${entity.id} created twice, or removed and created`;
      this.gone[entity.id] = 1;
    }
    const changed = body.changed;
    let i = 0;
    while (i < changed.length) {
      const id = changed[i]!;
      const mask = changed[i + 1];
      if (base === undefined || base.rowOf(id) < 0) return `changed entity ${id} is not in the baseline`;
      if (this.gone[id] === 1 || this.changedAt[id] !== 0)
        return `entity ${id} changed twice, or also created or removed`;
      if (mask === undefined || !Number.isInteger(mask) || mask < 1 || mask > ALL_FIELDS_MASK) {
        return `entity ${id}: bad change mask ${mask}`;
      }
      this.changedAt[id] = i + 2; // 1 + index of the mask
      i += 2 + popCount(mask);
    }
    if (i !== changed.length) return 'changed list ends inside an entity';
    for (const id of deferred) {
      if (base === undefined || base.rowOf(id) < 0) return `deferred entity ${id} is not in the baseline`;
      if (this.gone[id] === 1 || this.changedAt[id] !== 0 || this.deferredNow[id] === 1) {
        return `entity ${id} deferred twice, or also created, changed or removed`;
      }
      if (this.heldSince[id] !== 0) return `entity ${id} deferred while already deferred`;
      this.deferredNow[id] = 1;
    }
    return undefined;
  }

  private clearIndex(body: SnapshotBody): void {
    for (const id of body.deferred ?? [])
      if (Number.isInteger(id) && id >= 0 && id <= this.maxId) this.deferredNow[id] = 0;
    for (const id of body.removed) if (id >= 0 && id <= this.maxId) this.gone[id] = 0;
    for (const entity of body.created) if (entity.id <= this.maxId) this.gone[entity.id] = 0;
    const changed = body.changed;
    for (let i = 0; i < changed.length; ) {
      const id = changed[i]!;
      if (Number.isInteger(id) && id >= 0 && id <= this.maxId) this.changedAt[id] = 0;
      const mask = changed[i + 1] ?? 0;
      i += 2 + (Number.isInteger(mask) && mask > 0 && mask <= ALL_FIELDS_MASK ? popCount(mask) : changed.length);
    }
  }
}
