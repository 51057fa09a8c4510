// Predicts the local player with the shared step() and reconciles with the server: runs once per
// input sent (predict) and once per snapshot applied (reconcile). Time is passed in.
//
// Because step() quantizes and is pure, replaying the unacknowledged inputs from the server's state
// gives exactly the state predicted before, unless the server did something the client did not:
// repeated an input on a starved tick, dropped one, or moved the player by other means. Each such
// correction is named (corrections.ts) and counted by kind: mispredictions (prediction errors),
// dropped-input and starved-input corrections, and unpredictable ones (death, respawn, resume, room
// move, teleport).
// A correction fades out instead of snapping, except a respawn, resume or move: a new life or
// session starts where the server says, not sliding there across the map.
//
//   inputs sent:      5    6    7    8
//   snapshot:  server state after 6 (lastInputSeq = 6)
//   reconcile: compare it with what was predicted after 6; start from it; replay 7, 8
//
// While the server holds the player still (dead: PROTOCOL.md, "Health, death and respawn"), `frozen`
// makes prediction and replay hold it still too, instead of mispredicting every snapshot.
import { type MoveInput, type MovementRules, type PlayerState, step } from '@tickwire/protocol';
import {
  type Correction,
  classifyCorrection,
  sameState,
  UNPREDICTABLE_CAUSES,
  type UnpredictableCause,
} from './corrections.js';

interface PendingInput {
  seq: number;
  input: MoveInput;
  /** The state predicted after applying this input. */
  predicted: PlayerState;
}

export interface PredictionStats {
  /** Reconciliations done. */
  reconciliations: number;
  /** Prediction errors: corrections neither unpredictable nor explained by dropped or repeated inputs. */
  mispredictions: number;
  /** Largest position error of a misprediction, in world units. */
  maxErrorUnits: number;
  /** Corrections exactly explained by inputs the server dropped from a full queue (sent too fast). */
  droppedInputCorrections: number;
  /** Corrections exactly explained by ticks that found the queue empty and repeated an input (sent late). */
  starvedInputCorrections: number;
  /** Corrections no prediction could foresee, in all and by cause. */
  unpredictable: number;
  unpredictableCauses: Record<UnpredictableCause, number>;
  /** Largest position jump of an unpredictable correction, in world units. */
  maxUnpredictableUnits: number;
  /** The latest correction of any kind, and its position error in world units. */
  lastCorrection: Correction | undefined;
  lastErrorUnits: number;
}

/** SNAPSHOT's cumulative queue figures for this client (PROTOCOL.md, "Input timing"). */
export interface QueueFigures {
  droppedInputs: number;
  starvedInputs: number;
}

export function emptyPredictionStats(): PredictionStats {
  return {
    reconciliations: 0,
    mispredictions: 0,
    maxErrorUnits: 0,
    droppedInputCorrections: 0,
    starvedInputCorrections: 0,
    unpredictable: 0,
    unpredictableCauses: Object.fromEntries(UNPREDICTABLE_CAUSES.map((cause) => [cause, 0])) as Record<
      UnpredictableCause,
      number
    >,
    maxUnpredictableUnits: 0,
    lastCorrection: undefined,
    lastErrorUnits: 0,
  };
}

/** How long a visible correction takes to fade out, ms. */
export const CORRECTION_FADE_MS = 150;

/**
 * Most unacknowledged inputs kept (about 8.5 s at 30 Hz). A server that stops acknowledging must
 * not make memory and the per-snapshot replay grow without bound: past this the oldest are dropped.
 */
export const MAX_PENDING_INPUTS = 256;

export class Prediction {
  /** The predicted state after the newest input sent. */
  state: PlayerState | undefined;
  readonly stats: PredictionStats = emptyPredictionStats();
  private readonly pending: PendingInput[] = [];
  /** The newest input the server applied, with what had been predicted after it. */
  private acknowledged: PendingInput | undefined;
  /** Visual offset (quanta) left by the last correction, and when it was made. */
  private correctionX = 0;
  private correctionY = 0;
  private correctedAtMs = 0;
  /** The server's state after `acknowledged`, when the last reconcile had it (a replay's start). */
  private serverAtAck: PlayerState | undefined;
  /** `frozen` at the last reconcile: a change is a death or a respawn. */
  private wasFrozen = false;
  /** Set by restart(): the next reconcile's correction has this cause. */
  private restartCause: 'resume' | 'move' | undefined;
  /** The queue figures at the last reconcile; undefined before the first (or after a restart). */
  private lastQueue: QueueFigures | undefined;

  constructor(
    private readonly dt: number,
    private readonly rules: MovementRules,
    private readonly positionScale: number,
  ) {}

  /** Inputs sent and not yet acknowledged. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** The server holds the player still (it is dead): inputs move nothing until this is false again. */
  frozen = false;

  /** Apply an input the client just sent (seq from Connection.sendInput), with the aim it carried. */
  predict(seq: number, input: MoveInput): PlayerState | undefined {
    if (this.state === undefined) return undefined;
    if (!this.frozen) this.state = step(this.state, input, this.dt, this.rules);
    const copy: MoveInput = { moveX: input.moveX, moveY: input.moveY };
    if (input.aimAngle !== undefined) copy.aimAngle = input.aimAngle;
    this.pending.push({ seq, input: copy, predicted: this.state });
    if (this.pending.length > MAX_PENDING_INPUTS) this.pending.shift();
    return this.state;
  }

  /**
   * A snapshot says the server's state of this player after input `lastInputSeq` is `server`, with
   * its cumulative queue figures. Returns the correction it made, if any (counted in stats).
   */
  reconcile(server: PlayerState, lastInputSeq: number, nowMs: number, queue?: QueueFigures): Correction | undefined {
    const before = this.state;
    const base = this.serverAtAck;
    const previousInput = this.acknowledged?.input;
    const acknowledgedInputs: MoveInput[] = [];
    while (this.pending.length > 0 && this.pending[0]!.seq <= lastInputSeq) {
      this.acknowledged = this.pending.shift()!;
      acknowledgedInputs.push(this.acknowledged.input);
    }
    let expected: PlayerState | undefined;
    this.serverAtAck = undefined;
    if (this.acknowledged !== undefined && this.acknowledged.seq === lastInputSeq) {
      expected = this.acknowledged.predicted;
      this.acknowledged = { ...this.acknowledged, predicted: server };
      this.serverAtAck = server;
    }
    this.stats.reconciliations++;
    // Start from the server's state and replay everything it has not applied yet.
    let state = server;
    for (const entry of this.pending) {
      if (!this.frozen) state = step(state, entry.input, this.dt, this.rules);
      entry.predicted = state;
    }
    this.state = state;

    const knownCause: UnpredictableCause | undefined =
      this.restartCause ?? (this.frozen === this.wasFrozen ? undefined : this.frozen ? 'death' : 'respawn');
    const newly = (key: keyof QueueFigures) =>
      queue === undefined || this.lastQueue === undefined ? 0 : Math.max(0, queue[key] - this.lastQueue[key]);
    let correction: Correction | undefined;
    if (expected !== undefined && !sameState(expected, server)) {
      correction = classifyCorrection({
        server,
        expected,
        knownCause,
        base,
        acknowledged: acknowledgedInputs,
        previousInput,
        newlyDropped: newly('droppedInputs'),
        newlyStarved: newly('starvedInputs'),
        dt: this.dt,
        rules: this.rules,
      });
    } else if (this.restartCause !== undefined && before !== undefined && !sameState(before, state)) {
      // After a restart no input of the old session is acknowledged: compare where it stood.
      correction = { kind: 'unpredictable', cause: this.restartCause };
    }
    this.wasFrozen = this.frozen;
    this.restartCause = undefined;
    if (queue !== undefined)
      this.lastQueue = { droppedInputs: queue.droppedInputs, starvedInputs: queue.starvedInputs };
    if (correction !== undefined && before !== undefined) this.count(correction, before, state, nowMs);
    return correction;
  }

  /**
   * The session restarted (a resume, or a resume after a room move): seq numbering and the server's
   * queue figures start again, so every unacknowledged input is forgotten. The state is kept; the
   * next reconcile's correction, if any, is counted as unpredictable with this cause.
   */
  restart(cause: 'resume' | 'move'): void {
    this.pending.length = 0;
    this.acknowledged = undefined;
    this.serverAtAck = undefined;
    this.lastQueue = undefined;
    this.restartCause = cause;
  }

  private count(correction: Correction, before: PlayerState, after: PlayerState, nowMs: number): void {
    const error = Math.hypot(before.x - after.x, before.y - after.y) / this.positionScale;
    const stats = this.stats;
    stats.lastCorrection = correction;
    stats.lastErrorUnits = error;
    if (correction.kind === 'misprediction') {
      stats.mispredictions++;
      stats.maxErrorUnits = Math.max(stats.maxErrorUnits, error);
    } else if (correction.kind === 'droppedInput') {
      stats.droppedInputCorrections++;
    } else if (correction.kind === 'starvedInput') {
      stats.starvedInputCorrections++;
    } else {
      stats.unpredictable++;
      stats.unpredictableCauses[correction.cause]++;
      stats.maxUnpredictableUnits = Math.max(stats.maxUnpredictableUnits, error);
      if (correction.cause === 'respawn' || correction.cause === 'resume' || correction.cause === 'move') {
        // A new life or session: draw it where the server says at once.
        this.correctionX = 0;
        this.correctionY = 0;
        return;
      }
    }
    // Keep drawing where the player was, and fade the difference out.
    const [x, y] = this.visualOffset(nowMs);
    this.correctionX = x + (before.x - after.x);
    this.correctionY = y + (before.y - after.y);
    this.correctedAtMs = nowMs;
  }

  /** Where to draw the player at `nowMs`, in quanta: the prediction plus a fading correction. */
  renderPosition(nowMs: number): { x: number; y: number } | undefined {
    if (this.state === undefined) return undefined;
    const [x, y] = this.visualOffset(nowMs);
    return { x: this.state.x + x, y: this.state.y + y };
  }

  private visualOffset(nowMs: number): [number, number] {
    const left = 1 - (nowMs - this.correctedAtMs) / CORRECTION_FADE_MS;
    if (left <= 0) return [0, 0];
    return [this.correctionX * left, this.correctionY * left];
  }
}
