// The ready-made bytes that every interest-managed client's SNAPSHOT is gathered from, written once
// per snapshot tick however many clients take them: each entity's whole tuple (for every client it
// enters), each entity's changed fields against a baseline tick (for every client whose baseline
// that is: in the steady state all of them share the previous snapshot), each shot, and the kills
// since a baseline. Pieces are made on first use and kept until the next tick's begin().
import {
  changedElementCount,
  changeMask,
  type EventHistory,
  FIELD_COUNT,
  FieldIndex,
  MsgpackWriter,
  type Predictor,
  predictorList,
  type WorldBounds,
  type WorldState,
  writeChanged,
  writeCreated,
} from '@tickwire/protocol';

const X_FIELD = FieldIndex.x;

/** Pieces made and their bytes, since the sender started (the per-tick figures are differences). */
export interface PieceCounters {
  /** Entity pieces written: whole tuples and changed-field runs (empty runs are not counted). */
  piecesEncoded: number;
  /** Bytes of those pieces, plus shots and kills lists. */
  pieceBytesEncoded: number;
  /**
   * Changed-field runs one client had of its own: against a baseline older than the previous
   * snapshot (a lagging client), or against the state it holds of a deferred entity (a budget).
   */
  laggingPieces: number;
}

/** One baseline tick's changed-field runs, by row of the current state. */
class DeltaRuns {
  start: Int32Array;
  end: Int32Array;
  elements: Int32Array;
  /** The begin() serial a row's run was made in; older: not made this tick. */
  made: Int32Array;
  constructor(capacity: number) {
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.elements = new Int32Array(capacity);
    this.made = new Int32Array(capacity);
  }
}

export class EntityPieces {
  /** Every piece of this tick, back to back; a piece is a [start, end) range of it. */
  readonly bytes = new MsgpackWriter(1 << 16);
  readonly counters: PieceCounters = { piecesEncoded: 0, pieceBytesEncoded: 0, laggingPieces: 0 };
  private serial = 0;
  private current: WorldState | undefined;
  private previousTick = 0;
  private readonly predictors: Predictor[] = predictorList();
  // Whole tuples, by row of the current state.
  private readonly createdStart: Int32Array;
  private readonly createdEnd: Int32Array;
  private readonly createdMade: Int32Array;
  /** Changed-field runs by baseline tick; tables return to the pool at begin(). */
  private readonly deltas = new Map<number, DeltaRuns>();
  private readonly pool: DeltaRuns[] = [];
  // Shots by their index in the event history, and kills by baseline tick.
  private shotStart = new Int32Array(64);
  private shotEnd = new Int32Array(64);
  private shotMade = new Int32Array(64);
  private readonly kills = new Map<number, { start: number; end: number }>();

  constructor(
    private readonly capacity: number,
    private readonly bounds: WorldBounds,
  ) {
    this.createdStart = new Int32Array(capacity);
    this.createdEnd = new Int32Array(capacity);
    this.createdMade = new Int32Array(capacity);
  }

  /** A new snapshot tick: every piece of the last one is dropped. `previousTick`: the snapshot before it (0: none). */
  begin(current: WorldState, previousTick: number): void {
    this.serial++;
    this.current = current;
    this.previousTick = previousTick;
    this.bytes.reset();
    for (const runs of this.deltas.values()) this.pool.push(runs);
    this.deltas.clear();
    this.kills.clear();
  }

  /** The whole tuple of the entity at `row`: [start, end) of `bytes` via createdRange. Made once per tick. */
  created(row: number): void {
    if (this.createdMade[row] === this.serial) return;
    const start = this.bytes.length;
    writeCreated(this.bytes, this.current!, row);
    this.createdStart[row] = start;
    this.createdEnd[row] = this.bytes.length;
    this.createdMade[row] = this.serial;
    this.counted(this.bytes.length - start, false);
  }

  createdStartOf(row: number): number {
    return this.createdStart[row]!;
  }

  createdEndOf(row: number): number {
    return this.createdEnd[row]!;
  }

  /**
   * The changed-field run of the entity at `row` against `baseline`'s row `baseRow` (the same life),
   * made once per tick per baseline. Its range and element count are read from the returned runs at `row`.
   */
  delta(baseline: WorldState, baseRow: number, row: number): DeltaRuns {
    let runs = this.deltas.get(baseline.tick);
    if (runs === undefined) {
      runs = this.pool.pop() ?? new DeltaRuns(this.capacity);
      this.deltas.set(baseline.tick, runs);
    }
    if (runs.made[row] === this.serial) return runs;
    runs.made[row] = this.serial;
    const current = this.current!;
    const mask = changeMask(
      baseline.values,
      baseRow * FIELD_COUNT,
      current,
      row,
      current.tick - baseline.tick,
      this.predictors,
      this.bounds,
    );
    if (mask === 0) {
      runs.start[row] = 0;
      runs.end[row] = 0;
      runs.elements[row] = 0;
      return runs;
    }
    const start = this.bytes.length;
    writeChanged(this.bytes, current, row, mask);
    runs.start[row] = start;
    runs.end[row] = this.bytes.length;
    runs.elements[row] = changedElementCount(mask);
    this.counted(this.bytes.length - start, baseline.tick !== this.previousTick);
    return runs;
  }

  /**
   * One client's own changed-field run of the entity at `row` against the state it holds deferred
   * (`held`, from tick `heldTick`): never shared. A run that predicts every field still sends x, so
   * the entity is up to date again once applied. Returns its range and element count in `out`.
   */
  ownDelta(
    held: Int32Array,
    heldTick: number,
    row: number,
    out: { start: number; end: number; elements: number },
  ): void {
    const current = this.current!;
    let mask = changeMask(held, 0, current, row, current.tick - heldTick, this.predictors, this.bounds);
    if (mask === 0) mask = 1 << X_FIELD;
    out.start = this.bytes.length;
    writeChanged(this.bytes, current, row, mask);
    out.end = this.bytes.length;
    out.elements = changedElementCount(mask);
    this.counted(out.end - out.start, true);
  }

  /** The i-th oldest shot of `events` as its tuple: [start, end) via shotStartOf/shotEndOf. Made once per tick. */
  shot(events: EventHistory, i: number): void {
    if (i >= this.shotMade.length) this.growShots(i + 1);
    if (this.shotMade[i] === this.serial) return;
    const start = this.bytes.length;
    events.writeShot(this.bytes, i);
    this.shotStart[i] = start;
    this.shotEnd[i] = this.bytes.length;
    this.shotMade[i] = this.serial;
    this.counters.pieceBytesEncoded += this.bytes.length - start;
  }

  shotStartOf(i: number): number {
    return this.shotStart[i]!;
  }

  shotEndOf(i: number): number {
    return this.shotEnd[i]!;
  }

  /** The `kills` list (room-wide) for a client whose baseline is `afterTick`: made once per tick per baseline. */
  killList(events: EventHistory | undefined, afterTick: number): { start: number; end: number } {
    let range = this.kills.get(afterTick);
    if (range === undefined) {
      const start = this.bytes.length;
      if (events === undefined) this.bytes.arrayHeader(0);
      else events.writeKills(this.bytes, afterTick, this.current!.tick);
      range = { start, end: this.bytes.length };
      this.kills.set(afterTick, range);
      this.counters.pieceBytesEncoded += range.end - start;
    }
    return range;
  }

  private counted(bytes: number, lagging: boolean): void {
    this.counters.piecesEncoded++;
    this.counters.pieceBytesEncoded += bytes;
    if (lagging) this.counters.laggingPieces++;
  }

  private growShots(size: number): void {
    const length = Math.max(size, this.shotMade.length * 2);
    const grow = (old: Int32Array) => {
      const grown = new Int32Array(length);
      grown.set(old);
      return grown;
    };
    this.shotStart = grow(this.shotStart);
    this.shotEnd = grow(this.shotEnd);
    this.shotMade = grow(this.shotMade);
  }
}

export type { DeltaRuns };
