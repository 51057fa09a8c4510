// The bot run's counters and histograms; updated per bot event (matchmaking call, join, close,
// snapshot, input), read once per progress line and once for the summary. Time is passed in.
import { type CorrectionTotals, emptyCorrectionTotals } from './corrections.js';
import { Histogram } from './histogram.js';

/** Sums over every bot's Connection.stats, cumulative since its socket was created. */
export interface ReceiveTotals {
  /** WebSocket message payload bytes (no framing). */
  bytesReceived: number;
  messagesReceived: number;
  snapshotsApplied: number;
  /** The bots' prediction corrections by kind (all bots). */
  corrections: CorrectionTotals;
  /**
   * Bot i's SNAPSHOT payload bytes (cumulative over its connections), or null before its first
   * WELCOME: the per-client snapshot rates are taken over the bots that had joined when the window started.
   */
  snapshotBytesByBot: (number | null)[];
}

/**
 * The measured window: it restarts at every join, so once the last bot has joined it covers
 * the steady state only (no handshakes, every client receiving). Histograms restart with it.
 */
export interface MeasureWindow {
  startMs: number;
  /** Bots connected when the window started: the "clients" of per-client rates. */
  clients: number;
  /** Totals when the window started. */
  baseline: ReceiveTotals;
}

export class BotStats {
  /** Bots past WELCOME whose socket has not closed. */
  connected = 0;
  joins = 0;
  /** Closes the CLI did not ask for (server close, network error, protocol error). */
  disconnects = 0;
  /** Frames from the server this client could not decode (each also ends in a disconnect). */
  protocolErrors = 0;
  inputsSent = 0;
  /** Inputs sent in a tick that also sent a newer input of the same bot: the process fell behind. */
  inputsCaughtUp = 0;
  /** Inputs never sent because more were due at once than the catch-up bound allows. */
  inputsSkipped = 0;
  /** Close code → count, for the disconnects only. */
  readonly closeCodes = new Map<number, number>();
  /** Matchmaking error code → count, for the bots refused a seat (each also counted in disconnects). */
  readonly matchmakeErrors = new Map<string, number>();
  /** Duration of every POST /matchmake call, answered or not; a call can take seconds on a loaded server. */
  readonly matchmakeMs = new Histogram({ maxMs: 10_000 });
  /** Calls that did not give a seat (an error status, no answer, a malformed answer). */
  matchmakeFailures = 0;
  /** Drops after which a bot started reconnecting (one per drop, however many tries it took). */
  reconnects = 0;
  /** Reconnects that took the player back (a resumed WELCOME). */
  resumes = 0;
  /** Reconnects that did not: the grace ran out, 4017 SESSION_EXPIRED, or a refusal. */
  resumeFailures = 0;
  /** The longest time from a drop to its resumed WELCOME, ms (0 without resumes). */
  maxResumeMs = 0;
  /** Distinct rooms the bots played in (a bot counts its room at WELCOME). */
  readonly rooms = new Set<string>();
  /** Snapshot arrival intervals at bot 0 (the scenario's figure), within the window. */
  readonly bot0Intervals = new Histogram();
  /** Snapshot arrival intervals at every bot, within the window. */
  readonly allIntervals = new Histogram();
  /**
   * Entities in the bots' worlds summed over every snapshot decoded within the window, and those
   * snapshots (bots that decode only headers, --load-only without a pilot, hold no world: none).
   */
  entitiesInView = 0;
  worldsInView = 0;
  /** Entities held deferred (a byte budget) summed over the same snapshots as entitiesInView. */
  deferredInView = 0;
  /** The longest any entity in a bot's world had gone unsent while deferred, ms of server time, within the window. */
  maxDeferredMs = 0;
  window: MeasureWindow;

  constructor(readonly startMs: number) {
    this.window = {
      startMs,
      clients: 0,
      baseline: {
        bytesReceived: 0,
        messagesReceived: 0,
        snapshotsApplied: 0,
        corrections: emptyCorrectionTotals(),
        snapshotBytesByBot: [],
      },
    };
  }

  /** A bot received WELCOME in `roomId`; `totals` are taken after it, so its own WELCOME is before the window. */
  recordJoin(nowMs: number, totals: ReceiveTotals, roomId: string): void {
    this.joins++;
    this.rooms.add(roomId);
    this.connected++;
    this.window = { startMs: nowMs, clients: this.connected, baseline: { ...totals } };
    this.bot0Intervals.reset();
    this.allIntervals.reset();
    this.entitiesInView = 0;
    this.worldsInView = 0;
    this.deferredInView = 0;
    this.maxDeferredMs = 0;
  }

  /** A socket closed without the CLI asking; `wasConnected` when the bot had joined. */
  recordDisconnect(code: number, wasConnected: boolean): void {
    this.disconnects++;
    if (wasConnected) this.connected--;
    this.closeCodes.set(code, (this.closeCodes.get(code) ?? 0) + 1);
  }

  /** One POST /matchmake call took `ms`; `ok` when it gave a seat. */
  recordMatchmake(ms: number, ok: boolean): void {
    this.matchmakeMs.record(ms);
    if (!ok) this.matchmakeFailures++;
  }

  /** A bot got no seat (its error code, or its creator's): it never opens a socket, like one that failed to connect. */
  recordSeatRefused(error: string): void {
    this.disconnects++;
    this.matchmakeErrors.set(error, (this.matchmakeErrors.get(error) ?? 0) + 1);
  }

  /** A bot's link dropped and it started reconnecting. */
  recordReconnect(): void {
    this.reconnects++;
  }

  /** A reconnect took the player back `pauseMs` after the drop. */
  recordResume(pauseMs: number): void {
    this.resumes++;
    this.maxResumeMs = Math.max(this.maxResumeMs, pauseMs);
  }

  recordResumeFailure(): void {
    this.resumeFailures++;
  }

  /** A socket the CLI closed has closed. */
  recordExpectedClose(wasConnected: boolean): void {
    if (wasConnected) this.connected--;
  }

  /**
   * A bot applied a snapshot that left `entities` in its world (with interest management: its view),
   * `deferred` of them held deferred, the one held longest unsent for `oldestDeferredMs` (0: none).
   */
  recordView(entities: number, deferred = 0, oldestDeferredMs = 0): void {
    this.entitiesInView += entities;
    this.worldsInView++;
    this.deferredInView += deferred;
    if (oldestDeferredMs > this.maxDeferredMs) this.maxDeferredMs = oldestDeferredMs;
  }

  recordSnapshotInterval(botIndex: number, intervalMs: number): void {
    this.allIntervals.record(intervalMs);
    if (botIndex === 0) this.bot0Intervals.record(intervalMs);
  }
}
