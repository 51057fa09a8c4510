// Predicts the local player with the shared step() and reconciles with the server: runs once per
// input sent (predict) and once per snapshot applied (reconcile). Time is passed in.
//
// Because step() quantizes and is pure, replaying the unacknowledged inputs from the server's state
// gives exactly the state predicted before, unless the server did something the client did not:
// repeated an input on a starved tick, dropped one, or moved the player by other means. Those are
// mispredictions: counted, measured, and shown as a correction that fades instead of a snap.
//
//   inputs sent:      5    6    7    8
//   snapshot:  server state after 6 (lastInputSeq = 6)
//   reconcile: compare it with what was predicted after 6; start from it; replay 7, 8
//
// While the server holds the player still (dead: PROTOCOL.md, "Health, death and respawn"), `frozen`
// makes prediction and replay hold it still too, instead of mispredicting every snapshot.
import { type MoveInput, type MovementRules, type PlayerState, step } from '@tickwire/protocol';

interface PendingInput {
  seq: number;
  input: MoveInput;
  /** The state predicted after applying this input. */
  predicted: PlayerState;
}

export interface PredictionStats {
  /** Reconciliations whose server state differed from the prediction for the same input. */
  mispredictions: number;
  /** Largest and latest position error of a misprediction, in world units. */
  maxErrorUnits: number;
  lastErrorUnits: number;
  /** Reconciliations done. */
  reconciliations: number;
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
  readonly stats: PredictionStats = { mispredictions: 0, maxErrorUnits: 0, lastErrorUnits: 0, reconciliations: 0 };
  private readonly pending: PendingInput[] = [];
  /** The newest input the server applied, with what had been predicted after it. */
  private acknowledged: PendingInput | undefined;
  /** Visual offset (quanta) left by the last correction, and when it was made. */
  private correctionX = 0;
  private correctionY = 0;
  private correctedAtMs = 0;

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
   * A snapshot says the server's state of this player after input `lastInputSeq` is `server`.
   * Returns whether it was a misprediction.
   */
  reconcile(server: PlayerState, lastInputSeq: number, nowMs: number): boolean {
    const before = this.state;
    while (this.pending.length > 0 && this.pending[0]!.seq <= lastInputSeq) this.acknowledged = this.pending.shift()!;
    let mispredicted = false;
    if (this.acknowledged !== undefined && this.acknowledged.seq === lastInputSeq) {
      const expected = this.acknowledged.predicted;
      mispredicted = !sameState(expected, server);
      this.acknowledged = { ...this.acknowledged, predicted: server };
    }
    this.stats.reconciliations++;
    // Start from the server's state and replay everything it has not applied yet.
    let state = server;
    for (const entry of this.pending) {
      if (!this.frozen) state = step(state, entry.input, this.dt, this.rules);
      entry.predicted = state;
    }
    this.state = state;
    if (mispredicted && before !== undefined) {
      const error = Math.hypot(before.x - state.x, before.y - state.y) / this.positionScale;
      this.stats.mispredictions++;
      this.stats.lastErrorUnits = error;
      this.stats.maxErrorUnits = Math.max(this.stats.maxErrorUnits, error);
      // Keep drawing where the player was, and fade the difference out.
      const [x, y] = this.visualOffset(nowMs);
      this.correctionX = x + (before.x - state.x);
      this.correctionY = y + (before.y - state.y);
      this.correctedAtMs = nowMs;
    }
    return mispredicted;
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

function sameState(a: PlayerState, b: PlayerState): boolean {
  return a.x === b.x && a.y === b.y && a.vx === b.vx && a.vy === b.vy && a.angle === b.angle;
}
