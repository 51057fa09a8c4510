// The render tick for remote entities: onSnapshot() per snapshot measures how late snapshots are,
// update() per rendered frame advances a clock whose rate is steered, never stepped. Pure: times passed in.
//
// Server ms on the axis (tick × periodMs); S = the estimated server clock now (ClockSync):
//
//   server ms ─►        tick k−1   tick k                  S_arr(k)              S (now)
//   snapshots             ●──────────●                        ┆                     ┆
//                         ┆          ╰────── transit k ──────►● k arrives           ┆
//                         ├──────────── starve_k ─────────────┤ (k−1 the newest)    ┆
//   render tick      R ●                                                            ┆
//                      ├── delay ──┼────────────── base transit (min age) ──────────┤
//                      ├────────────────────── lag L = S − R ───────────────────────┤
//
// At every arrival we record the snapshot's age (S − its tick) and how far the server clock had
// run past the previous newest snapshot (starve). R never passes the newest snapshot iff the lag
// L ≥ starve for every arrival, so the target is
//
//   L* = max starve over the last windowMs (3 s) + marginMs (5 ms)
//   delay* = L* − min age   (what jitter and the snapshot interval add), clamped to
//            [minDelayMs, maxDelayMs] = [one snapshot interval, 300 ms]
//
// with delay* ≥ initialDelayMs (two snapshot intervals) until warmupSnapshots have arrived. Only
// differences of S enter, so a constant error in ClockSync's offset changes nothing here.
//
// The clock follows R* = S − L* by its rate alone, clamped to [0, 1 + maxRateBoost]; with
// e = R* − (R + dt), the error left if this frame ran at rate 1:
//
//   rate = 1 + e / catchUpMs    when behind  (≤ 1.05: the delay shrinks by at most 50 ms per s)
//   rate = 1 + e / slowDownMs   when ahead   (≥ 0: the delay grows by up to 1 ms per ms)
//
// so a late snapshot raises the delay within ~slowDownMs (100 ms), and a calmer link lowers it
// slowly: the window must first forget the late arrivals (3 s), then the clock gains 5 %. R also
// holds (rate 0) at newest snapshot + maxExtrapolationMs (250 ms) while the link is silent, at the
// newest itself while only one snapshot is known (no velocity yet), and at the first snapshot until
// the target reaches it (the first delay is built by waiting, not by slow motion). R never decreases.

import { DEFAULT_MAX_EXTRAPOLATION_MS } from './interpolation.js';

export interface RenderClockOptions {
  /** Server ticks per second (WELCOME `tickRate`). */
  tickRate: number;
  /** Snapshots per second (WELCOME `snapshotRate`). */
  snapshotRate: number;
  /** ε: the clock runs at most 1 + ε times real time. @default 0.05 */
  maxRateBoost?: number;
  /** The clock holds this far past the newest snapshot. @default 250 ms */
  maxExtrapolationMs?: number;
  /** Arrivals the delay is chosen from: those received in the last windowMs. @default 3000 ms */
  windowMs?: number;
  /** Added to the latest arrival seen in the window. @default 5 ms */
  marginMs?: number;
  /** Delay before warmupSnapshots have arrived. @default two snapshot intervals (66.7 ms at 30 Hz) */
  initialDelayMs?: number;
  /** @default 10 snapshots */
  warmupSnapshots?: number;
  /** @default one snapshot interval (a snapshot cannot be interpolated towards before it exists) */
  minDelayMs?: number;
  /** A longer stall is ridden out by extrapolating and holding, not by a longer delay. @default 300 ms */
  maxDelayMs?: number;
  /** Time constant of speeding up to the target. @default 250 ms */
  catchUpMs?: number;
  /** Time constant of slowing down to the target. @default 100 ms */
  slowDownMs?: number;
}

interface Arrival {
  receivedAtMs: number;
  /** S at arrival − the snapshot's tick, server ms. */
  ageMs: number;
  /** S at arrival − the previous newest tick, server ms; NaN for the first or an out-of-order snapshot. */
  starveMs: number;
}

export const DEFAULT_MAX_RATE_BOOST = 0.05;

export class RenderClock {
  readonly periodMs: number;
  readonly snapshotIntervalMs: number;
  readonly maxRateBoost: number;
  readonly maxExtrapolationMs: number;
  readonly windowMs: number;
  readonly marginMs: number;
  readonly initialDelayMs: number;
  readonly warmupSnapshots: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly catchUpMs: number;
  readonly slowDownMs: number;

  /** Interpolation delay the clock steers towards, ms (delay* in the header). */
  targetDelayMs: number;
  /** Peak-to-peak spread of snapshot ages in the window, ms: how much arrivals jitter. */
  jitterMs = 0;
  /** How far the render tick is past the newest snapshot, ms (0 when interpolating, ≤ maxExtrapolationMs). */
  extrapolatingMs = 0;
  /** The rate of the last update(): render ms per client ms, in [0, 1 + maxRateBoost]. */
  rate = 1;

  private readonly arrivals: Arrival[] = [];
  private snapshotCount = 0;
  private firstTickMs = Number.NaN;
  private newestTickMs = Number.NEGATIVE_INFINITY;
  /** The smallest age in the window: the transit of the fastest snapshot. */
  private baseAgeMs = 0;
  private started = false;
  /** Held at the first snapshot until the target reaches it (see update()). */
  private waitingForTarget = false;
  private renderMs = 0;
  private lastClientMs = 0;
  private lastServerMs = 0;

  constructor(options: RenderClockOptions) {
    this.periodMs = 1000 / options.tickRate;
    this.snapshotIntervalMs = 1000 / options.snapshotRate;
    this.maxRateBoost = options.maxRateBoost ?? DEFAULT_MAX_RATE_BOOST;
    this.maxExtrapolationMs = options.maxExtrapolationMs ?? DEFAULT_MAX_EXTRAPOLATION_MS; // SnapshotBuffer's too
    this.windowMs = options.windowMs ?? 3000;
    this.marginMs = options.marginMs ?? 5;
    this.initialDelayMs = options.initialDelayMs ?? 2 * this.snapshotIntervalMs;
    this.warmupSnapshots = options.warmupSnapshots ?? 10;
    this.minDelayMs = options.minDelayMs ?? this.snapshotIntervalMs;
    this.maxDelayMs = options.maxDelayMs ?? 300;
    this.catchUpMs = options.catchUpMs ?? 250;
    this.slowDownMs = options.slowDownMs ?? 100;
    this.targetDelayMs = this.initialDelayMs;
  }

  /** The render tick (undefined before the first update() after a snapshot). */
  get renderTick(): number | undefined {
    return this.started ? this.renderMs / this.periodMs : undefined;
  }

  /** The current interpolation delay, ms: lag behind the server clock minus the fastest transit. */
  get delayMs(): number {
    return this.started ? this.lagMs - this.baseAgeMs : 0;
  }

  /** How far the render tick trails the estimated server clock, ms (what a player sees others lag by). */
  get lagMs(): number {
    return this.started ? this.lastServerMs - this.renderMs : 0;
  }

  /** Snapshots received per second over the window (0 until two have arrived). */
  get snapshotRateHz(): number {
    const first = this.arrivals[0];
    const last = this.arrivals.at(-1);
    if (first === undefined || last === undefined || last.receivedAtMs <= first.receivedAtMs) return 0;
    return ((this.arrivals.length - 1) * 1000) / (last.receivedAtMs - first.receivedAtMs);
  }

  /**
   * A snapshot arrived (per snapshot, before the frame's update()). `serverTickAtReceipt` is the
   * estimated server clock at `receivedAtMs` (ClockSync.serverTickAt(receivedAtMs)).
   */
  onSnapshot(tick: number, receivedAtMs: number, serverTickAtReceipt: number): void {
    const tickMs = tick * this.periodMs;
    const serverMs = serverTickAtReceipt * this.periodMs;
    let starveMs = Number.NaN;
    if (tickMs > this.newestTickMs) {
      if (this.snapshotCount > 0) starveMs = serverMs - this.newestTickMs;
      this.newestTickMs = tickMs;
    }
    if (this.snapshotCount === 0) this.firstTickMs = tickMs;
    this.snapshotCount++;
    const arrivals = this.arrivals;
    arrivals.push({ receivedAtMs, ageMs: serverMs - tickMs, starveMs });
    // Keep at least warmupSnapshots so a pause in snapshots does not empty the window.
    while (arrivals.length > this.warmupSnapshots && arrivals[0]!.receivedAtMs < receivedAtMs - this.windowMs) {
      arrivals.shift();
    }
    let minAge = Number.POSITIVE_INFINITY;
    let maxAge = Number.NEGATIVE_INFINITY;
    let maxStarve = Number.NEGATIVE_INFINITY;
    for (const a of arrivals) {
      if (a.ageMs < minAge) minAge = a.ageMs;
      if (a.ageMs > maxAge) maxAge = a.ageMs;
      if (a.starveMs > maxStarve) maxStarve = a.starveMs; // NaN (no starve measured) compares false
    }
    this.baseAgeMs = minAge;
    this.jitterMs = maxAge - minAge;
    let delayMs = maxStarve + this.marginMs - minAge;
    if (maxStarve === Number.NEGATIVE_INFINITY) delayMs = this.initialDelayMs;
    else if (this.snapshotCount < this.warmupSnapshots) delayMs = Math.max(delayMs, this.initialDelayMs);
    this.targetDelayMs = Math.min(this.maxDelayMs, Math.max(this.minDelayMs, delayMs));
  }

  /**
   * Advance to client time `clientMs` (per rendered frame) given the estimated server tick then, and
   * return the render tick: undefined until a snapshot has arrived. Starts at the first snapshot's
   * tick at the earliest, so it never renders before anything is known.
   */
  update(clientMs: number, serverTick: number): number | undefined {
    if (this.snapshotCount === 0) return undefined;
    const serverMs = serverTick * this.periodMs;
    const targetMs = serverMs - this.baseAgeMs - this.targetDelayMs;
    // One snapshot gives no velocity to extrapolate with (SnapshotBuffer holds): stop at it.
    const capMs = this.newestTickMs + (this.snapshotCount > 1 ? this.maxExtrapolationMs : 0);
    if (!this.started) {
      // Start at the first snapshot, held there until the target reaches it: the first delay is built
      // by waiting, not by slow motion.
      this.started = true;
      this.waitingForTarget = targetMs < this.firstTickMs;
      this.renderMs = Math.min(capMs, Math.max(this.firstTickMs, targetMs));
      this.lastClientMs = clientMs;
      this.lastServerMs = serverMs;
      this.rate = 0;
      this.extrapolatingMs = Math.max(0, this.renderMs - this.newestTickMs);
      return this.renderTick;
    }
    const elapsedMs = clientMs - this.lastClientMs;
    if (!(elapsedMs > 0)) return this.renderTick;
    this.lastClientMs = clientMs;
    this.lastServerMs = serverMs;
    // Error of where rate 1 would land this frame, so that at equilibrium R lands on the target.
    const errorMs = targetMs - (this.renderMs + elapsedMs);
    if (this.waitingForTarget && errorMs >= 0) this.waitingForTarget = false;
    const rate = this.waitingForTarget
      ? 0
      : errorMs >= 0
        ? Math.min(1 + this.maxRateBoost, 1 + errorMs / this.catchUpMs)
        : Math.max(0, 1 + errorMs / this.slowDownMs);
    // capMs only grows and renderMs never exceeds it, so the min keeps renderMs non-decreasing.
    const nextMs = Math.min(capMs, this.renderMs + rate * elapsedMs);
    this.rate = (nextMs - this.renderMs) / elapsedMs;
    this.renderMs = nextMs;
    this.extrapolatingMs = Math.max(0, this.renderMs - this.newestTickMs);
    return this.renderTick;
  }
}
