// Sends one snapshot tick to every client of an interest-managed room (viewRadius > 0): each client
// gets its own player and the entities near it, as an ordinary delta against what it holds. Runs
// once per snapshot tick, in four timed steps:
//
//   grid   move every captured entity in the spatial grid (O(1) each; a cell change is rare)
//   views  per client: the grid's candidates → its next view (viewRules.ts) → entered, kept, left
//   encode the pieces those need, each once per tick (entityPieces.ts): whole tuples for entered,
//          changed-field runs against the client's baseline for kept (shared by every client of
//          that baseline: in the steady state, the previous snapshot), shots, the kills list
//   send   per client: its header, array headers and removed ids, and a copy of its pieces,
//          gathered into one buffer and written once
//
// A client's world is the server's world at its baseline restricted to its view at that tick
// (ClientView), so entering is a `created` tuple, leaving a `removed` id, and every rule of
// PROTOCOL.md's delta section holds per client. A client with no baseline in the ring gets a full
// snapshot of its view. Shots are sent to the clients that see their start or their end; kills go
// to everyone.
import {
  FIELD_COUNT,
  FieldIndex,
  MsgpackWriter,
  SNAPSHOT_HEADER_MAX_BYTES,
  StateRing,
  type WorldState,
  writeSnapshotHeaderBefore,
} from '@tickwire/protocol';
import {
  fillClientPart,
  keepsUp,
  newClientPart,
  newSnapshotCounters,
  type SendTiming,
  type SnapshotClient,
  type SnapshotCounters,
  type SnapshotSenderHooks,
  type SnapshotSenderOptions,
  STAGED_BODY_START,
} from '../snapshot/snapshotSender.js';
import { ClientView } from './clientView.js';
import { EntityPieces } from './entityPieces.js';
import { IdList } from './idList.js';
import { type BudgetCandidate, entityWeight, PriorityBudget } from './priorityBudget.js';
import { SpatialGrid } from './spatialGrid.js';
import { ViewChooser, type ViewRules } from './viewRules.js';

/** What the interest sender needs of a client beyond SnapshotClient: whose view it is. */
export interface InterestClient extends SnapshotClient {
  /** The client's own player's entity id (0 before WELCOME): the centre of its view. */
  readonly playerId: number;
}

export interface InterestSenderOptions extends SnapshotSenderOptions {
  /** The room's view rules, in position quanta. */
  view: ViewRules;
  /**
   * Bytes a second each client may be sent (--client-budget-bytes-per-s); 0 or absent: no budget.
   * Over it, entities wait by priority (priorityBudget.ts) and the client holds them deferred.
   */
  budgetBytesPerSecond?: number;
  /** Snapshots a second: the budget's share per frame. Required with a budget. */
  snapshotRate?: number;
}

/** What a frame costs besides its entities, for the budget: header, array headers and some slack. @default 16 bytes */
const FRAME_OVERHEAD_BYTES = 16;

const X = FieldIndex.x;
const Y = FieldIndex.y;
const VX = FieldIndex.vx;
const VY = FieldIndex.vy;
// shotFields order: tick, shooterId, weapon, x0, y0, x1, y1, hitId.
const SHOT_X0 = 3;
const SHOT_Y0 = 4;
const SHOT_X1 = 5;
const SHOT_Y1 = 6;

/** One client's plan for this tick, made by the views step and read by the encode and send steps. */
class Plan {
  /** Rows of the current state in the next view, entered (whole) and kept (a delta against the baseline). */
  readonly entered = new IdList();
  readonly kept = new IdList();
  /** For each kept row, its row in the baseline. */
  readonly keptBase = new IdList();
  /** Rows kept whose entity the client holds deferred: each sent gets a run of its own. */
  readonly keptHeld = new IdList();
  /**
   * The frame's `changed` list as ranges of the tick's piece bytes, and its element count: the
   * client's own runs (plan step) and the shared runs of its kept entities (encode step), so the send
   * step copies them without looking a piece up again.
   */
  readonly runStart = new IdList();
  readonly runEnd = new IdList();
  runElements = 0;
  /** Ids kept in view but not updated this time (the budget): they become deferred at the client. */
  readonly deferredNow = new IdList();
  /** Ids in the view at the baseline and not now. */
  readonly left = new IdList();
  /** The rows of the next view (entered and kept), for ClientView.replace. */
  readonly rows = new IdList();
  /** Indexes in the event history of the shots this client sees. */
  readonly shots = new IdList();
  /** The tick after which this frame's events are: the baseline's, or tick − 1 for a full snapshot. */
  eventsAfter = 0;
  baseline: WorldState | undefined;
  skipped = false;
}

export class InterestSender<C extends InterestClient> {
  readonly ring: StateRing;
  readonly counters: SnapshotCounters = newSnapshotCounters();
  readonly lastTiming: SendTiming = { encodeMs: 0, sendMs: 0, gridMs: 0, viewsMs: 0, budgetWaitMs: 0 };
  readonly grid: SpatialGrid;
  private readonly pieces: EntityPieces;
  private readonly chooser: ViewChooser;
  private readonly views = new WeakMap<C, ClientView>();
  private readonly plans = new WeakMap<C, Plan>();
  /** The clients of the tick being sent, in order (reused). */
  private readonly sending: C[] = [];
  /** Ids in the grid, as of the last tick (to take out those gone). */
  private readonly inGrid = new IdList();
  private readonly candidates = new IdList();
  // Per id, stamped with a per-client serial: in the client's view at its baseline (with its life),
  // and chosen for its next view.
  private readonly memberStamp: Int32Array;
  private readonly memberGeneration: Int32Array;
  private readonly chosenStamp: Int32Array;
  private stamp = 0;
  /** Whether this life of `id` was in the view of the client being planned (made once: no closure per client). */
  private readonly isMember = (id: number, generation: number): boolean =>
    this.memberStamp[id] === this.stamp && this.memberGeneration[id] === generation;
  private previousTick = 0;
  private frame = new MsgpackWriter(1 << 14);
  private readonly ownScratch = { start: 0, end: 0, elements: 0 };
  private readonly budgetCandidates: BudgetCandidate[] = [];
  private readonly budgetSent = new Set<number>();
  private readonly headerScratch = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES);
  private readonly part = newClientPart();

  constructor(private readonly options: InterestSenderOptions & SnapshotSenderHooks<C>) {
    const { capacity, maxEntityId, bounds, view } = options;
    this.ring = new StateRing(options.ringSize, capacity, maxEntityId);
    this.pieces = new EntityPieces(capacity, bounds);
    this.chooser = new ViewChooser(view);
    // Cells about the view radius: a query with the margin overlaps at most 3 × 3 cells.
    this.grid = new SpatialGrid({
      width: Math.max(1, bounds.maxX),
      height: Math.max(1, bounds.maxY),
      cellSize: view.radius + view.margin,
    });
    this.memberStamp = new Int32Array(maxEntityId + 1);
    this.memberGeneration = new Int32Array(maxEntityId + 1);
    this.chosenStamp = new Int32Array(maxEntityId + 1);
  }

  get maxEntityId(): number {
    return this.options.maxEntityId;
  }

  /** The ring slot to capture tick `tick` into. Call once per snapshot tick, then send(). */
  beginSnapshot(tick: number): WorldState {
    return this.ring.next(tick);
  }

  /** The ids in `client`'s view as of the last snapshot sent to it, sorted (DEBUG_STATE); [] before one. */
  interestOf(client: C): number[] {
    return this.views.get(client)?.idList() ?? [];
  }

  /** Send the state from beginSnapshot() to every client. `sendTickNow`: the tick clock when a pong is written. */
  send(current: WorldState, clients: Iterable<C>, nowMs: number, sendTickNow: () => number): void {
    const clock = this.options.timingClock;
    const t0 = clock?.() ?? 0;
    this.counters.snapshotTicks++;
    this.lastTiming.budgetWaitMs = 0;
    this.syncGrid(current);
    const t1 = clock?.() ?? 0;
    this.pieces.begin(current, this.previousTick);
    this.sending.length = 0;
    for (const client of clients) {
      this.sending.push(client);
      this.planView(client, current, nowMs);
    }
    const t2 = clock?.() ?? 0;
    for (const client of this.sending) this.encodePieces(this.plans.get(client)!);
    const t3 = clock?.() ?? 0;
    for (const client of this.sending) this.sendFrame(client, current, sendTickNow);
    this.sending.length = 0;
    this.previousTick = current.tick;
    const piece = this.pieces.counters;
    this.counters.piecesEncoded = piece.piecesEncoded;
    this.counters.pieceBytesEncoded = piece.pieceBytesEncoded;
    this.counters.laggingPieces = piece.laggingPieces;
    if (clock !== undefined) {
      this.lastTiming.gridMs = t1 - t0;
      this.lastTiming.viewsMs = t2 - t1;
      this.lastTiming.encodeMs = t3 - t2;
      this.lastTiming.sendMs = clock() - t3;
    }
  }

  /** Move every captured entity in the grid; take out those no longer captured. */
  private syncGrid(current: WorldState): void {
    const grid = this.grid;
    const { ids, values } = current;
    for (let i = 0; i < this.inGrid.length; i++) {
      const id = this.inGrid.ids[i]!;
      if (current.rowOf(id) < 0) grid.remove(id);
    }
    this.inGrid.clear();
    for (let row = 0; row < current.count; row++) {
      const id = ids[row]!;
      const x = values[row * FIELD_COUNT + X]!;
      const y = values[row * FIELD_COUNT + Y]!;
      if (grid.has(id)) grid.move(id, x, y);
      else grid.insert(id, x, y);
      this.inGrid.push(id);
    }
  }

  /** The views step for one client: its next view and how it differs from the one it holds. */
  private planView(client: C, current: WorldState, nowMs: number): void {
    let plan = this.plans.get(client);
    if (plan === undefined) {
      plan = new Plan();
      this.plans.set(client, plan);
    }
    let view = this.views.get(client);
    if (view === undefined) {
      view = new ClientView(this.options.view.cap);
      this.views.set(client, view);
    }
    plan.skipped = !keepsUp(client, nowMs, this.options, this.counters);
    if (plan.skipped) return;
    view.center(current, client.playerId);
    // The client holds its view as of its baseline; without that baseline in the ring it gets a full snapshot.
    const baselineTick = client.baselineTick;
    const ringed = baselineTick > 0 ? this.ring.get(baselineTick) : undefined;
    const baseline = ringed !== undefined && view.tick === baselineTick ? ringed : undefined;
    plan.baseline = baseline;
    const stamp = ++this.stamp;
    if (baseline !== undefined) {
      for (let i = 0; i < view.count; i++) {
        const id = view.ids[i]!;
        this.memberStamp[id] = stamp;
        this.memberGeneration[id] = view.generations[i]!;
      }
    }
    const { radius, margin } = this.options.view;
    this.grid.query(view.centerX, view.centerY, radius + margin, this.candidates);
    const isMember = this.isMember;
    this.chooser.choose(current, view.centerX, view.centerY, client.playerId, this.candidates, isMember, plan.rows);
    plan.entered.clear();
    plan.kept.clear();
    plan.keptBase.clear();
    plan.keptHeld.clear();
    plan.runStart.clear();
    plan.runEnd.clear();
    plan.runElements = 0;
    plan.deferredNow.clear();
    plan.left.clear();
    if (baseline === undefined) view.held.clear();
    for (let i = 0; i < plan.rows.length; i++) {
      const row: number = plan.rows.ids[i]!;
      const id: number = current.ids[row]!;
      this.chosenStamp[id] = stamp;
      // A member of the view at the baseline is in the baseline with this life: the view was taken
      // from that very state (ClientView.replace at its tick), and isMember is false without one.
      if (isMember(id, current.generations[row]!)) {
        if (view.held.size > 0 && view.held.has(id)) plan.keptHeld.push(row);
        else {
          plan.kept.push(row);
          plan.keptBase.push(baseline!.rowOf(id));
        }
      } else {
        plan.entered.push(row);
      }
    }
    if (baseline !== undefined) {
      for (let i = 0; i < view.count; i++) {
        const id = view.ids[i]!;
        if (this.chosenStamp[id] === stamp) continue;
        plan.left.push(id);
        view.held.delete(id);
        view.budget?.forget(id);
      }
    }
    plan.eventsAfter = baseline === undefined ? current.tick - 1 : baseline.tick;
    this.seenShots(view, plan, current.tick);
    const budgetBytes = this.options.budgetBytesPerSecond ?? 0;
    if (budgetBytes > 0) {
      view.budget ??= new PriorityBudget(budgetBytes, this.options.snapshotRate ?? 30);
      this.spendBudget(client, view, plan, current);
    } else {
      for (let i = 0; i < plan.keptHeld.length; i++) this.ownRun(view, plan, plan.keptHeld.ids[i]!, current);
    }
  }

  /** A kept entity the client holds deferred is sent: its run against what the client holds; it is up to date after. */
  private ownRun(view: ClientView, plan: Plan, row: number, current: WorldState): void {
    const id = current.ids[row]!;
    const held = view.held.get(id)!;
    const run = this.ownScratch;
    this.pieces.ownDelta(held.values, held.tick, row, run);
    plan.runStart.push(run.start);
    plan.runEnd.push(run.end);
    plan.runElements += run.elements;
    view.held.delete(id);
  }

  /**
   * The budget's choice for one client (priorityBudget.ts): its own player, the removed ids and the
   * events always go; entering and changed entities by priority. A changed entity left out becomes
   * deferred (the client keeps the state it holds); an entering one stays out of the view for now.
   */
  private spendBudget(client: C, view: ClientView, plan: Plan, current: WorldState): void {
    const pieces = this.pieces;
    const baseline = plan.baseline;
    const { radius } = this.options.view;
    const candidates = this.budgetCandidates;
    candidates.length = 0;
    let mandatory = FRAME_OVERHEAD_BYTES + plan.left.length * 3;
    const events = this.options.events;
    if (events !== undefined) {
      for (let i = 0; i < plan.shots.length; i++) {
        const index = plan.shots.ids[i]!;
        pieces.shot(events, index);
        mandatory += pieces.shotEndOf(index) - pieces.shotStartOf(index);
      }
    }
    const kills = pieces.killList(events, plan.eventsAfter);
    mandatory += kills.end - kills.start;
    const weightOf = (row: number) => {
      const at = row * FIELD_COUNT;
      const distance = Math.hypot(current.values[at + X]! - view.centerX, current.values[at + Y]! - view.centerY);
      const moving = current.values[at + VX] !== 0 || current.values[at + VY] !== 0;
      return entityWeight(distance, radius, moving);
    };
    const own = client.playerId;
    const candidate = (row: number, bytes: number) => {
      const id = current.ids[row]!;
      if (id === own) mandatory += bytes;
      else candidates.push({ id, bytes, weight: weightOf(row) });
    };
    for (let i = 0; i < plan.entered.length; i++) {
      const row = plan.entered.ids[i]!;
      pieces.created(row);
      candidate(row, pieces.createdEndOf(row) - pieces.createdStartOf(row));
    }
    if (baseline !== undefined) {
      for (let i = 0; i < plan.kept.length; i++) {
        const row = plan.kept.ids[i]!;
        const runs = pieces.delta(baseline, plan.keptBase.ids[i]!, row);
        if (runs.elements[row]! > 0) candidate(row, runs.end[row]! - runs.start[row]!);
      }
    }
    // A held entity's run is its own; about its whole tuple's size (the bytes a created tuple takes) bounds it.
    for (let i = 0; i < plan.keptHeld.length; i++) {
      const row = plan.keptHeld.ids[i]!;
      pieces.created(row);
      candidate(row, pieces.createdEndOf(row) - pieces.createdStartOf(row));
    }
    const sent = this.budgetSent;
    const budget = view.budget!;
    budget.plan(mandatory, candidates, sent);
    const frameMs = 1000 / (this.options.snapshotRate ?? 30);
    this.lastTiming.budgetWaitMs = Math.max(this.lastTiming.budgetWaitMs, budget.lastLongestWaitFrames * frameMs);
    const sends = (row: number) => current.ids[row] === own || sent.has(current.ids[row]!);
    // Entering: only those sent enter the view. A new life of an id the client holds that waits is
    // not in the view either: the old life it holds is removed now.
    let kept = 0;
    for (let i = 0; i < plan.entered.length; i++) {
      const row = plan.entered.ids[i]!;
      if (sends(row)) plan.entered.ids[kept++] = row;
      else if (baseline !== undefined && this.memberStamp[current.ids[row]!] === this.stamp) {
        plan.left.push(current.ids[row]!);
        view.held.delete(current.ids[row]!);
      }
    }
    plan.entered.length = kept;
    // Changed and not sent: deferred from now, at the baseline's state.
    if (baseline !== undefined) {
      let next = 0;
      for (let i = 0; i < plan.kept.length; i++) {
        const row = plan.kept.ids[i]!;
        const baseRow = plan.keptBase.ids[i]!;
        const runs = pieces.delta(baseline, baseRow, row);
        if (runs.elements[row]! > 0 && !sends(row)) {
          plan.deferredNow.push(current.ids[row]!);
          view.hold(baseline, baseRow);
          continue;
        }
        plan.kept.ids[next] = row;
        plan.keptBase.ids[next++] = baseRow;
      }
      plan.kept.length = next;
      plan.keptBase.length = next;
    }
    for (let i = 0; i < plan.keptHeld.length; i++) {
      const row = plan.keptHeld.ids[i]!;
      if (sends(row)) this.ownRun(view, plan, row, current);
    }
    // The next view: every row still in it (entered ones left out are not).
    plan.rows.clear();
    for (let i = 0; i < plan.entered.length; i++) plan.rows.push(plan.entered.ids[i]!);
    for (let i = 0; i < plan.kept.length; i++) plan.rows.push(plan.kept.ids[i]!);
    for (let i = 0; i < plan.deferredNow.length; i++) plan.rows.push(current.rowOf(plan.deferredNow.ids[i]!));
    for (let i = 0; i < plan.keptHeld.length; i++) plan.rows.push(plan.keptHeld.ids[i]!);
  }

  /** The shots of ticks in (plan.eventsAfter, tick] whose start or end is within the view's radius. */
  private seenShots(view: ClientView, plan: Plan, tick: number): void {
    plan.shots.clear();
    const events = this.options.events;
    if (events === undefined) return;
    const [first, end] = events.shotRange(plan.eventsAfter, tick);
    const { radius } = this.options.view;
    const squared = radius * radius;
    const { centerX, centerY } = view;
    for (let i = first; i < end; i++) {
      const dx0 = events.shotField(i, SHOT_X0) - centerX;
      const dy0 = events.shotField(i, SHOT_Y0) - centerY;
      const dx1 = events.shotField(i, SHOT_X1) - centerX;
      const dy1 = events.shotField(i, SHOT_Y1) - centerY;
      if (dx0 * dx0 + dy0 * dy0 <= squared || dx1 * dx1 + dy1 * dy1 <= squared) plan.shots.push(i);
    }
  }

  /** The encode step for one client: every piece its frame takes, made now if no client made it first. */
  private encodePieces(plan: Plan): void {
    if (plan.skipped) return;
    const pieces = this.pieces;
    for (let i = 0; i < plan.entered.length; i++) pieces.created(plan.entered.ids[i]!);
    if (plan.baseline !== undefined) {
      for (let i = 0; i < plan.kept.length; i++) {
        const row = plan.kept.ids[i]!;
        const runs = pieces.delta(plan.baseline, plan.keptBase.ids[i]!, row);
        const elements = runs.elements[row]!;
        if (elements === 0) continue;
        plan.runStart.push(runs.start[row]!);
        plan.runEnd.push(runs.end[row]!);
        plan.runElements += elements;
      }
    }
    const events = this.options.events;
    if (events !== undefined) for (let i = 0; i < plan.shots.length; i++) pieces.shot(events, plan.shots.ids[i]!);
    pieces.killList(events, plan.eventsAfter);
  }

  /** The send step for one client: gather its frame from its own parts and the shared pieces, and write it. */
  private sendFrame(client: C, current: WorldState, sendTickNow: () => number): void {
    const plan = this.plans.get(client)!;
    if (plan.skipped) return;
    const view = this.views.get(client)!;
    const pieces = this.pieces;
    const source = pieces.bytes.view();
    const baseline = plan.baseline;
    const out = this.frame;
    out.reset();
    out.skip(STAGED_BODY_START);
    // baseAge, created, changed, removed (PROTOCOL.md "SNAPSHOT"), then shots and kills.
    out.int(baseline === undefined ? 0 : current.tick - baseline.tick);
    const entitiesStart = out.length;
    out.arrayHeader(plan.entered.length);
    for (let i = 0; i < plan.entered.length; i++) {
      const row = plan.entered.ids[i]!;
      out.raw(source, pieces.createdStartOf(row), pieces.createdEndOf(row));
    }
    out.arrayHeader(plan.runElements);
    for (let i = 0; i < plan.runStart.length; i++) out.raw(source, plan.runStart.ids[i]!, plan.runEnd.ids[i]!);
    out.arrayHeader(plan.left.length);
    for (let i = 0; i < plan.left.length; i++) out.int(plan.left.ids[i]!);
    const entityBytes = out.length - entitiesStart;
    out.arrayHeader(plan.shots.length);
    for (let i = 0; i < plan.shots.length; i++) {
      const index = plan.shots.ids[i]!;
      out.raw(source, pieces.shotStartOf(index), pieces.shotEndOf(index));
    }
    const kills = pieces.killList(this.options.events, plan.eventsAfter);
    out.raw(source, kills.start, kills.end);
    if (plan.deferredNow.length > 0) {
      out.arrayHeader(plan.deferredNow.length);
      for (let i = 0; i < plan.deferredNow.length; i++) out.int(plan.deferredNow.ids[i]!);
    }

    const frame = out.view();
    const part = fillClientPart(this.part, client, sendTickNow);
    part.hasDeferred = plan.deferredNow.length > 0;
    const start = writeSnapshotHeaderBefore(
      frame,
      STAGED_BODY_START,
      current.tick,
      part,
      client.headerSent,
      this.headerScratch,
    );
    client.pendingPong = undefined;
    client.sendWithHeadroom(frame, start, frame.length);
    // A socket that kept the frame queued still references these bytes: the next client gets a new buffer.
    if (client.bufferedAmount > 0) {
      this.frame = new MsgpackWriter(frame.length * 2);
      this.counters.frameBufferAllocations++;
    }
    if (baseline === undefined) {
      if (client.baselineTick > 0) this.counters.fullFallbacks++;
      else this.counters.fullOnJoin++;
    }
    client.baselineTick = current.tick;
    view.replace(current, plan.rows.ids, plan.rows.length);
    this.counters.framesSent++;
    this.counters.bytesSent += frame.length - start;
    this.counters.entityBytesSent += entityBytes;
  }
}
