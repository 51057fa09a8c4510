// A player on the client's own netcode for integration tests: NetClient (connection, prediction,
// input pacing, pings, clock sync, snapshot buffer and render clock) over an optional simulated link
// over the bots' ws socket, recording what tests compare, and (with `reconnect`) NetClient's own
// reconnect and resume after a drop, on real timers. One per simulated player; frame() runs once per
// frame-loop wake-up, the handlers once per received frame or reconnect event.
import type { DebugState, MoveInput, PlayerState, SnapshotMessage, WelcomeMessage } from '@tickwire/protocol';
import { openWsSocket } from '../../client/src/bot/wsSocket.js';
import type { ClockSync } from '../../client/src/net/clockSync.js';
import { NetClient } from '../../client/src/net/netClient.js';
import { type LinkOptions, realTimeScheduler, SimulatedSocket } from '../../client/src/net/networkSimulator.js';
import { EventLog, withTimeout } from './events.js';
import type { Ticket } from './seats.js';

import { type CloseInfo, EVENT_TIMEOUT_MS } from './testClient.js';
import { TimedSocket } from './timedSocket.js';
import type { WorldObject } from './world.js';

export const IDLE: MoveInput = { moveX: 0, moveY: 0 };

/** One snapshot as this client saw it, with copies of everything a test compares later. */
export interface NetSnapshotArrival {
  snapshot: SnapshotMessage;
  /** The reconstructed world at `snapshot.tick`, as a copy. */
  world: WorldObject;
  /** Client time it was applied (after the simulated link), ms. */
  atMs: number;
  /** Client time its frame came off the real socket (before the simulated link), ms. */
  rawAtMs: number;
  /** The predicted local player after reconciling with it, as a copy. */
  predicted: PlayerState | undefined;
  /** prediction.stats.mispredictions after reconciling with it. */
  mispredictions: number;
  /** prediction.stats.unpredictable (deaths, respawns, teleports such as a nudge) after reconciling with it. */
  unpredictable: number;
}

/** A pong as this client saw it, with the clock estimate it did not yet change. */
export interface PongArrival {
  pingId: number;
  serverSendTick: number;
  atMs: number;
  rawAtMs: number;
  /**
   * clock.serverTickAt(atMs) as this pong arrived: a sample moves only the clock's target, and the
   * applied offset follows in the next update(), so this is the estimate from the earlier samples.
   * NaN for the first pong (it sets the offset directly).
   */
  estimate: number;
}

export interface DebugStateArrival {
  message: DebugState;
  /** Tick of the newest snapshot applied when the reply arrived. */
  appliedTick: number;
  world: WorldObject;
  predicted: PlayerState | undefined;
}

/** A reconnect of this player as NetClient reported it. */
export interface ResumeArrival {
  welcome: WelcomeMessage;
  /** From the drop (close or silence timeout) to the resumed WELCOME, ms. */
  pauseMs: number;
}

export interface NetPlayerOptions {
  /**
   * Reconnect and resume after a drop (NetClient's `reconnect`, timers on setTimeout, each try a new
   * bare socket to the ticket's wsUrl). Absent: every close is final.
   */
  reconnect?: { silenceTimeoutMs?: number };
  /** The simulated link under the socket (timed by realTimeScheduler, which never fires early); undefined: the bare socket. */
  link?: LinkOptions;
  /** Pace inputs to the server's queue (NetClient's InputPacer). @default true */
  pace?: boolean;
}

export class NetPlayer {
  readonly client: NetClient;
  readonly timed: TimedSocket;
  readonly link: SimulatedSocket | undefined;
  readonly snapshots = new EventLog<NetSnapshotArrival>();
  readonly pongs = new EventLog<PongArrival>();
  readonly debugStates = new EventLog<DebugStateArrival>();
  /** Every resumed WELCOME (with `reconnect`). */
  readonly resumes = new EventLog<ResumeArrival>();
  /** The close code of every reconnect that started (1006 for a silence timeout). */
  readonly reconnects: number[] = [];
  /** The close code of every reconnect that ended without the player (4017, the grace over). */
  readonly resumeFailures: number[] = [];
  readonly welcomed: Promise<WelcomeMessage>;
  readonly closed: Promise<CloseInfo>;
  closeInfo: CloseInfo | undefined;
  /** Server frames the client refused (a server bug if ever non-empty). */
  readonly protocolErrors: string[] = [];
  /** The direction every paced input carries, or a script giving it at each frame's time. */
  input: MoveInput | ((nowMs: number) => MoveInput) = IDLE;
  /** Whether frame() sends the inputs the pacer asks for. */
  sending = true;
  /** seq of the newest input sent, 0 before the first. */
  lastSentSeq = 0;
  /** The INPUT `tick` stamp (NetClient.inputTick) of every input sent, by seq (0 while the clock had no sample). */
  readonly stamps = new Map<number, number>();
  /** Called after each snapshot is recorded (tests hook their per-snapshot checks here). */
  onSnapshot: (arrival: NetSnapshotArrival) => void = () => {};

  constructor(ticket: Ticket, name: string, options: NetPlayerOptions = {}) {
    let welcomed!: (welcome: WelcomeMessage) => void;
    let closed!: (info: CloseInfo) => void;
    this.welcomed = new Promise((resolve) => {
      welcomed = resolve;
    });
    this.closed = new Promise((resolve) => {
      closed = resolve;
    });
    this.timed = new TimedSocket(openWsSocket(ticket.wsUrl));
    const reconnect = options.reconnect;
    this.link =
      options.link === undefined ? undefined : new SimulatedSocket(this.timed, options.link, realTimeScheduler());
    this.client = new NetClient({
      socket: this.link ?? this.timed,
      name,
      seat: ticket.seat,
      now: () => performance.now(),
      pace: options.pace ?? true,
      onWelcome: (welcome) => welcomed(welcome),
      // NetClient has fed the pong to its clock already.
      onPong: (pong, nowMs) => {
        const clock = this.client.clock!;
        this.pongs.push({
          pingId: pong.pingId,
          serverSendTick: pong.serverSendTick,
          atMs: nowMs,
          rawAtMs: this.rawArrivalOfCurrentFrame(),
          estimate: clock.sampleCount > 1 ? clock.serverTickAt(nowMs) : Number.NaN,
        });
      },
      onSnapshot: (snapshot, world, nowMs) => {
        const prediction = this.client.prediction;
        const arrival: NetSnapshotArrival = {
          snapshot,
          world: world.toObject(),
          atMs: nowMs,
          rawAtMs: this.rawArrivalOfCurrentFrame(),
          predicted: this.predicted,
          mispredictions: prediction?.stats.mispredictions ?? 0,
          unpredictable: prediction?.stats.unpredictable ?? 0,
        };
        this.snapshots.push(arrival);
        this.onSnapshot(arrival);
      },
      onDebugState: (message) => {
        const connection = this.client.connection;
        this.debugStates.push({
          message,
          appliedTick: connection.latestSnapshot?.tick ?? 0,
          world: connection.world.toObject(),
          predicted: this.predicted,
        });
      },
      onProtocolError: (reason) => this.protocolErrors.push(reason),
      ...(reconnect === undefined
        ? {}
        : {
            reconnect: {
              // Frames of a later socket land in the same arrival list, in the order the shared counters count them.
              openSocket: () => new TimedSocket(openWsSocket(ticket.wsUrl), this.timed.arrivalsMs),
              schedule: (fn: () => void, ms: number) => {
                const timer = setTimeout(fn, ms);
                return () => clearTimeout(timer);
              },
              ...(reconnect.silenceTimeoutMs === undefined ? {} : { silenceTimeoutMs: reconnect.silenceTimeoutMs }),
            },
          }),
      onReconnecting: (status) => {
        if (status.attempts === 0) this.reconnects.push(status.code);
      },
      onResumed: (welcome, pauseMs) => this.resumes.push({ welcome, pauseMs }),
      onResumeFailed: (code) => this.resumeFailures.push(code),
      onClose: (event) => {
        this.closeInfo = { code: event.code, reason: event.reason };
        for (const log of [this.snapshots, this.pongs, this.debugStates, this.resumes])
          log.end(`${name} closed with ${event.code}`);
        closed(this.closeInfo);
      },
    });
  }

  /**
   * Connect to the ticket's room (through the link, if any), say HELLO with its seat, and wait for
   * WELCOME and the first snapshot.
   */
  static async join(ticket: Ticket, name: string, options: NetPlayerOptions = {}): Promise<NetPlayer> {
    const player = new NetPlayer(ticket, name, options);
    const failed = player.closed.then((info) => Promise.reject(new Error(`${name} closed with ${info.code}`)));
    await withTimeout(Promise.race([player.welcomed, failed]), EVENT_TIMEOUT_MS, `WELCOME for ${name}`);
    await player.snapshots.find(`the first snapshot for ${name}`, EVENT_TIMEOUT_MS);
    return player;
  }

  get playerId(): number {
    return this.client.playerId;
  }

  get tickRate(): number {
    return this.client.connection.welcome!.tickRate;
  }

  /** NetClient's estimate of the server's tick clock (created at WELCOME). */
  get clock(): ClockSync {
    return this.client.clock!;
  }

  /** A copy of the predicted local player, undefined before the first snapshot. */
  get predicted(): PlayerState | undefined {
    const state = this.client.predicted;
    return state === undefined ? undefined : { ...state };
  }

  /**
   * One frame at client time `nowMs`: NetClient advances its clocks and pings when due; then each
   * input the pacer asks for is sent with `input`, stamped with NetClient's tick for it.
   */
  frame(nowMs: number): void {
    const due = this.client.update(nowMs);
    if (!this.sending) return;
    const input = typeof this.input === 'function' ? this.input(nowMs) : this.input;
    for (let i = 0; i < due; i++) {
      const tick = this.client.inputTick(nowMs);
      const seq = this.client.sendInput(input, 0, tick);
      if (seq === 0) continue;
      this.lastSentSeq = seq;
      this.stamps.set(seq, tick);
    }
  }

  /** DEBUG_STATE_REQUEST, and the reply (with what the client held when it arrived). */
  requestDebugState(): Promise<DebugStateArrival> {
    const reply = this.debugStates.next('DEBUG_STATE', EVENT_TIMEOUT_MS);
    this.client.connection.requestDebugState();
    return reply;
  }

  /** Close with 1000 (through the link) and wait for the close to come back. */
  async close(): Promise<CloseInfo> {
    this.sending = false;
    // NetClient's close: also ends a reconnect in progress (the connection then is already closed).
    this.client.close(1000, 'test done');
    return withTimeout(this.closed, EVENT_TIMEOUT_MS + 1000, 'the player to close');
  }

  /** The raw arrival time of the frame being handled (the connection counts every message it receives). */
  private rawArrivalOfCurrentFrame(): number {
    return this.timed.arrivalsMs[this.client.connection.stats.messagesReceived - 1] ?? Number.NaN;
  }
}
