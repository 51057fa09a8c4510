// Estimates the server's tick clock from PING/pong samples: addSample() per pong (10 Hz, then 1 Hz),
// update() per rendered frame. Pure: every time is passed in, nothing here reads a clock.
//
// One sample (server times are ticks × periodMs; θ = server ms − client ms, the offset we want):
//
//   client ms   ──T1──────────────────────────────────────────T4──►
//                   ╲  d_up                               ╱ d_down
//   server ms   ─────T2 ··· waits for the next snapshot ·· T3────►
//
//   up   = T2 − T1 = θ + d_up     ≥ θ        rtt = (T4 − T1) − (T3 − T2) = d_up + d_down
//   down = T3 − T4 = θ − d_down   ≤ θ
//
// Every sample brackets θ in [down, up]. Over the last `windowSize` samples we take the tightest
// bracket, [max down, min up], and its midpoint as the target:
//
//   target = (min up + max down) / 2 = θ + (min d_up − min d_down) / 2
//
// i.e. the fastest uplink and the fastest downlink seen in the window, which need not be the same
// ping. Jitter and stalls only ever lengthen d_up or d_down, so a spike can widen one sample's
// bracket but never move the intersection: the estimate is exact when the fastest trips each way
// are equally fast (the usual NTP assumption). On a 100 ± 30 ms link (uniform, each way) the
// target's |error| has p50 0.33 ms, p95 1.5 ms with 64 samples (0.6 / 2.7 ms with 32), where the
// single lowest-RTT sample's midpoint has 1.9 / 6.3 ms (both legs must be lucky in the same ping).
// 64 is the default: with 32, the worst error over 7 s exceeded 5 ms for 5 % of seeds.
//
// The applied offset (the one serverTickAt uses) then follows the target without jumping:
//
//   applied offset
//     ▲                     ┌─ target (moves as the window's minima change)
//     │      ______________╱____________
//     │     ╱ slope ≤ maxSlewMsPerSecond (10 ms per second of client time, i.e. the server clock
//     │    ╱  estimate runs 1 % fast or slow at most; a render clock absorbs that)
//     ●───╱
//     │  first sample: set directly (snap)          |target − applied| > 250 ms: snap again
//     └──────────────────────────────────────────────────────────────────────► client ms
//
// A sample whose bracket misses the current target by more than snapThresholdMs is a new server
// clock (a reconnect, a server restart): the window is cleared and restarted from that sample.
//
// Each bracket also widens by maxDriftPpm (15 ppm) × its age, as NTP's dispersion does, so an old
// sample cannot hold the estimate against a drift it has not seen.
//
// Ping rate: PingSchedule (pingSchedule.ts) pings at 10 Hz for 3 s, then 1 Hz, so the 64-sample
// window spans about a minute. On the link above, the worst error from 3 s to 90 s has p95 over
// seeds 2.8 ms, and 3.9 ms with the two clocks 50 ppm apart.
// The server answers only the newest PING per snapshot, so pinging faster than snapshots are sent
// wastes pings.

export interface ClockSample {
  /** Client clock when the PING left, ms. */
  clientSendMs: number;
  /** Server tick time when the PING arrived: tick + fraction of the tick period (the pong's serverReceiveTick). */
  serverReceiveTick: number;
  /** Server tick time when the answer left (the pong's serverSendTick). */
  serverSendTick: number;
  /** Client clock when the answer arrived, ms. */
  clientReceiveMs: number;
}

export interface ClockSyncOptions {
  /** Server ticks per second (WELCOME `tickRate`). */
  tickRate: number;
  /** Samples the estimate is taken over. @default 64 (6.4 s at 10 Hz, a minute at 1 Hz) */
  windowSize?: number;
  /** Fastest change of the applied offset. @default 10 ms per second of client time */
  maxSlewMsPerSecond?: number;
  /** An error larger than this snaps instead of slewing. @default 250 ms */
  snapThresholdMs?: number;
  /**
   * How fast the two clocks may drift apart: a sample's bracket widens by this much per ms of its
   * age, so old samples lose to fresh ones unless they were tighter by more than the drift since.
   * @default 15 ppm (NTP's PHI)
   */
  maxDriftPpm?: number;
}

/** One sample reduced to the three figures the estimate needs, all in ms. */
interface Bracket {
  /** T4, client ms: when the sample arrived, to widen the bracket as it ages. */
  receivedAtMs: number;
  /** T2 − T1: the offset plus the uplink delay, an upper bound on the offset. */
  upMs: number;
  /** T3 − T4: the offset minus the downlink delay, a lower bound on the offset. */
  downMs: number;
  roundTripMs: number;
}

export const DEFAULT_CLOCK_WINDOW = 64;
export const DEFAULT_MAX_SLEW_MS_PER_SECOND = 10;
export const DEFAULT_SNAP_THRESHOLD_MS = 250;
export const DEFAULT_MAX_DRIFT_PPM = 15;

export class ClockSync {
  /** One server tick in ms (1000 / tickRate). */
  readonly periodMs: number;
  readonly windowSize: number;
  readonly maxSlewMsPerSecond: number;
  readonly snapThresholdMs: number;
  readonly maxDriftPpm: number;
  /** True once the first sample has been accepted; before that serverTickAt() answers with offset 0. */
  synced = false;
  /** The offset in use: server ms − client ms. Changes only in addSample() (first sample) and update(). */
  offsetMs = 0;
  /** Where the window's samples put the offset; offsetMs slews towards it. */
  targetOffsetMs = 0;
  /** The lowest round trip in the window, ms (NaN before the first sample). */
  roundTripMs = Number.NaN;
  /** The newest sample's round trip, ms (NaN before the first sample). */
  latestRoundTripMs = Number.NaN;
  /** Snaps so far, the first sample's included: more than one means the clock jumped by > snapThresholdMs. */
  snapCount = 0;
  /** Window restarts because a sample could not be reconciled with the estimate (a new server clock). */
  resetCount = 0;
  /** Samples refused as impossible (negative round trip, server send before receive, not finite). */
  rejectedCount = 0;

  /** The last `windowSize` samples, oldest first. */
  private readonly window: Bracket[] = [];
  private lastUpdateMs = 0;

  constructor(options: ClockSyncOptions) {
    this.periodMs = 1000 / options.tickRate;
    this.windowSize = options.windowSize ?? DEFAULT_CLOCK_WINDOW;
    this.maxSlewMsPerSecond = options.maxSlewMsPerSecond ?? DEFAULT_MAX_SLEW_MS_PER_SECOND;
    this.snapThresholdMs = options.snapThresholdMs ?? DEFAULT_SNAP_THRESHOLD_MS;
    this.maxDriftPpm = options.maxDriftPpm ?? DEFAULT_MAX_DRIFT_PPM;
  }

  /** Samples currently in the window. */
  get sampleCount(): number {
    return this.window.length;
  }

  /** The offset in server ticks: serverTickAt(clientMs) = clientMs / periodMs + offsetTicks. */
  get offsetTicks(): number {
    return this.offsetMs / this.periodMs;
  }

  /** Correction still to be slewed in, ms (target − applied). */
  get pendingCorrectionMs(): number {
    return this.targetOffsetMs - this.offsetMs;
  }

  /** The server's clock at client time `clientMs`, in ms of server time (server tick × periodMs). */
  serverTimeMsAt(clientMs: number): number {
    return clientMs + this.offsetMs;
  }

  /** The server's tick time (tick + fraction) at client time `clientMs`. */
  serverTickAt(clientMs: number): number {
    return (clientMs + this.offsetMs) / this.periodMs;
  }

  /** Client time at which the server's clock reads `serverTick` (the inverse of serverTickAt). */
  clientMsAtServerTick(serverTick: number): number {
    return serverTick * this.periodMs - this.offsetMs;
  }

  /**
   * Feed one pong. Returns false (and counts it in rejectedCount) when the sample is impossible.
   * The first accepted sample sets the offset directly; later ones only move the target.
   */
  addSample(sample: ClockSample): boolean {
    const t2 = sample.serverReceiveTick * this.periodMs;
    const t3 = sample.serverSendTick * this.periodMs;
    const bracket: Bracket = {
      receivedAtMs: sample.clientReceiveMs,
      upMs: t2 - sample.clientSendMs,
      downMs: t3 - sample.clientReceiveMs,
      roundTripMs: sample.clientReceiveMs - sample.clientSendMs - (t3 - t2),
    };
    // Written as negations so that NaN is refused too.
    if (!(bracket.roundTripMs >= 0 && t3 >= t2 && Number.isFinite(bracket.upMs) && Number.isFinite(bracket.downMs))) {
      this.rejectedCount++;
      return false;
    }
    if (
      this.synced &&
      (this.targetOffsetMs > bracket.upMs + this.snapThresholdMs ||
        this.targetOffsetMs < bracket.downMs - this.snapThresholdMs)
    ) {
      // Every real sample brackets the true offset, so one this far off means the server clock changed.
      this.window.length = 0;
      this.resetCount++;
    }
    this.window.push(bracket);
    if (this.window.length > this.windowSize) this.window.shift();
    this.latestRoundTripMs = bracket.roundTripMs;
    this.recomputeTarget(sample.clientReceiveMs);
    if (!this.synced) {
      this.synced = true;
      this.offsetMs = this.targetOffsetMs;
      this.snapCount++;
      this.lastUpdateMs = sample.clientReceiveMs;
    }
    return true;
  }

  /**
   * Advance the slew to client time `clientMs` (call once per frame, before serverTickAt): the applied
   * offset moves towards the target by at most maxSlewMsPerSecond × elapsed, or snaps to it when the
   * error exceeds snapThresholdMs. A clientMs earlier than the last one changes nothing.
   */
  update(clientMs: number): void {
    if (!this.synced) return;
    const elapsedMs = clientMs - this.lastUpdateMs;
    if (!(elapsedMs > 0)) return;
    this.lastUpdateMs = clientMs;
    const errorMs = this.targetOffsetMs - this.offsetMs;
    if (Math.abs(errorMs) > this.snapThresholdMs) {
      this.offsetMs = this.targetOffsetMs;
      this.snapCount++;
      return;
    }
    const maxStepMs = (this.maxSlewMsPerSecond * elapsedMs) / 1000;
    this.offsetMs += Math.min(maxStepMs, Math.max(-maxStepMs, errorMs));
  }

  /** Per sample, over at most windowSize (64) entries. `nowMs`: the newest sample's receipt. */
  private recomputeTarget(nowMs: number): void {
    let minUp = Number.POSITIVE_INFINITY;
    let maxDown = Number.NEGATIVE_INFINITY;
    let minRoundTrip = Number.POSITIVE_INFINITY;
    for (const b of this.window) {
      // An older bracket is widened by the drift it may have missed since (NTP's dispersion).
      const widenMs = this.maxDriftPpm * 1e-6 * Math.max(0, nowMs - b.receivedAtMs);
      if (b.upMs + widenMs < minUp) minUp = b.upMs + widenMs;
      if (b.downMs - widenMs > maxDown) maxDown = b.downMs - widenMs;
      if (b.roundTripMs < minRoundTrip) minRoundTrip = b.roundTripMs;
    }
    this.targetOffsetMs = (minUp + maxDown) / 2;
    this.roundTripMs = minRoundTrip;
  }
}
