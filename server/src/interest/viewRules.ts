// The rules of one room's views (interest management): who a client is sent, with hysteresis on
// distance and on rank. Made once per room; `chooseView` runs once per client per snapshot tick.
//
//   distance from the client's own player      0 ─────────── r ───── r + m ─────────►
//   an entity not in the view                  enters here   │        │
//   an entity in the view (same life)          stays ─────────────────┤ leaves beyond r + m
//
// At the cap (the nearest K), a member's distance counts m less than a newcomer's: a newcomer takes
// a member's place only when it is nearer by more than the margin, so the set does not churn as two
// entities at nearly the same distance trade ranks. The client's own player is always in its view.
import { FIELD_COUNT, FieldIndex, type WorldState } from '@tickwire/protocol';
import type { IdList } from './idList.js';

/** The margin beyond the radius before a member leaves, as a fraction of the radius. @default 0.1 */
export const VIEW_MARGIN_FRACTION = 0.1;
/** Entities in one client's view at most (K, the nearest), its own player included. @default 256 */
export const DEFAULT_VIEW_CAP = 256;

const X = FieldIndex.x;
const Y = FieldIndex.y;

export interface ViewRules {
  /** Enter within this distance, in position quanta. */
  radius: number;
  /** Leave beyond radius + margin; at the cap, a member's distance counts this much less. Quanta. */
  margin: number;
  /** Entities in a view at most (K). */
  cap: number;
}

/** A room's rules for a view radius of `radiusQuanta` (> 0) and a cap of `cap` entities. */
export function viewRules(radiusQuanta: number, cap = DEFAULT_VIEW_CAP): ViewRules {
  if (!(radiusQuanta > 0)) throw new RangeError(`view radius must be > 0, got ${radiusQuanta}`);
  if (!(Number.isInteger(cap) && cap >= 1)) throw new RangeError(`view cap must be an integer ≥ 1, got ${cap}`);
  return { radius: radiusQuanta, margin: radiusQuanta * VIEW_MARGIN_FRACTION, cap };
}

/** What chooseView asks of the client's current view: is this life of `id` in it? */
export type IsMember = (id: number, generation: number) => boolean;

/**
 * Choose one client's next view. Reusable scratch for every client of a room; allocates nothing once
 * its arrays have grown to the largest candidate list.
 */
export class ViewChooser {
  private rows = new Int32Array(64);
  private scores = new Float64Array(64);
  /** Per candidate: 0 a newcomer, 1 a member of the view, 2 the own player. */
  private members = new Uint8Array(64);
  private order = new Int32Array(64);

  constructor(readonly rules: ViewRules) {}

  /**
   * The rows of `current` in the view of a client centred at (x, y) (quanta) whose own entity is
   * `ownId` (0: none), written to `out` (cleared first) as rows. `candidates`: every id within
   * radius + margin of the centre (the grid's answer). Returns how many (≤ cap).
   */
  choose(
    current: WorldState,
    x: number,
    y: number,
    ownId: number,
    candidates: IdList,
    isMember: IsMember,
    out: IdList,
  ): number {
    const { radius, margin, cap } = this.rules;
    const enter = radius * radius;
    const stay = (radius + margin) * (radius + margin);
    this.grow(candidates.length + 1);
    let count = 0;
    const values = current.values;
    for (let i = 0; i < candidates.length; i++) {
      const id = candidates.ids[i]!;
      const row = current.rowOf(id);
      if (row < 0) continue;
      const dx = values[row * FIELD_COUNT + X]! - x;
      const dy = values[row * FIELD_COUNT + Y]! - y;
      const squared = dx * dx + dy * dy;
      // The score (distance, a member's counted a margin less, the own player first) is needed only
      // over the cap: below it, keep the squared distance and whether it is a member.
      let member = 0;
      if (id === ownId) member = 2;
      else if (isMember(id, current.generations[row]!)) {
        if (squared > stay) continue;
        member = 1;
      } else if (squared > enter) continue;
      this.rows[count] = row;
      this.members[count] = member;
      this.scores[count++] = squared;
    }
    out.clear();
    if (count <= cap) {
      for (let i = 0; i < count; i++) out.push(this.rows[i]!);
      return count;
    }
    for (let i = 0; i < count; i++) {
      const member = this.members[i]!;
      const distance = Math.sqrt(this.scores[i]!);
      this.scores[i] = member === 2 ? -1 : member === 1 ? Math.max(0, distance - margin) : distance;
    }
    // Over the cap: the K lowest scores (ties by row, so the choice is deterministic).
    const order = this.order.subarray(0, count);
    for (let i = 0; i < count; i++) order[i] = i;
    const scores = this.scores;
    const rows = this.rows;
    order.sort((a, b) => scores[a]! - scores[b]! || rows[a]! - rows[b]!);
    for (let i = 0; i < cap; i++) out.push(rows[order[i]!]!);
    return cap;
  }

  private grow(size: number): void {
    if (size <= this.rows.length) return;
    const length = Math.max(size, this.rows.length * 2);
    this.rows = new Int32Array(length);
    this.scores = new Float64Array(length);
    this.members = new Uint8Array(length);
    this.order = new Int32Array(length);
  }
}
