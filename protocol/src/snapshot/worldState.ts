// A whole world's networked state at one tick, as flat typed arrays (row per entity, column per
// field). Filled once per snapshot tick on the server (its history ring) and once per applied
// snapshot in each client. Reused, never reallocated, so a tick allocates nothing here.
import { ENTITY_FIELDS, type EntityState, FIELD_COUNT } from './entityFields.js';

export class WorldState {
  /** The tick this state is from; 0 when empty. */
  tick = 0;
  /** Entities held (rows 0..count-1). */
  count = 0;
  /** Row → entity id. */
  readonly ids: Int32Array;
  /**
   * Row → spawn generation: which life of an id this is. Server side only (never sent); a client
   * keeps 0. An id whose generation differs from the baseline's is a new entity, sent whole.
   */
  readonly generations: Int32Array;
  /** Row r's field f is at values[r × FIELD_COUNT + f], in ENTITY_FIELDS order. */
  readonly values: Int32Array;
  private readonly rowOfId: Int32Array;

  constructor(
    readonly capacity: number,
    readonly maxId: number,
  ) {
    this.ids = new Int32Array(capacity);
    this.generations = new Int32Array(capacity);
    this.values = new Int32Array(capacity * FIELD_COUNT);
    this.rowOfId = new Int32Array(maxId + 1).fill(-1);
  }

  /** Empty the state and stamp it with `tick`. O(entities held). */
  reset(tick: number): void {
    for (let row = 0; row < this.count; row++) this.rowOfId[this.ids[row]!] = -1;
    this.count = 0;
    this.tick = tick;
  }

  /** The row of entity `id`, or -1. */
  rowOf(id: number): number {
    return id >= 0 && id <= this.maxId ? this.rowOfId[id]! : -1;
  }

  /** Append an entity; returns its row. Fill its fields through `values` at row × FIELD_COUNT. */
  add(id: number, generation: number): number {
    if (this.count >= this.capacity) throw new RangeError(`world state holds at most ${this.capacity} entities`);
    if (id < 0 || id > this.maxId) throw new RangeError(`entity id ${id} outside [0, ${this.maxId}]`);
    if (this.rowOfId[id] !== -1) throw new RangeError(`entity id ${id} added twice`);
    const row = this.count++;
    this.ids[row] = id;
    this.generations[row] = generation;
    this.rowOfId[id] = row;
    return row;
  }

  /** Make this state an exact copy of `other` (same capacity rules apply). */
  copyFrom(other: WorldState): void {
    this.reset(other.tick);
    for (let row = 0; row < other.count; row++) {
      this.add(other.ids[row]!, other.generations[row]!);
    }
    this.values.set(other.values.subarray(0, other.count * FIELD_COUNT));
  }

  /** One entity as an object, or undefined. Allocates: for tests, tools and rendering, not hot loops. */
  entity(id: number): EntityState | undefined {
    const row = this.rowOf(id);
    if (row < 0) return undefined;
    const state: Record<string, number> = {};
    for (let f = 0; f < FIELD_COUNT; f++) state[ENTITY_FIELDS[f]!.name] = this.values[row * FIELD_COUNT + f]!;
    return state as EntityState;
  }

  /** Every entity by id, sorted by id. Allocates: for tests and tools. */
  toObject(): Record<number, EntityState> {
    const ids = Array.from(this.ids.subarray(0, this.count)).sort((a, b) => a - b);
    const out: Record<number, EntityState> = {};
    for (const id of ids) out[id] = this.entity(id)!;
    return out;
  }
}
