// Names what caused a correction of the local player's prediction: a pure function run once per
// reconciliation whose server state differs from the prediction (rare: a few a minute in play).
//
// Three kinds, counted apart (PROTOCOL.md, "Telling corrections apart"):
//   unpredictable        the server did something no prediction could foresee: a death, a respawn,
//                        a resume or room move, or any other teleport (a jump farther than the
//                        inputs the server could have dropped or repeated explain)
//   droppedInput         the server dropped inputs from a full queue (SNAPSHOT droppedInputs went
//                        up) and its state is exactly the replay without them: the client sent too
//                        fast (the arena bots' fixed 33 ms schedule does, by design)
//   starvedInput         the server found the queue empty and repeated the latest input (SNAPSHOT
//                        starvedInputs went up) and its state is exactly the replay with those
//                        repeats: the client's input came late (a bot process that fell behind)
//   misprediction        everything else: what no rule explains, a real disagreement
import { type MoveInput, type MovementRules, type PlayerState, POSITION_SCALE, step } from '@tickwire/protocol';

/** Why a correction could not have been predicted. */
export const UNPREDICTABLE_CAUSES = ['death', 'respawn', 'resume', 'move', 'teleport'] as const;
export type UnpredictableCause = (typeof UNPREDICTABLE_CAUSES)[number];

export type Correction =
  | { kind: 'unpredictable'; cause: UnpredictableCause }
  | { kind: 'droppedInput' }
  | { kind: 'starvedInput' }
  | { kind: 'misprediction' };

export interface CorrectionFacts {
  /** What the server reported after the acknowledged input (the snapshot's own player). */
  server: PlayerState;
  /** What the client had predicted after that same input. */
  expected: PlayerState;
  /** Known from the server's state: it died, it respawned, or the session restarted (resume, move). */
  knownCause: UnpredictableCause | undefined;
  /**
   * The server's state after the previously acknowledged input, and the inputs acknowledged since
   * (oldest first): a dropped input is one of these. Undefined when there is no previous ack.
   */
  base: PlayerState | undefined;
  acknowledged: readonly MoveInput[];
  /** The input applied just before those (the one a starved tick right away would repeat). */
  previousInput: MoveInput | undefined;
  /** Inputs the server dropped and ticks it starved since the previous snapshot (SNAPSHOT deltas). */
  newlyDropped: number;
  newlyStarved: number;
  dt: number;
  rules: MovementRules;
}

/**
 * A teleport is a jump the dropped and repeated inputs cannot explain: farther than one tick's
 * travel at top speed for each of them (and at least one), plus 2 quanta because a diagonal's
 * rounded velocity can be a little longer than the top speed.
 */
export function teleportThresholdQuanta(
  facts: Pick<CorrectionFacts, 'newlyDropped' | 'newlyStarved' | 'dt' | 'rules'>,
): number {
  const stepQuanta = facts.rules.speed * facts.dt * POSITION_SCALE;
  return Math.max(1, facts.newlyDropped + facts.newlyStarved) * stepQuanta + 2;
}

export function classifyCorrection(facts: CorrectionFacts): Correction {
  if (facts.knownCause !== undefined) return { kind: 'unpredictable', cause: facts.knownCause };
  if (facts.newlyDropped > 0 && facts.newlyStarved === 0 && explainedByDrops(facts)) return { kind: 'droppedInput' };
  if (facts.newlyStarved > 0 && facts.newlyDropped === 0 && explainedByRepeats(facts)) return { kind: 'starvedInput' };
  const jump = Math.hypot(facts.server.x - facts.expected.x, facts.server.y - facts.expected.y);
  if (jump > teleportThresholdQuanta(facts)) return { kind: 'unpredictable', cause: 'teleport' };
  return { kind: 'misprediction' };
}

/**
 * The server drops the oldest queued inputs when a new one arrives to a full queue, and the next
 * tick applies the input after them, so the inputs dropped since the previous snapshot are a run of
 * `newlyDropped` consecutive inputs among those acknowledged since. True when replaying the
 * acknowledged inputs without some such run gives exactly the server's state: proof, not a guess.
 */
function explainedByDrops(facts: CorrectionFacts): boolean {
  const { base, acknowledged, newlyDropped: d } = facts;
  if (base === undefined || d > acknowledged.length) return false;
  for (let skipFrom = 0; skipFrom + d <= acknowledged.length; skipFrom++) {
    let state = base;
    for (let i = 0; i < acknowledged.length; i++) {
      if (i >= skipFrom && i < skipFrom + d) continue;
      state = step(state, acknowledged[i]!, facts.dt, facts.rules);
    }
    if (sameState(state, facts.server)) return true;
  }
  return false;
}

/** Most orders of repeats tried for one snapshot; past it the correction is left unexplained. */
const MAX_REPEAT_ORDERS = 256;

/**
 * A starved tick repeats the input applied before it, and may fall anywhere among the inputs
 * acknowledged since the previous snapshot. True when some placing of `newlyStarved` repeats among
 * them replays exactly to the server's state.
 */
function explainedByRepeats(facts: CorrectionFacts): boolean {
  const { base, acknowledged, previousInput, newlyStarved: s } = facts;
  if (base === undefined) return false;
  // repeatsBefore[i]: repeats of the input before acknowledged[i] (i = length: after the last one).
  const repeatsBefore = new Array<number>(acknowledged.length + 1).fill(0);
  let orders = 0;
  const tryFrom = (slot: number, left: number): boolean => {
    if (left === 0) {
      orders++;
      return sameState(replayWithRepeats(base, previousInput, acknowledged, repeatsBefore, facts), facts.server);
    }
    for (let i = slot; i < repeatsBefore.length && orders < MAX_REPEAT_ORDERS; i++) {
      repeatsBefore[i]!++;
      const found = tryFrom(i, left - 1);
      repeatsBefore[i]!--;
      if (found) return true;
    }
    return false;
  };
  return tryFrom(0, s);
}

function replayWithRepeats(
  base: PlayerState,
  previousInput: MoveInput | undefined,
  acknowledged: readonly MoveInput[],
  repeatsBefore: readonly number[],
  facts: CorrectionFacts,
): PlayerState {
  let state = base;
  let latest = previousInput;
  for (let i = 0; i <= acknowledged.length; i++) {
    // Before any input at all the server repeats nothing: the player stands still.
    for (let r = 0; r < repeatsBefore[i]!; r++)
      if (latest !== undefined) state = step(state, latest, facts.dt, facts.rules);
    if (i === acknowledged.length) break;
    latest = acknowledged[i]!;
    state = step(state, latest, facts.dt, facts.rules);
  }
  return state;
}

export function sameState(a: PlayerState, b: PlayerState): boolean {
  return a.x === b.x && a.y === b.y && a.vx === b.vx && a.vy === b.vy && a.angle === b.angle;
}
