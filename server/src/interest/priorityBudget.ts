// A per-client byte budget for snapshots (--client-budget-bytes-per-s): when what a client should be
// sent exceeds what it may receive, a priority accumulator picks what goes (Gaffer on Games' "state
// synchronization"). One per connection; `plan` runs once per snapshot tick sent to it.
//
//   each frame: tokens += budget / snapshotRate (at most two frames' worth banked)
//               what must go (header, removed ids, events, the own player) is paid first, even into debt
//               then the waiting entities by accumulated priority, highest first; one that does not
//               fit is skipped and the next smaller one tried; sent: priority back to 0; left: += weight
//
// The client's own player is part of what must go. Weights: an entity near the view's centre counts
// up to 10× one at its edge, a mover 4× a still one. A waiting entity's priority grows every frame it
// waits, and one that has waited `maxWaitFrames` (half a second) goes before any that has not, oldest
// first: accumulation alone let a far still entity wait 4 s behind four near movers (the test).

/** How many frames' budget a client may bank while it needs less. @default 2 */
const BANKED_FRAMES = 2;

export interface BudgetCandidate {
  id: number;
  /** Bytes its update costs in this frame. */
  bytes: number;
  /** Its weight this frame (entityWeight). */
  weight: number;
}

/** The weight of an entity `distance` from the view's centre of radius `radius`: nearer and moving counts more. */
export function entityWeight(distance: number, radius: number, moving: boolean): number {
  const nearness = 1 + 9 * Math.max(0, 1 - distance / radius);
  return moving ? 4 * nearness : nearness;
}

export class PriorityBudget {
  /** Bytes the client may still be sent; negative after a frame whose mandatory part overdrew it. */
  tokens: number;
  private readonly perFrame: number;
  /** Accumulated priority of each entity waiting to be sent, by id. */
  private readonly waiting = new Map<number, number>();
  /** The frame each waiting entity began to wait in. */
  private readonly since = new Map<number, number>();
  /** The last frame each waiting entity was a candidate in. */
  private readonly seen = new Map<number, number>();
  private order: BudgetCandidate[] = [];
  private frame = 0;
  /** Frames after which a waiting entity goes before every entity that has waited less. */
  readonly maxWaitFrames: number;
  /**
   * The longest any entity sent in the last plan() had waited, in frames: 0 when each went the frame
   * it first had something to send (entering, or changed). Read per frame for the budget's figure.
   */
  lastLongestWaitFrames = 0;

  constructor(bytesPerSecond: number, snapshotRate: number) {
    if (!(bytesPerSecond > 0) || !(snapshotRate > 0)) throw new RangeError('budget and snapshot rate must be > 0');
    this.perFrame = bytesPerSecond / snapshotRate;
    this.tokens = 0;
    this.maxWaitFrames = Math.max(1, Math.floor(snapshotRate / 2));
  }

  /**
   * One frame: `mandatoryBytes` are spent first, then `candidates` (each entity that has something to
   * send) by accumulated priority. Fills `sent` with the ids chosen; returns the bytes spent in all.
   */
  plan(mandatoryBytes: number, candidates: readonly BudgetCandidate[], sent: Set<number>): number {
    sent.clear();
    this.frame++;
    this.lastLongestWaitFrames = 0;
    this.tokens = Math.min(this.tokens + this.perFrame, BANKED_FRAMES * this.perFrame);
    this.tokens -= mandatoryBytes;
    let spent = mandatoryBytes;
    const order = this.order;
    order.length = 0;
    for (const candidate of candidates) {
      const priority = (this.waiting.get(candidate.id) ?? 0) + candidate.weight;
      this.waiting.set(candidate.id, priority);
      if (!this.since.has(candidate.id)) this.since.set(candidate.id, this.frame);
      this.seen.set(candidate.id, this.frame);
      order.push(candidate);
    }
    // One that has nothing to send any more (it went out of reach before entering, or its change
    // was undone) is not waiting: it starts afresh if it comes back.
    for (const id of this.waiting.keys()) if (this.seen.get(id) !== this.frame) this.forget(id);
    const overdue = this.frame - this.maxWaitFrames;
    order.sort((a, b) => {
      const sinceA = this.since.get(a.id)!;
      const sinceB = this.since.get(b.id)!;
      const lateA = sinceA <= overdue;
      const lateB = sinceB <= overdue;
      if (lateA !== lateB) return lateA ? -1 : 1;
      if (lateA) return sinceA - sinceB || a.id - b.id;
      return this.waiting.get(b.id)! - this.waiting.get(a.id)! || a.id - b.id;
    });
    for (const candidate of order) {
      if (candidate.bytes > this.tokens) continue;
      this.tokens -= candidate.bytes;
      spent += candidate.bytes;
      sent.add(candidate.id);
      this.lastLongestWaitFrames = Math.max(this.lastLongestWaitFrames, this.frame - this.since.get(candidate.id)!);
      this.forget(candidate.id);
    }
    order.length = 0;
    return spent;
  }

  /** The entity no longer needs sending (it left the view, or is up to date): forget its priority. */
  forget(id: number): void {
    this.waiting.delete(id);
    this.since.delete(id);
    this.seen.delete(id);
  }

  /** Entities waiting with accumulated priority. */
  get waitingCount(): number {
    return this.waiting.size;
  }
}
