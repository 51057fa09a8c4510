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
//
// Entities enter and leave at any snapshot (joins and leaves, projectiles, and with interest
// management whatever crosses the edge of the view, many a second). Each stored state knows its
// life: a `created` entity, or one the snapshot before lacks, starts a new life, even under an id
// the buffer held before. Nothing is drawn across two lives, or past the last state of one:
//
//   snapshots   ●───────────────○───────────────●─────────────●      ● id held, ○ id absent
//               P (tick 5)      (tick 6)        Q (tick 7, created again)
//   drawn       P┆ gone: not held at P, not extrapolated ┆Q, never slid from P ─▶
//
// A life is drawn from its first state on (at its true position, never slid from an older life or
// from the origin) up to its last, and dropped as soon as the render tick passes that last state.
//
// An entity a byte budget holds deferred (PROTOCOL.md, Deferred entities) keeps, in the client's
// world, the state the server last sent (tick H). Stored as is, it would be drawn frozen and then
// jump when its update came. pushWorld() stores it where the protocol's prediction puts it at each
// later tick instead (its held position moved by its held velocity, clamped to the world), which is
// where the server's update lands too unless it turned:
//
//   world       ●──────────●──────────●──────────●      ● sent    ◌ held as at tick H
//               H (sent)   ◌ H+1      ◌ H+2      U (its update)
//   stored      H          H + v      H + 2v     U      drawn: on its course, then eased to U

import {
  ANGLE_STEPS,
  FIELD_COUNT,
  FieldIndex,
  PREDICTORS,
  type WorldBounds,
  type WorldState,
} from '@tickwire/protocol';

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
  /** A new life starts here (the snapshot's `created`): nothing of an older life of the id carries over. */
  created?: boolean;
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
  /**
   * Tick of the first snapshot of this life of the entity (created, or absent from the snapshot
   * before); always set by sample(). A new value under the same id is a new entity: forget the old one.
   */
  lifeTick?: number;
}

/** The entities a byte budget holds deferred at a snapshot, as the client's decoder knows them. */
export interface HeldEntities {
  /** The tick of the state entity `id` holds while deferred, 0 when it is up to date (Connection.deferredSince). */
  deferredSince(id: number): number;
  /** The world's edges in position quanta (WELCOME's size × positionScale): predictions are clamped to them. */
  readonly bounds: WorldBounds;
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
  /** A new life starts at this state (created, or the id absent from the snapshot before). */
  born: boolean;
  /** Tick of the snapshot the life of this state started in (its own when born). */
  lifeTick: number;
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
    const previous = this.snapshots[index - 1]?.entities;
    for (const e of entities) {
      const born = e.created ?? false;
      stored.set(e.id, {
        x: e.x,
        y: e.y,
        angle: e.angle,
        kind: e.kind ?? 0,
        hp: e.hp ?? 0,
        teleport: e.teleport ?? false,
        born,
        lifeTick: lifeTickOf(previous, e.id, born, tick),
      });
    }
    this.insert(index, tick, stored, receivedAtMs);
    return true;
  }

  /**
   * As push(), straight from a decoded world (NetClient, per snapshot): one stored object per entity
   * read from the state's arrays, instead of an entity object, a copy of it, and then the stored one.
   * `created`: the snapshot's created entities (new lives, whatever the buffer held under their ids).
   * `held`: given when the world holds deferred entities; each is stored predicted from its held
   * state to this tick (see the top of this file), the rest as the world has them.
   */
  pushWorld(
    world: WorldState,
    receivedAtMs: number,
    created: readonly { id: number }[] = [],
    held?: HeldEntities,
  ): boolean {
    const index = this.insertionIndex(world.tick);
    if (index < 0) return false;
    const stored = new Map<number, StoredEntity>();
    const previous = this.snapshots[index - 1]?.entities;
    const values = world.values;
    for (let row = 0; row < world.count; row++) {
      const base = row * FIELD_COUNT;
      const id = world.ids[row]!;
      const heldFor = held === undefined ? 0 : heldTicks(held.deferredSince(id), world.tick);
      stored.set(id, {
        x: heldFor === 0 ? values[base + FieldIndex.x]! : PREDICT_X(values, base, values, base, heldFor, held!.bounds),
        y: heldFor === 0 ? values[base + FieldIndex.y]! : PREDICT_Y(values, base, values, base, heldFor, held!.bounds),
        angle: values[base + FieldIndex.angle]!,
        kind: values[base + FieldIndex.kind]!,
        hp: values[base + FieldIndex.hp]!,
        teleport: false,
        born: false,
        lifeTick: lifeTickOf(previous, id, false, world.tick),
      });
    }
    for (const { id } of created) {
      const entity = stored.get(id);
      if (entity === undefined) continue;
      entity.born = true;
      entity.lifeTick = world.tick;
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
    const snapshots = this.snapshots;
    snapshots.splice(index, 0, { tick, receivedAtMs, entities });
    // Lives run on from the snapshot before (push() linked this one); one inserted out of order can
    // end or split the lives of the later ones, so those are linked again. In order: none.
    for (let i = index + 1; i < snapshots.length; i++) linkLives(snapshots[i - 1]!, snapshots[i]!);
    if (snapshots.length > this.capacity) snapshots.shift();
  }

  /** Entity states held over all snapshots: at most capacity × the entities of one snapshot, however many came and went. */
  get storedStates(): number {
    let states = 0;
    for (const snapshot of this.snapshots) states += snapshot.entities.size;
    return states;
  }

  clear(): void {
    this.snapshots.length = 0;
  }

  /**
   * The ids that may be drawn at `renderTick` (those in the newest snapshot at or before it, or the
   * oldest held); sample() answers undefined for those already gone then.
   */
  idsAt(renderTick: number): IterableIterator<number> {
    const index = this.indexAtOrBefore(renderTick);
    const snapshot = this.snapshots[Math.max(0, index)];
    return (snapshot?.entities ?? new Map<number, StoredEntity>()).keys();
  }

  /**
   * Entity `id` at `renderTick`: interpolated between the two snapshots around it, extrapolated from
   * the last two for at most maxExtrapolationTicks past the newest then held, held at the oldest
   * before it. Undefined when the entity does not exist then: not yet created, or past its last
   * state before a snapshot that lacks it or holds a new life of its id.
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
      // Gone in b (removed, left the view, or replaced by a new life): dropped at its last state, as
      // where it went is unknown. A teleport of the same life: it jumps at b's tick.
      if (to === undefined || to.born) return undefined;
      if (this.isTeleport(from, to, b.tick - a.tick)) return copy(from, out);
      const fraction = (tick - a.tick) / (b.tick - a.tick);
      out.x = from.x + (to.x - from.x) * fraction;
      out.y = from.y + (to.y - from.y) * fraction;
      out.angle = lerpAngle(from.angle, to.angle, fraction, this.angleSteps);
      out.kind = from.kind;
      out.hp = from.hp;
      out.lifeTick = from.lifeTick;
      return out;
    }
    // Past the newest snapshot: carry on at the velocity between the last two of this life, angle held.
    const p = snapshots[index - 1];
    const previous = p?.entities.get(id);
    if (p === undefined || previous === undefined || from.born || this.isTeleport(previous, from, a.tick - p.tick)) {
      return copy(from, out);
    }
    const gapsAhead = (tick - a.tick) / (a.tick - p.tick);
    out.x = from.x + (from.x - previous.x) * gapsAhead;
    out.y = from.y + (from.y - previous.y) * gapsAhead;
    out.angle = from.angle;
    out.kind = from.kind;
    out.hp = from.hp;
    out.lifeTick = from.lifeTick;
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

/** The protocol's own position prediction, so a held entity is drawn where an update leaving x and y out would put it. */
const PREDICT_X = PREDICTORS.x;
const PREDICT_Y = PREDICTORS.y;

/** Ticks from the state a deferred entity holds (from tick `since`) to `tick`; 0 when it is up to date. */
function heldTicks(since: number, tick: number): number {
  return since > 0 && since < tick ? tick - since : 0;
}

function copy(from: StoredEntity, out: SampledEntity): SampledEntity {
  out.x = from.x;
  out.y = from.y;
  out.angle = from.angle;
  out.kind = from.kind;
  out.hp = from.hp;
  out.lifeTick = from.lifeTick;
  return out;
}

/**
 * Mark each state of `next` as the start of a life (created, or its id absent from `previous`) or
 * as the rest of the life it had in `previous`.
 */
function linkLives(previous: StoredSnapshot, next: StoredSnapshot): void {
  for (const [id, state] of next.entities) state.lifeTick = lifeTickOf(previous.entities, id, state.born, next.tick);
}

/**
 * The tick the life of entity `id`'s state at `tick` started: `tick` itself when it is born there
 * (created, or absent from the snapshot before), else the life it had in `previous`.
 */
function lifeTickOf(previous: Map<number, StoredEntity> | undefined, id: number, born: boolean, tick: number): number {
  return (born ? undefined : previous?.get(id)?.lifeTick) ?? tick;
}
