// Remote entities' recent states keyed by server tick: push() per snapshot, sample() per entity per
// rendered frame (a binary search over ≤ capacity snapshots, no allocation when given `out`).
//
//   snapshots   ─────●──────────●──────────●──────────●             (newest)
//                 tick 40     tick 41    tick 42    tick 43 ┆ +250 ms ┆
//   render tick                        ▲                   ▲         ▲
//                           interpolate 42→43       extrapolate   hold
//                           (angle the short way)   from 42, 43   (angle held)
//
// Positions are integer quanta (protocol/quantize.ts) and angles are 0..angleSteps−1 (256 per turn);
// sample() answers floats on the same scales. A teleport — a jump longer than teleportFactor × the
// top speed × the ticks between the two snapshots, or an entity pushed with `teleport: true` — is
// not slid across: the entity stays at the earlier state until the render tick reaches the later one.
// Projectiles fly at 480 units/s, 2.4 times a player's top speed, so they stay under the default
// teleport factor of 3 and are interpolated like players. `kind` and `hp` are not interpolated: a
// sample carries those of the snapshot at or before the render tick.

import { ANGLE_STEPS, FIELD_COUNT, FieldIndex, type WorldState } from '@tickwire/protocol';

/** One entity as a snapshot has it (the caller copies these from its decoded WorldState). */
export interface EntitySnapshot {
  id: number;
  /** Position quanta. */
  x: number;
  y: number;
  /** Facing in 1/angleSteps of a turn. */
  angle: number;
  /** What the entity is (EntityKind: 0 player, 1 projectile). @default 0 */
  kind?: number;
  /** Health points. @default 0 */
  hp?: number;
  /** The entity jumped since the previous snapshot (respawn, debug nudge): never interpolate into this state. */
  teleport?: boolean;
}

/** An entity's state at a render tick: floats on the quanta and angle-step scales. */
export interface SampledEntity {
  x: number;
  y: number;
  /** In [0, angleSteps). */
  angle: number;
  /** EntityKind (0 player, 1 projectile); sample() always sets it (optional so a bare {x, y, angle} can be the scratch object). */
  kind?: number;
  /** Health points of the snapshot at or before the render tick (0: a dead player, or a projectile); always set by sample(). */
  hp?: number;
}

export interface SnapshotBufferOptions {
  /** Server ticks per second (WELCOME `tickRate`), to turn maxExtrapolationMs into ticks. */
  tickRate: number;
  /**
   * Top speed in position quanta per tick: WELCOME `speed` × `positionScale` / `tickRate`
   * (200 × 16 / 30 ≈ 107 in the arena).
   */
  maxQuantaPerTick: number;
  /** A jump longer than this many times the top speed is a teleport. @default 3 */
  teleportFactor?: number;
  /** How far past the newest snapshot sample() extrapolates before it holds. @default 250 ms */
  maxExtrapolationMs?: number;
  /**
   * Snapshots kept. @default 64 (2.1 s at 30 Hz: the render tick trails the newest snapshot by the
   * interpolation delay, at most RenderClock's maxDelayMs of 300 ms plus one interval)
   */
  capacity?: number;
  /** Angle quanta per turn (WELCOME `angleSteps`). @default ANGLE_STEPS (256) */
  angleSteps?: number;
}

interface StoredEntity {
  x: number;
  y: number;
  angle: number;
  kind: number;
  hp: number;
  teleport: boolean;
}

interface StoredSnapshot {
  tick: number;
  receivedAtMs: number;
  entities: Map<number, StoredEntity>;
}

export const DEFAULT_TELEPORT_FACTOR = 3;
export const DEFAULT_MAX_EXTRAPOLATION_MS = 250;
export const DEFAULT_SNAPSHOT_CAPACITY = 64;

/** `from` + the short way round to `to`, times `fraction`, wrapped into [0, steps). 250 → 5 passes 0. */
export function lerpAngle(from: number, to: number, fraction: number, steps = ANGLE_STEPS): number {
  const half = steps / 2;
  const delta = ((((to - from) % steps) + steps + half) % steps) - half;
  const angle = (from + delta * fraction) % steps;
  return angle < 0 ? angle + steps : angle;
}

export class SnapshotBuffer {
  readonly maxQuantaPerTick: number;
  readonly teleportFactor: number;
  /** maxExtrapolationMs in ticks. */
  readonly maxExtrapolationTicks: number;
  readonly capacity: number;
  readonly angleSteps: number;
  /** Snapshots refused: a tick already held, or older than everything held when full. */
  droppedCount = 0;
  /** Ascending by tick, no duplicates. */
  private readonly snapshots: StoredSnapshot[] = [];

  constructor(options: SnapshotBufferOptions) {
    this.maxQuantaPerTick = options.maxQuantaPerTick;
    this.teleportFactor = options.teleportFactor ?? DEFAULT_TELEPORT_FACTOR;
    this.maxExtrapolationTicks =
      ((options.maxExtrapolationMs ?? DEFAULT_MAX_EXTRAPOLATION_MS) * options.tickRate) / 1000;
    this.capacity = options.capacity ?? DEFAULT_SNAPSHOT_CAPACITY;
    this.angleSteps = options.angleSteps ?? ANGLE_STEPS;
  }

  get size(): number {
    return this.snapshots.length;
  }

  /** The newest tick held, undefined when empty. */
  get newestTick(): number | undefined {
    return this.snapshots.at(-1)?.tick;
  }

  get oldestTick(): number | undefined {
    return this.snapshots[0]?.tick;
  }

  /** Client ms at which the newest snapshot was pushed, undefined when empty. */
  get newestReceivedAtMs(): number | undefined {
    return this.snapshots.at(-1)?.receivedAtMs;
  }

  /**
   * Store the whole world as of `tick` (per snapshot; copies the entities). Snapshots may come out of
   * order; a tick already held is refused, as is one older than all held when the buffer is full.
   */
  push(tick: number, entities: Iterable<EntitySnapshot>, receivedAtMs: number): boolean {
    const index = this.insertionIndex(tick);
    if (index < 0) return false;
    const stored = new Map<number, StoredEntity>();
    for (const e of entities) {
      stored.set(e.id, {
        x: e.x,
        y: e.y,
        angle: e.angle,
        kind: e.kind ?? 0,
        hp: e.hp ?? 0,
        teleport: e.teleport ?? false,
      });
    }
    this.insert(index, tick, stored, receivedAtMs);
    return true;
  }

  /**
   * As push(), straight from a decoded world (NetClient, per snapshot): one stored object per entity
   * read from the state's arrays, instead of an entity object, a copy of it, and then the stored one.
   */
  pushWorld(world: WorldState, receivedAtMs: number): boolean {
    const index = this.insertionIndex(world.tick);
    if (index < 0) return false;
    const stored = new Map<number, StoredEntity>();
    const values = world.values;
    for (let row = 0; row < world.count; row++) {
      const base = row * FIELD_COUNT;
      stored.set(world.ids[row]!, {
        x: values[base + FieldIndex.x]!,
        y: values[base + FieldIndex.y]!,
        angle: values[base + FieldIndex.angle]!,
        kind: values[base + FieldIndex.kind]!,
        hp: values[base + FieldIndex.hp]!,
        teleport: false,
      });
    }
    this.insert(index, world.tick, stored, receivedAtMs);
    return true;
  }

  /** Where a snapshot of `tick` goes, or -1 (counted as dropped) when it is held already or too old. */
  private insertionIndex(tick: number): number {
    const snapshots = this.snapshots;
    let index = snapshots.length;
    while (index > 0 && snapshots[index - 1]!.tick > tick) index--;
    if ((index > 0 && snapshots[index - 1]!.tick === tick) || (index === 0 && snapshots.length >= this.capacity)) {
      this.droppedCount++;
      return -1;
    }
    return index;
  }

  private insert(index: number, tick: number, entities: Map<number, StoredEntity>, receivedAtMs: number): void {
    this.snapshots.splice(index, 0, { tick, receivedAtMs, entities });
    if (this.snapshots.length > this.capacity) this.snapshots.shift();
  }

  clear(): void {
    this.snapshots.length = 0;
  }

  /** The ids alive at `renderTick` (those in the newest snapshot at or before it, or the oldest held). */
  idsAt(renderTick: number): IterableIterator<number> {
    const index = this.indexAtOrBefore(renderTick);
    const snapshot = this.snapshots[Math.max(0, index)];
    return (snapshot?.entities ?? new Map<number, StoredEntity>()).keys();
  }

  /**
   * Entity `id` at `renderTick`: interpolated between the two snapshots around it, extrapolated from
   * the last two for at most maxExtrapolationTicks past the newest then held, held at the oldest
   * before it. Undefined when the entity does not exist then (not yet created, or removed).
   */
  sample(
    id: number,
    renderTick: number,
    out: SampledEntity = { x: 0, y: 0, angle: 0, kind: 0, hp: 0 },
  ): SampledEntity | undefined {
    const snapshots = this.snapshots;
    const newest = snapshots.at(-1);
    if (newest === undefined) return undefined;
    const tick = Math.min(renderTick, newest.tick + this.maxExtrapolationTicks);
    const index = Math.max(0, this.indexAtOrBefore(tick));
    const a = snapshots[index]!;
    const from = a.entities.get(id);
    if (from === undefined) return undefined;
    if (tick <= a.tick) return copy(from, out);
    const b = snapshots[index + 1];
    if (b !== undefined) {
      const to = b.entities.get(id);
      // Removed in b: it still exists until b's tick. A teleport: it jumps at b's tick.
      if (to === undefined || this.isTeleport(from, to, b.tick - a.tick)) return copy(from, out);
      const fraction = (tick - a.tick) / (b.tick - a.tick);
      out.x = from.x + (to.x - from.x) * fraction;
      out.y = from.y + (to.y - from.y) * fraction;
      out.angle = lerpAngle(from.angle, to.angle, fraction, this.angleSteps);
      out.kind = from.kind;
      out.hp = from.hp;
      return out;
    }
    // Past the newest snapshot: carry on at the velocity between the last two, angle held.
    const p = snapshots[index - 1];
    const previous = p?.entities.get(id);
    if (p === undefined || previous === undefined || this.isTeleport(previous, from, a.tick - p.tick)) {
      return copy(from, out);
    }
    const gapsAhead = (tick - a.tick) / (a.tick - p.tick);
    out.x = from.x + (from.x - previous.x) * gapsAhead;
    out.y = from.y + (from.y - previous.y) * gapsAhead;
    out.angle = from.angle;
    out.kind = from.kind;
    out.hp = from.hp;
    return out;
  }

  private isTeleport(from: StoredEntity, to: StoredEntity, ticks: number): boolean {
    return (
      to.teleport || Math.hypot(to.x - from.x, to.y - from.y) > this.teleportFactor * this.maxQuantaPerTick * ticks
    );
  }

  /** Index of the last snapshot with tick ≤ `tick`, −1 when all are later. */
  private indexAtOrBefore(tick: number): number {
    let lo = 0;
    let hi = this.snapshots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.snapshots[mid]!.tick <= tick) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}

function copy(from: StoredEntity, out: SampledEntity): SampledEntity {
  out.x = from.x;
  out.y = from.y;
  out.angle = from.angle;
  out.kind = from.kind;
  out.hp = from.hp;
  return out;
}
