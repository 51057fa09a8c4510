// The server's recent shots and kills, and their place in a SNAPSHOT body: every event of the ticks
// after the client's baseline up to the snapshot's tick (a full snapshot: its own tick's only).
// push*() runs per event; write() once per distinct baseline per snapshot tick, beside the entity
// delta, so events share the body cache. Mirror: eventTicksProblem() checks a received body.
//
//   ticks        97   98   99  100  101  102
//   events        s    ·   sk    ·    s    ·        (s shot, k kill)
//   baseline 99 ──────────────┤ snapshot 102 carries the events of 100, 101, 102
import {
  type KillEvent,
  killFields,
  MAX_SNAPSHOT_KILLS,
  MAX_SNAPSHOT_SHOTS,
  type ShotEvent,
  shotFields,
} from '../messages.js';
import { MAX_POSITION_Q } from '../quantize.js';
import type { MsgpackWriter } from './msgpackWriter.js';

/**
 * A ring of integer tuples laid out like `fields` (one integer per field, in wire order), oldest
 * overwritten first; tuples are pushed in tick order, and the first field is the tick.
 */
class TupleRing {
  readonly values: Int32Array;
  readonly width: number;
  /** Slot of the oldest tuple. */
  start = 0;
  count = 0;
  /** Tuples pushed out by newer ones. */
  overwritten = 0;

  constructor(
    readonly capacity: number,
    private readonly fields: readonly { name: string }[],
  ) {
    this.width = fields.length;
    this.values = new Int32Array(capacity * this.width);
  }

  /** The slot for a new tuple (its first element is its tick). */
  push(tick: number): number {
    if (this.count > 0 && tick < this.tickAt(this.count - 1)) {
      throw new RangeError(`event of tick ${tick} after one of tick ${this.tickAt(this.count - 1)}`);
    }
    if (this.count === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
      this.overwritten++;
    }
    const at = ((this.start + this.count) % this.capacity) * this.width;
    this.count++;
    return at;
  }

  /** Offset into `values` of the i-th oldest tuple. */
  offsetOf(i: number): number {
    return ((this.start + i) % this.capacity) * this.width;
  }

  tickAt(i: number): number {
    return this.values[this.offsetOf(i)]!;
  }

  /** [first, end) indexes of the tuples with afterTick < tick ≤ uptoTick. */
  range(afterTick: number, uptoTick: number): [number, number] {
    let end = this.count;
    while (end > 0 && this.tickAt(end - 1) > uptoTick) end--;
    let first = end;
    while (first > 0 && this.tickAt(first - 1) > afterTick) first--;
    return [first, end];
  }

  /** Write the tuples with afterTick < tick ≤ uptoTick as a MessagePack array of arrays. */
  write(out: MsgpackWriter, afterTick: number, uptoTick: number): number {
    const [first, end] = this.range(afterTick, uptoTick);
    out.arrayHeader(end - first);
    for (let i = first; i < end; i++) this.writeAt(out, i);
    return end - first;
  }

  /** Write the i-th oldest tuple as a MessagePack array. */
  writeAt(out: MsgpackWriter, i: number): void {
    const at = this.offsetOf(i);
    out.arrayHeader(this.width);
    for (let f = 0; f < this.width; f++) out.int(this.values[at + f]!);
  }

  /** The tuples with afterTick < tick ≤ uptoTick as objects keyed by field name. Allocates: for tests and tools. */
  objects(afterTick: number, uptoTick: number): Record<string, number>[] {
    const [first, end] = this.range(afterTick, uptoTick);
    const out: Record<string, number>[] = [];
    for (let i = first; i < end; i++) {
      const at = this.offsetOf(i);
      const object: Record<string, number> = {};
      for (let f = 0; f < this.width; f++) object[this.fields[f]!.name] = this.values[at + f]!;
      out.push(object);
    }
    return out;
  }
}

export class EventHistory {
  private readonly shots: TupleRing;
  private readonly kills: TupleRing;

  /**
   * Capacities bound memory and every SNAPSHOT's lists (never above the decoder's bounds). An event
   * pushed out before every client's snapshot carried it is lost for the clients still behind: counted.
   */
  constructor(shotCapacity = MAX_SNAPSHOT_SHOTS, killCapacity = MAX_SNAPSHOT_KILLS) {
    if (shotCapacity > MAX_SNAPSHOT_SHOTS || killCapacity > MAX_SNAPSHOT_KILLS) {
      throw new RangeError('event capacity above what a SNAPSHOT may list');
    }
    this.shots = new TupleRing(shotCapacity, shotFields);
    this.kills = new TupleRing(killCapacity, killFields);
  }

  /** Events pushed out of the history by newer ones (shots and kills). */
  get overwritten(): number {
    return this.shots.overwritten + this.kills.overwritten;
  }

  /** Record a shot; ticks must not decrease. Positions are quanta, clamped to the wire's [0, MAX_POSITION_Q]. */
  pushShot(shot: ShotEvent): void {
    const at = this.shots.push(shot.tick);
    const v = this.shots.values;
    v[at] = shot.tick;
    v[at + 1] = shot.shooterId;
    v[at + 2] = shot.weapon;
    v[at + 3] = toPositionOnWire(shot.x0);
    v[at + 4] = toPositionOnWire(shot.y0);
    v[at + 5] = toPositionOnWire(shot.x1);
    v[at + 6] = toPositionOnWire(shot.y1);
    v[at + 7] = shot.hitId;
  }

  /** Record a kill; ticks must not decrease. */
  pushKill(kill: KillEvent): void {
    const at = this.kills.push(kill.tick);
    const v = this.kills.values;
    v[at] = kill.tick;
    v[at + 1] = kill.killerId;
    v[at + 2] = kill.victimId;
    v[at + 3] = kill.weapon;
  }

  /**
   * Append the SNAPSHOT's `shots` and `kills` lists to `out`: the events of ticks in
   * (afterTick, uptoTick]. For a delta, afterTick is the baseline's tick; for a full snapshot,
   * uptoTick − 1. Returns how many events were written.
   */
  write(out: MsgpackWriter, afterTick: number, uptoTick: number): number {
    return this.shots.write(out, afterTick, uptoTick) + this.kills.write(out, afterTick, uptoTick);
  }

  /**
   * Shots one at a time, for a SNAPSHOT whose shots are chosen per client (interest management):
   * the i-th oldest shot for `shotRange`'s [first, end), valid until the next push.
   */
  shotRange(afterTick: number, uptoTick: number): [first: number, end: number] {
    return this.shots.range(afterTick, uptoTick);
  }

  /** Field `field` (shotFields order: 0 tick, 3 x0, 4 y0, 5 x1, 6 y1, …) of the i-th oldest shot. */
  shotField(i: number, field: number): number {
    return this.shots.values[this.shots.offsetOf(i) + field]!;
  }

  /** Write the i-th oldest shot as its SNAPSHOT tuple. */
  writeShot(out: MsgpackWriter, i: number): void {
    this.shots.writeAt(out, i);
  }

  /** Append the SNAPSHOT's `kills` list alone: those of ticks in (afterTick, uptoTick]. Returns how many. */
  writeKills(out: MsgpackWriter, afterTick: number, uptoTick: number): number {
    return this.kills.write(out, afterTick, uptoTick);
  }

  /** The shots of ticks in (afterTick, uptoTick] as objects. Allocates: for tests and tools. */
  shotsBetween(afterTick: number, uptoTick: number): ShotEvent[] {
    return this.shots.objects(afterTick, uptoTick) as ShotEvent[];
  }

  /** The kills of ticks in (afterTick, uptoTick] as objects. Allocates: for tests and tools. */
  killsBetween(afterTick: number, uptoTick: number): KillEvent[] {
    return this.kills.objects(afterTick, uptoTick) as KillEvent[];
  }
}

function toPositionOnWire(value: number): number {
  const rounded = Math.round(value);
  return rounded < 0 ? 0 : Math.min(rounded, MAX_POSITION_Q);
}

/** The part of a SNAPSHOT that the event rule speaks of. */
export type SnapshotEventsBody = {
  tick: number;
  baseAge: number;
  shots: readonly { tick: number }[];
  kills: readonly { tick: number }[];
};

/**
 * Why a received SNAPSHOT breaks the event rule (PROTOCOL.md, "Shots and kills"), or undefined:
 * every event's tick must be in (tick − baseAge, tick] (a full snapshot: equal to tick), oldest first.
 */
export function eventTicksProblem(body: SnapshotEventsBody): string | undefined {
  const after = body.baseAge === 0 ? body.tick - 1 : body.tick - body.baseAge;
  for (const [name, list] of [
    ['shots', body.shots],
    ['kills', body.kills],
  ] as const) {
    let previous = after;
    for (let i = 0; i < list.length; i++) {
      const tick = list[i]!.tick;
      if (tick <= after || tick > body.tick) {
        return `${name}[${i}] of tick ${tick} is outside (${after}, ${body.tick}]`;
      }
      if (tick < previous) return `${name}[${i}] of tick ${tick} after one of tick ${previous}`;
      previous = tick;
    }
  }
  return undefined;
}
