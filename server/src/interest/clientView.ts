// One client's view (interest management): the entity lives it holds, as of the last snapshot sent
// to it, and where its view was centred. One per connection; read and replaced once per snapshot
// tick it is sent. Its memory is bounded by the view cap, not by the room.
import { FIELD_COUNT, FieldIndex, type WorldState } from '@tickwire/protocol';
import type { PriorityBudget } from './priorityBudget.js';

/** An entity the client holds deferred (a byte budget): the state it was last sent, and from which tick. */
export interface HeldEntity {
  tick: number;
  values: Int32Array;
}

const X = FieldIndex.x;
const Y = FieldIndex.y;

export class ClientView {
  /** The lives in view at `tick`: ids and their spawn generations, `count` of them. */
  ids: Int32Array;
  generations: Int32Array;
  count = 0;
  /** The snapshot tick this view was sent at (the client's baseline); 0 before the first. */
  tick = 0;
  /** The view's centre in position quanta: the client's own player where last seen. */
  centerX = 0;
  centerY = 0;
  /** Entities in view the client holds deferred, by id: a delta to it is against this state, not the baseline's. */
  readonly held = new Map<number, HeldEntity>();
  /** The client's byte budget, when the room has one. */
  budget: PriorityBudget | undefined;

  constructor(cap: number) {
    this.ids = new Int32Array(cap);
    this.generations = new Int32Array(cap);
  }

  /** Centre the view on entity `ownId` of `current` when it is there; else keep the last centre. */
  center(current: WorldState, ownId: number): void {
    const row = current.rowOf(ownId);
    if (row < 0) return;
    this.centerX = current.values[row * FIELD_COUNT + X]!;
    this.centerY = current.values[row * FIELD_COUNT + Y]!;
  }

  /** Entity `id` of `baseline` at `row` is deferred from now: the client keeps that state. */
  hold(baseline: WorldState, row: number): void {
    const values = new Int32Array(FIELD_COUNT);
    values.set(baseline.values.subarray(row * FIELD_COUNT, row * FIELD_COUNT + FIELD_COUNT));
    this.held.set(baseline.ids[row]!, { tick: baseline.tick, values });
  }

  /** The view is now the entities of `current` at `rows[0, count)`, sent at `current.tick`. */
  replace(current: WorldState, rows: Int32Array, count: number): void {
    for (let i = 0; i < count; i++) {
      const row = rows[i]!;
      this.ids[i] = current.ids[row]!;
      this.generations[i] = current.generations[row]!;
    }
    this.count = count;
    this.tick = current.tick;
  }

  /** The ids in view, sorted. Allocates: for DEBUG_STATE and tests. */
  idList(): number[] {
    return Array.from(this.ids.subarray(0, this.count)).sort((a, b) => a - b);
  }
}
