// The scenarios' bots (docs/scenarios.md, "arena-N" Bots, and "game-N" with a pilot such as GamePilot):
// joins (a seat from the matchmaker, then the socket) run per answer and socket event, at most 10 in
// flight; inputs run per tick() of one shared timer loop, each bot every 33 ms on absolute due times.
import {
  ARENA_INPUT_INTERVAL_MS,
  ArenaSchedule,
  CloseCode,
  closeCodeName,
  type WelcomeMessage,
  type WorldState,
} from '@tickwire/protocol';
import type { MatchmakeOutcome } from '../net/matchmake.js';
import { NetClient } from '../net/netClient.js';
import type { SocketCloseEvent, SocketLike } from '../net/socketLike.js';
import { addCorrections, emptyCorrectionTotals } from './corrections.js';
import type { BotPilot } from './gamePilot.js';
import type { BotStats, ReceiveTotals } from './stats.js';

/** Joins (socket opened, WELCOME not yet received) allowed at once, as the scenario states. */
export const ARENA_MAX_JOINS_IN_FLIGHT = 10;
/**
 * Most inputs one bot sends in one tick when the process fell behind: the newest ones due,
 * oldest first; older ones are skipped (counted) so the schedule never shifts. 4 × 33 ms ≈ 130 ms.
 */
export const ARENA_MAX_CATCH_UP_INPUTS = 4;

export interface ArenaDriverOptions {
  /** Number of bots, N. */
  count: number;
  /** Bot i's direction schedule is seeded with i + seed − 1, so seed 1 is the scenario. @default 1 */
  seed?: number;
  /** Bot i is named `${namePrefix}${i}`. @default 'bot' */
  namePrefix?: string;
  /** Predict each bot's own player and count mispredictions. @default true */
  predict?: boolean;
  /**
   * Pure load: no prediction, and, for bots without a pilot, only each snapshot's tick is read (to
   * acknowledge it), so the bots' own CPU does not depend on how much the server sends. Bots with a
   * pilot still decode the world they aim in. @default false
   */
  loadOnly?: boolean;
  /**
   * Bot i's seat (BotSeats: POST /matchmake); asked in index order, at most `maxJoinsInFlight` ahead
   * of the WELCOMEs. An answer at once (a test's) opens the socket at once.
   */
  seat(botIndex: number): MatchmakeOutcome | Promise<MatchmakeOutcome>;
  /** Opens bot i's socket at its seat's wsUrl. */
  openSocket(botIndex: number, wsUrl: string): SocketLike;
  /** The clock socket events are stamped with, in ms; tick() takes the same clock's reading. */
  now(): number;
  stats: BotStats;
  /** Asks the timer loop to call tick() no later than `dueMs` (a bot joined: its next input is due). */
  wake?(dueMs: number): void;
  /** One line for stderr: a disconnect or a protocol error. */
  log?(line: string): void;
  /** @default ARENA_MAX_JOINS_IN_FLIGHT */
  maxJoinsInFlight?: number;
  /** @default ARENA_INPUT_INTERVAL_MS (33 ms) */
  inputIntervalMs?: number;
  /** @default ARENA_MAX_CATCH_UP_INPUTS */
  maxCatchUpInputs?: number;
  /**
   * Bot i's pilot, made at its WELCOME (game-N: GamePilot). Its bots also run their NetClient's
   * clocks (update() before each input: pings, clock sync, the render tick their viewTick comes
   * from) and interpolation. Undefined: the arena's schedule, and neither (arena-N is pure load).
   */
  pilot?(botIndex: number, welcome: WelcomeMessage): BotPilot;
  /**
   * Timers for reconnecting (PROTOCOL.md, Reconnecting): with them a bot whose link drops reconnects
   * to its room and resumes, and one told 4017 SESSION_EXPIRED joins afresh through the matchmaker.
   * Absent: every close is final.
   */
  schedule?(fn: () => void, ms: number): () => void;
  /** Where a resume token's room is now, after 4019 MOVED (POST /matchmake {mode: 'resume'}). */
  locate?(resumeToken: string): Promise<string | undefined>;
}

/** waiting → seating (matchmaking call out) → joining (socket open, no WELCOME yet) → playing → closed. */
type BotPhase = 'waiting' | 'seating' | 'joining' | 'playing' | 'closed';

interface ArenaBot {
  readonly index: number;
  readonly schedule: ArenaSchedule;
  phase: BotPhase;
  net: NetClient | undefined;
  /** The CLI closed this socket: its close is not a disconnect. */
  closeRequested: boolean;
  /** Clock reading at WELCOME; input k is due at joinMs + k × interval. */
  joinMs: number;
  /** Received its first WELCOME: from then on it counts as a client in the per-client figures. */
  joined: boolean;
  /** k of the next input to send. */
  nextInput: number;
  /** Clock reading at the previous snapshot, NaN before the first. */
  lastSnapshotMs: number;
  /** The socket's last error message (ECONNREFUSED…), for the disconnect's log line. */
  lastError: string;
  /** Made at WELCOME when the driver has a pilot factory. */
  pilot: BotPilot | undefined;
  /** The room of its seat; '' before the matchmaker answered. */
  roomId: string;
}

const KNOWN_CLOSE_CODES: readonly number[] = Object.values(CloseCode);

export class ArenaDriver {
  private readonly bots: ArenaBot[] = [];
  /** Bots in phase 'playing', in join order: tick() walks only these. */
  private readonly playing: ArenaBot[] = [];
  private readonly intervalMs: number;
  private readonly maxJoinsInFlight: number;
  private readonly maxCatchUp: number;
  private readonly namePrefix: string;
  private nextToOpen = 0;
  private joinsInFlight = 0;
  private openCount = 0;
  private stopping = false;

  constructor(private readonly options: ArenaDriverOptions) {
    this.intervalMs = options.inputIntervalMs ?? ARENA_INPUT_INTERVAL_MS;
    this.maxJoinsInFlight = options.maxJoinsInFlight ?? ARENA_MAX_JOINS_IN_FLIGHT;
    this.maxCatchUp = options.maxCatchUpInputs ?? ARENA_MAX_CATCH_UP_INPUTS;
    this.namePrefix = options.namePrefix ?? 'bot';
    const seedOffset = (options.seed ?? 1) - 1;
    for (let index = 0; index < options.count; index++) {
      this.bots.push({
        index,
        schedule: new ArenaSchedule(index + seedOffset),
        phase: 'waiting',
        net: undefined,
        closeRequested: false,
        joinMs: 0,
        joined: false,
        nextInput: 0,
        lastSnapshotMs: Number.NaN,
        lastError: '',
        pilot: undefined,
        roomId: '',
      });
    }
  }

  /** Bots seating, joining or playing: sockets not yet closed, and calls not yet answered. */
  get openSockets(): number {
    return this.openCount;
  }

  /** Bots never opened plus joins in flight: 0 once every bot has joined or failed. */
  get pendingJoins(): number {
    return this.options.count - this.nextToOpen + this.joinsInFlight;
  }

  /** Opens the first joins; the rest open as WELCOMEs (or failures) free their slots. */
  start(): void {
    this.openNext();
  }

  /**
   * Sends every playing bot's inputs due at `nowMs`, and returns when the next one is due
   * (Infinity when no bot is playing). Call it at that time or later; early calls are harmless.
   */
  tick(nowMs: number): number {
    let nextDueMs = Number.POSITIVE_INFINITY;
    for (const bot of this.playing) {
      const dueMs = this.sendDueInputs(bot, nowMs);
      if (dueMs < nextDueMs) nextDueMs = dueMs;
    }
    return nextDueMs;
  }

  /** Closes every socket with 1000 and opens no more; their closes are not disconnects. */
  stop(): void {
    this.stopping = true;
    for (const bot of this.bots) {
      if (bot.phase !== 'seating' && bot.phase !== 'joining' && bot.phase !== 'playing') continue;
      bot.closeRequested = true;
      bot.net?.close(1000, 'bots done');
    }
  }

  /** Sums over every socket ever opened, so closed bots keep counting what they received. */
  totals(): ReceiveTotals {
    const totals: ReceiveTotals = {
      bytesReceived: 0,
      messagesReceived: 0,
      snapshotsApplied: 0,
      corrections: emptyCorrectionTotals(),
      snapshotBytesByBot: [],
    };
    for (const bot of this.bots) {
      const stats = bot.net?.connection.stats;
      totals.snapshotBytesByBot.push(bot.joined && stats !== undefined ? stats.snapshotBytesReceived : null);
      if (stats === undefined) continue;
      totals.bytesReceived += stats.bytesReceived;
      totals.messagesReceived += stats.messagesReceived;
      totals.snapshotsApplied += stats.snapshotsApplied;
      const prediction = bot.net?.prediction?.stats;
      if (prediction === undefined) continue;
      addCorrections(totals.corrections, prediction);
    }
    return totals;
  }

  private openNext(): void {
    while (!this.stopping && this.joinsInFlight < this.maxJoinsInFlight && this.nextToOpen < this.bots.length) {
      this.open(this.bots[this.nextToOpen++]!);
    }
  }

  private open(bot: ArenaBot): void {
    bot.phase = 'seating';
    this.joinsInFlight++;
    this.openCount++;
    let answer: MatchmakeOutcome | Promise<MatchmakeOutcome>;
    try {
      answer = this.options.seat(bot.index);
    } catch (error) {
      answer = { ok: false, status: 0, error: 'network', message: errorMessage(error) };
    }
    if (!(answer instanceof Promise)) return this.seated(bot, answer);
    answer.then(
      (outcome) => this.seated(bot, outcome),
      (error: unknown) => this.seated(bot, { ok: false, status: 0, error: 'network', message: errorMessage(error) }),
    );
  }

  /** The matchmaker answered bot i: open its socket, or count it as never joined. */
  private seated(bot: ArenaBot, answer: MatchmakeOutcome): void {
    if (bot.closeRequested) {
      // Stopped while the call was out: the seat, if any, is left to expire on the server.
      this.endWithoutSocket(bot);
      this.options.stats.recordExpectedClose(false);
      return;
    }
    if (!answer.ok) {
      this.endWithoutSocket(bot);
      this.options.stats.recordSeatRefused(answer.error);
      const status = answer.status === 0 ? 'no answer' : `HTTP ${answer.status}`;
      this.options.log?.(`bot ${bot.index}: no seat, ${status} ${answer.error} "${answer.message}"`);
      return this.openNext();
    }
    bot.roomId = answer.roomId;
    bot.phase = 'joining';
    let socket: SocketLike;
    try {
      socket = this.options.openSocket(bot.index, answer.wsUrl);
    } catch (error) {
      // 1006 as a browser reports a socket that never opened.
      bot.lastError = errorMessage(error);
      return this.handleClose(bot, { code: 1006, reason: 'cannot open socket' });
    }
    // The same net code as the browser: prediction and reconciliation of the bot's own player run
    // (their corrections are reported by kind); input pacing does not, because bots keep the scenario's
    // fixed 33 ms schedule; interpolation only for a pilot, which aims at what it draws.
    bot.net = new NetClient({
      socket,
      name: `${this.namePrefix}${bot.index}`,
      seat: answer.seat,
      now: this.options.now,
      pace: false,
      interpolate: this.options.pilot !== undefined,
      predict: !(this.options.loadOnly ?? false) && (this.options.predict ?? true),
      // Bots that play (a pilot) must see the world; arena bots only acknowledge.
      decodeSnapshots: this.options.loadOnly && this.options.pilot === undefined ? 'header' : 'full',
      onSnapshotHeader: (_tick, nowMs) => this.handleSnapshot(bot, nowMs),
      onWelcome: (welcome, nowMs) => this.handleWelcome(bot, welcome, nowMs),
      onSnapshot: (snapshot, world, nowMs) => {
        this.recordView(bot, snapshot.tick, world);
        this.handleSnapshot(bot, nowMs);
      },
      onClose: (event) => this.handleClose(bot, event),
      ...(this.options.schedule === undefined
        ? {}
        : {
            reconnect: {
              openSocket: (movedTo) => this.options.openSocket(bot.index, movedTo ?? answer.wsUrl),
              schedule: this.options.schedule,
              ...(this.options.locate === undefined ? {} : { locate: this.options.locate }),
            },
          }),
      onReconnecting: (status) => {
        if (status.attempts === 0) {
          this.options.stats.recordReconnect();
          this.options.log?.(`bot ${bot.index}: link dropped (${status.code}), reconnecting`);
        }
      },
      onResumed: (_welcome, pauseMs) => this.options.stats.recordResume(pauseMs),
      onResumeFailed: (code) => {
        this.options.stats.recordResumeFailure();
        this.options.log?.(`bot ${bot.index}: resume failed, close code ${code}`);
      },
      onProtocolError: (reason) => {
        this.options.stats.protocolErrors++;
        this.options.log?.(`bot ${bot.index}: protocol error: ${reason}`);
      },
    });
    // Connection ignores socket errors (the close carries the code); keep the message for the log.
    const connectionOnError = socket.onerror;
    socket.onerror = (event) => {
      bot.lastError = errorMessage(event);
      connectionOnError?.(event);
    };
  }

  private endWithoutSocket(bot: ArenaBot): void {
    bot.phase = 'closed';
    this.joinsInFlight--;
    this.openCount--;
  }

  private handleWelcome(bot: ArenaBot, welcome: WelcomeMessage, nowMs: number): void {
    // A resume's WELCOME: the bot plays on where it was, on the same input schedule.
    if (bot.phase === 'playing') return;
    this.joinsInFlight--;
    bot.pilot = this.options.pilot?.(bot.index, welcome);
    bot.phase = 'playing';
    bot.joined = true;
    bot.joinMs = nowMs;
    bot.nextInput = 0;
    this.playing.push(bot);
    this.options.stats.recordJoin(nowMs, this.totals(), bot.roomId);
    // Input 0 is due at the join itself; the loop is asked for the next one.
    const nextDueMs = this.sendDueInputs(bot, nowMs);
    this.options.wake?.(nextDueMs);
    this.openNext();
  }

  /**
   * The bot's world after a snapshot of `tick`: its entities, those the server defers (a byte
   * budget), and how long the one held longest has gone unsent, in server time (ticks × the tick's ms).
   */
  private recordView(bot: ArenaBot, tick: number, world: WorldState): void {
    const connection = bot.net!.connection;
    let oldestSince = tick;
    if (connection.deferredCount > 0) {
      for (let row = 0; row < world.count; row++) {
        const since = connection.deferredSince(world.ids[row]!);
        if (since > 0 && since < oldestSince) oldestSince = since;
      }
    }
    const msPerTick = 1000 / (connection.welcome?.tickRate ?? 30);
    this.options.stats.recordView(world.count, connection.deferredCount, (tick - oldestSince) * msPerTick);
  }

  private handleSnapshot(bot: ArenaBot, nowMs: number): void {
    if (!Number.isNaN(bot.lastSnapshotMs))
      this.options.stats.recordSnapshotInterval(bot.index, nowMs - bot.lastSnapshotMs);
    bot.lastSnapshotMs = nowMs;
  }

  private handleClose(bot: ArenaBot, event: SocketCloseEvent): void {
    const wasPlaying = bot.phase === 'playing';
    if (bot.phase === 'joining') this.joinsInFlight--;
    if (wasPlaying) this.playing.splice(this.playing.indexOf(bot), 1);
    bot.phase = 'closed';
    this.openCount--;
    if (event.code === CloseCode.SESSION_EXPIRED && !bot.closeRequested && !this.stopping) {
      // The room let the player go before the resume: join afresh (a new seat, a new player).
      this.options.stats.recordExpectedClose(wasPlaying);
      this.options.log?.(`bot ${bot.index}: session expired, joining afresh`);
      return this.open(bot);
    }
    if (bot.closeRequested) {
      this.options.stats.recordExpectedClose(wasPlaying);
    } else {
      this.options.stats.recordDisconnect(event.code, wasPlaying);
      const name = KNOWN_CLOSE_CODES.includes(event.code) ? ` ${closeCodeName(event.code)}` : '';
      const reason = event.reason === '' ? '' : ` "${event.reason}"`;
      const error = bot.lastError === '' ? '' : ` (${bot.lastError})`;
      this.options.log?.(`bot ${bot.index}: disconnected, close code ${event.code}${name}${reason}${error}`);
    }
    this.openNext();
  }

  /**
   * Sends the inputs of `bot` due at `nowMs` (at most maxCatchUp, the newest), each with the
   * direction at its own due time, and returns the next due time. Due times never move:
   *
   *   join      +33       +66       +99      +132
   *    |---------|---------|---------|---------|----
   *    k=0       k=1       k=2       k=3       k=4
   *    ^ sent at WELCOME      ^ tick at +70 sends k=2    ^ the next tick, late at +140, sends k=3 and k=4;
   *                                                        k=5 is still due at +165
   */
  private sendDueInputs(bot: ArenaBot, nowMs: number): number {
    const last = this.lastDueIndex(bot, nowMs);
    if (last >= bot.nextInput) {
      const dueCount = last - bot.nextInput + 1;
      const sendCount = Math.min(dueCount, this.maxCatchUp);
      const stats = this.options.stats;
      stats.inputsSkipped += dueCount - sendCount;
      const net = bot.net!;
      if (bot.pilot !== undefined) net.update(nowMs);
      for (let k = last - sendCount + 1; k <= last; k++) {
        let seq: number;
        if (bot.pilot === undefined) {
          const [moveX, moveY] = bot.schedule.directionAt(k * this.intervalMs);
          seq = net.sendInput({ moveX, moveY });
        } else {
          const { input, buttons } = bot.pilot.next(k * this.intervalMs, net);
          seq = net.sendInput(input, buttons, net.inputTick(nowMs));
        }
        if (seq === 0) continue;
        stats.inputsSent++;
        if (k < last) stats.inputsCaughtUp++;
      }
      bot.nextInput = last + 1;
    }
    return bot.joinMs + bot.nextInput * this.intervalMs;
  }

  /** The largest k with joinMs + k × interval ≤ nowMs, -1 before the join; same arithmetic as the due time returned. */
  private lastDueIndex(bot: ArenaBot, nowMs: number): number {
    let k = Math.floor((nowMs - bot.joinMs) / this.intervalMs);
    while (bot.joinMs + (k + 1) * this.intervalMs <= nowMs) k++;
    while (k >= 0 && bot.joinMs + k * this.intervalMs > nowMs) k--;
    return k;
  }
}

/** ws passes an ErrorEvent with a message, a browser a bare Event, a throw an Error. */
function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  return String(error);
}
