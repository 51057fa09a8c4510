// The client side of the netcode, shared by the browser and the bots: the connection, prediction of
// the local player with reconciliation, input pacing, the ping schedule, the game's messages
// (roster, chat, shots, kills), and reconnecting with the resume token after a drop. Its methods run
// once per frame (update), once per input (sendInput), once per snapshot or message (inside the
// connection's events), and once per reconnect try or silence check (timers from `reconnect.schedule`).
import {
  CloseCode,
  type KillEvent,
  type KnownWorld,
  type MoveInput,
  mapHash,
  movedAddress,
  type PlayerState,
  type Pong,
  RosterBook,
  type RosterPlayer,
  type ShotEvent,
  type SnapshotMessage,
  type WelcomeMessage,
  type WorldState,
  worldOfMapHash,
} from '@tickwire/protocol';
import { ClockSync } from './clockSync.js';
import {
  Connection,
  type ConnectionEvents,
  type ConnectionOptions,
  type ConnectionStats,
  emptyConnectionStats,
} from './connection.js';
import { EventFeed } from './gameEvents.js';
import { InputPacer } from './inputPacer.js';
import { SnapshotBuffer } from './interpolation.js';
import { PingSchedule } from './pingSchedule.js';
import { Prediction } from './prediction.js';
import { ReconnectSchedule, reconnectAllowed, SILENCE_CLOSE_CODE, SILENCE_TIMEOUT_MS } from './reconnectPolicy.js';
import { RenderClock } from './renderClock.js';
import type { SocketCloseEvent, SocketLike } from './socketLike.js';

export type { RosterPlayer };

/**
 * The client's link, one state machine (PROTOCOL.md, Reconnecting):
 *
 *   joining ──WELCOME──▶ playing ──close that allows it (with a token and a grace)──▶ reconnecting
 *      │                   ▲  │                                                      │  │
 *      │                   │  └──any other close, or close()──▶ closed ◀──final close, │
 *      │                   └───────────WELCOME (resumed)──────────────────  grace over ─┘
 *      └──any close──▶ closed
 */
export type LinkState = 'joining' | 'playing' | 'reconnecting' | 'closed';

/** What reconnecting needs from the caller: a new socket to the same wsUrl, and timers. */
export interface ReconnectOptions {
  /**
   * A new socket to the room: at `wsUrl` when the room was located elsewhere (it moved), else the
   * wsUrl the first one opened. May throw: counted as a failed try.
   */
  openSocket(wsUrl?: string): SocketLike;
  /**
   * Where the token's room is now (POST /matchmake {mode: 'resume'} on any process): asked before a
   * try after 4019 MOVED, except the first when the close's reason named the room's new socket.
   * Undefined (or a rejection) keeps the last address. Absent: never asked.
   */
  locate?(resumeToken: string): Promise<string | undefined>;
  /** Run `fn` after `ms` on the same clock as `now`; returns a cancel. */
  schedule(fn: () => void, ms: number): () => void;
  /** [0, 1), for the backoff's jitter. @default Math.random */
  random?: () => number;
  /** @default SILENCE_TIMEOUT_MS (4000 ms) */
  silenceTimeoutMs?: number;
}

/** Where a reconnect stands, for a "Reconnecting… (Ns)" banner. */
export interface ReconnectStatus {
  /** The close that started it (1006 for a silent link). */
  code: number;
  /** Tries made so far. */
  attempts: number;
  /** ms since the drop. */
  elapsedMs: number;
}

export interface NetClientOptions
  extends Omit<
    ConnectionEvents,
    'onWelcome' | 'onSnapshot' | 'onPong' | 'onPlayersMessage' | 'onRosterChangesMessage' | 'onChatMessage'
  > {
  socket: SocketLike;
  name: string;
  /** The seat POST /matchmake issued for the room the socket names (sent in HELLO). */
  seat: string;
  /**
   * A resume token to join with instead of the seat (a page reloaded within the grace takes its
   * player back). Refused with 4017 SESSION_EXPIRED when the player is gone. @default ''
   */
  resumeToken?: string;
  /** Reconnect and resume after a close that allows it. Absent: every close is final. */
  reconnect?: ReconnectOptions;
  /** The clock every event is stamped with, ms. */
  now: () => number;
  /** Pace inputs to the server's buffer (the browser). Load bots keep their own schedule. @default true */
  pace?: boolean;
  /** Predict and reconcile the local player. @default true */
  predict?: boolean;
  /** See ConnectionOptions.decodeSnapshots: 'header' is for load bots that only acknowledge. @default 'full' */
  decodeSnapshots?: ConnectionOptions['decodeSnapshots'];
  /** Keep a snapshot buffer and render clock for drawing other entities (the browser). @default true */
  interpolate?: boolean;
  /**
   * The map this client predicts with. WELCOME's mapHash must be its hash, or the client closes with
   * MAP_MISMATCH (4010): prediction stepping another world would mispredict forever.
   * @default the known world (the arena or the game, protocol's KNOWN_WORLDS) whose hash WELCOME names
   */
  map?: KnownWorld;
  onWelcome?(welcome: WelcomeMessage, nowMs: number): void;
  onSnapshot?(snapshot: SnapshotMessage, world: WorldState, nowMs: number): void;
  /** A pong arrived: feed it to clock sync. */
  onPong?(pong: Pong, nowMs: number): void;
  /**
   * The roster changed: a whole PLAYERS list arrived (its last page), or a ROSTER_CHANGES was
   * applied. NetClient.players already holds the result.
   */
  onPlayers?(players: ReadonlyMap<number, RosterPlayer>, nowMs: number): void;
  /** A chat line: fromId 0 is a server notice. Show the text as text, never as markup. */
  onChat?(chat: { fromId: number; text: string }, nowMs: number): void;
  /** A shot of a snapshot (a hitscan ray, a launch or a projectile hit), once each, in tick order. */
  onShot?(shot: ShotEvent, nowMs: number): void;
  /** A kill of a snapshot, once each, in tick order, after the shots of its tick. */
  onKill?(kill: KillEvent, nowMs: number): void;
  /** A WELCOME gave a new resume token (keep it, e.g. in sessionStorage) and the grace it is good for. */
  onResumeToken?(token: string, graceMs: number, nowMs: number): void;
  /** The link dropped and a reconnect started, or a try of it failed and another is coming. */
  onReconnecting?(status: ReconnectStatus, nowMs: number): void;
  /** A reconnect took the player back: `pauseMs` from the drop to the WELCOME. onWelcome came first. */
  onResumed?(welcome: WelcomeMessage, pauseMs: number, nowMs: number): void;
  /** A reconnect ended without taking the player back (grace over, 4017, a refusal); onClose follows. */
  onResumeFailed?(code: number, nowMs: number): void;
}

export class NetClient {
  /**
   * The connection of the game being played: while reconnecting, still the dropped one (its world
   * stays on screen); a reconnect try replaces it at its WELCOME.
   */
  connection: Connection;
  /** The reconnect try in flight (socket opening or HELLO sent), undefined otherwise. */
  private attempt: Connection | undefined;
  /** The latest WELCOME, kept across reconnects. */
  welcome: WelcomeMessage | undefined;
  link: LinkState = 'joining';
  prediction: Prediction | undefined;
  pacer: InputPacer | undefined;
  /** The server's tick clock as this client estimates it (fed by pongs). */
  clock: ClockSync | undefined;
  /** Recent states of every entity, for interpolation (undefined when interpolate is off). */
  buffer: SnapshotBuffer | undefined;
  renderClock: RenderClock | undefined;
  /** The resume token of the latest WELCOME ('' before one, or from a server that keeps no player). */
  resumeToken: string;
  /** WELCOME's reconnectGraceMs: how long after a drop a resume can still find the player. */
  reconnectGraceMs = 0;
  /** Set while reconnecting: the tries of this drop. */
  private reconnecting: ReconnectSchedule | undefined;
  private reconnectCode = 0;
  /** The room's socket after it moved to another process (4019 MOVED, named by its reason or located). */
  private movedTo: string | undefined;
  /** The 4019 of this drop named the new socket: its first try goes straight there, without locating. */
  private movedToNamed = false;
  private cancelTimer: (() => void) | undefined;
  private cancelSilence: (() => void) | undefined;
  private pings = new PingSchedule();
  private readonly events = new EventFeed();
  /** PLAYERS pages and ROSTER_CHANGES applied in version order; a frame that does not fit closes the connection. */
  private roster = new RosterBook();
  /** Every connection's counters add up here, so a resume does not reset what the caller reads. */
  private readonly stats: ConnectionStats = emptyConnectionStats();

  constructor(private readonly options: NetClientOptions) {
    this.resumeToken = options.resumeToken ?? '';
    this.connection = this.connect(options.socket);
  }

  /** The link state, for a "Reconnecting… (Ns)" banner: undefined unless reconnecting. */
  reconnectStatus(nowMs: number): ReconnectStatus | undefined {
    const schedule = this.reconnecting;
    if (schedule === undefined) return undefined;
    return { code: this.reconnectCode, attempts: schedule.attempts, elapsedMs: schedule.elapsedMs(nowMs) };
  }

  /**
   * Leave: close with `code` (1000 is a consented leave: the server removes the player at once) and
   * stop any reconnect. onClose follows.
   */
  close(code = 1000, reason = ''): void {
    if (this.link === 'closed') return;
    if (this.link === 'reconnecting') {
      this.clearTimers();
      this.attempt?.abandon();
      this.attempt = undefined;
      return this.finish({ code, reason }, this.options.now());
    }
    this.connection.close(code, reason);
  }

  /** One connection on `socket`: HELLO with the seat, or with the resume token once there is one. */
  private connect(socket: SocketLike): Connection {
    const options = this.options;
    const connection: Connection = new Connection(socket, {
      ...options,
      // A resume names its player by the token; the seat was spent on the first join.
      seat: this.resumeToken === '' ? options.seat : '',
      stats: this.stats,
      resumeToken: this.resumeToken,
      onWelcome: (welcome, nowMs) => {
        if (connection !== this.live) return;
        this.connection = connection;
        this.attempt = undefined;
        this.handleWelcome(welcome, nowMs);
      },
      onSnapshot: (snapshot, world, nowMs) => {
        if (connection !== this.live) return;
        this.reconcile(snapshot, world, nowMs);
        this.pacer?.observe(snapshot.inputBuffer, snapshot.starvedInputs);
        this.remember(snapshot, world, nowMs);
        options.onSnapshot?.(snapshot, world, nowMs);
        this.events.deliver(snapshot, options, nowMs);
      },
      onPlayersMessage: (message, nowMs) => {
        const problem = this.roster.applyPage(message);
        if (problem !== undefined) return connection.failProtocol(problem, nowMs);
        if (message.page === message.pages - 1) options.onPlayers?.(this.roster.players, nowMs);
      },
      onRosterChangesMessage: (message, nowMs) => {
        const problem = this.roster.applyChanges(message);
        if (problem !== undefined) return connection.failProtocol(problem, nowMs);
        options.onPlayers?.(this.roster.players, nowMs);
      },
      onChatMessage: (message, nowMs) => options.onChat?.({ fromId: message.fromId, text: message.text }, nowMs),
      onPong: (pong, nowMs) => {
        this.clock?.addSample({
          clientSendMs: pong.clientTimeMs,
          serverReceiveTick: pong.serverReceiveTick,
          serverSendTick: pong.serverSendTick,
          clientReceiveMs: nowMs,
        });
        options.onPong?.(pong, nowMs);
      },
      onClose: (event, nowMs) => {
        if (connection !== this.live) return;
        this.attempt = undefined;
        this.handleClose(event, nowMs);
      },
    });
    this.armSilence(connection);
    return connection;
  }

  /** The connection whose events count: the reconnect try in flight, else the game's. */
  private get live(): Connection {
    return this.attempt ?? this.connection;
  }

  /**
   * A WELCOME, first or after a resume: everything that depends on the connection starts again
   * (PROTOCOL.md, Reconnecting: seq, acks, baseline and pings restart), so clock sync, the render
   * clock, the pacer, prediction and the snapshot buffer are made new; others then snap to where the
   * full snapshot puts them instead of sliding from where they were before the drop.
   */
  private handleWelcome(welcome: WelcomeMessage, nowMs: number): void {
    const options = this.options;
    const map = options.map ?? worldOfMapHash(welcome.mapHash);
    const expected = map === undefined ? undefined : mapHash(map.scenario, map.rules);
    if (map === undefined || welcome.mapHash !== expected) {
      const mine = expected === undefined ? 'no map of this client has it' : `this client ${expected}`;
      options.onProtocolError?.(`map mismatch: server ${welcome.mapHash}, ${mine}`, nowMs);
      this.connection.close(CloseCode.MAP_MISMATCH, 'map mismatch');
      return;
    }
    const resumedFrom = this.reconnecting;
    this.clearTimers();
    this.armSilence(this.connection);
    this.reconnecting = undefined;
    this.link = 'playing';
    this.resumeToken = welcome.resumeToken;
    this.reconnectGraceMs = welcome.reconnectGraceMs;
    if (resumedFrom !== undefined && this.prediction !== undefined) {
      // The same player in the same room: its unacknowledged inputs are gone with the old connection,
      // and the first correction after the full snapshot is counted as the resume's, not as an error.
      this.prediction.restart('resume');
    } else {
      const before = this.prediction?.stats;
      this.prediction =
        (options.predict ?? true) ? new Prediction(1 / welcome.tickRate, map.rules, welcome.positionScale) : undefined;
      // Corrections count over the whole run, not per connection.
      if (before !== undefined && this.prediction !== undefined) Object.assign(this.prediction.stats, before);
    }
    this.pacer = (options.pace ?? true) ? new InputPacer(1000 / welcome.tickRate) : undefined;
    this.welcome = welcome;
    this.clock = new ClockSync({ tickRate: welcome.tickRate });
    this.renderTick = undefined;
    if (options.interpolate ?? true) {
      this.buffer = new SnapshotBuffer({
        tickRate: welcome.tickRate,
        angleSteps: welcome.angleSteps,
        maxQuantaPerTick: (welcome.speed * welcome.positionScale) / welcome.tickRate,
      });
      this.renderClock = new RenderClock({ tickRate: welcome.tickRate, snapshotRate: welcome.snapshotRate });
    }
    // A resumed connection gets the whole roster again (PLAYERS), at the server's current version.
    if (resumedFrom !== undefined) this.roster = new RosterBook();
    // Fast pings again: the new clock sync starts from no samples.
    this.pings = new PingSchedule();
    options.onWelcome?.(welcome, nowMs);
    if (welcome.resumeToken !== '') options.onResumeToken?.(welcome.resumeToken, welcome.reconnectGraceMs, nowMs);
    if (resumedFrom !== undefined) options.onResumed?.(welcome, resumedFrom.elapsedMs(nowMs), nowMs);
  }

  /** The current connection ended: reconnect when the close and the grace allow it, else finish. */
  private handleClose(event: SocketCloseEvent, nowMs: number): void {
    this.clearTimers();
    if (this.link === 'playing' && this.mayReconnect(event.code)) {
      this.link = 'reconnecting';
      this.reconnectCode = event.code;
      const named = event.code === CloseCode.MOVED ? movedAddress(event.reason) : undefined;
      if (named !== undefined) this.movedTo = named;
      this.movedToNamed = named !== undefined;
      this.reconnecting = new ReconnectSchedule(
        nowMs,
        this.reconnectGraceMs,
        this.options.reconnect!.random ?? Math.random,
      );
      return this.planTry(nowMs);
    }
    if (this.link === 'reconnecting') {
      // A try that failed on the way (refused connection, dropped before WELCOME) tries again; a
      // refusal of the token (4017, 4020) or any other final close ends it.
      if (reconnectAllowed(event.code)) return this.planTry(nowMs);
      this.options.onResumeFailed?.(event.code, nowMs);
    }
    this.finish(event, nowMs);
  }

  private mayReconnect(code: number): boolean {
    return (
      this.options.reconnect !== undefined &&
      this.resumeToken !== '' &&
      this.reconnectGraceMs > 0 &&
      reconnectAllowed(code)
    );
  }

  /** Schedule the next try of this drop, or give up: the grace is over. */
  private planTry(nowMs: number): void {
    const schedule = this.reconnecting!;
    const at = schedule.next(nowMs);
    if (at === undefined) {
      this.options.onResumeFailed?.(this.reconnectCode, nowMs);
      return this.finish({ code: this.reconnectCode, reason: 'reconnect gave up: the grace is over' }, nowMs);
    }
    this.options.onReconnecting?.(
      { code: this.reconnectCode, attempts: schedule.attempts - 1, elapsedMs: schedule.elapsedMs(nowMs) },
      nowMs,
    );
    this.cancelTimer = this.options.reconnect!.schedule(() => this.tryReconnect(), at - nowMs);
  }

  /**
   * One try: a new socket to the room, whose HELLO carries the resume token. After 4019 MOVED the
   * room is on another process: it is located first (any process's matchmaker knows where).
   */
  private tryReconnect(): void {
    this.cancelTimer = undefined;
    if (this.link !== 'reconnecting') return;
    const { locate } = this.options.reconnect!;
    const token = this.resumeToken;
    const named = this.movedToNamed;
    this.movedToNamed = false;
    if (
      this.reconnectCode === CloseCode.MOVED &&
      !named &&
      locate !== undefined &&
      token !== undefined &&
      token !== ''
    ) {
      // A matchmaker that cannot be reached (it may be the process that drained away) keeps the last address.
      const openLast = () => {
        if (this.link === 'reconnecting') this.openTry();
      };
      locate(token).then((wsUrl) => {
        if (wsUrl !== undefined) this.movedTo = wsUrl;
        openLast();
      }, openLast);
      return;
    }
    this.openTry();
  }

  private openTry(): void {
    let socket: SocketLike;
    try {
      socket = this.options.reconnect!.openSocket(this.movedTo);
    } catch {
      return this.planTry(this.options.now());
    }
    this.attempt = this.connect(socket);
  }

  /**
   * Checks the current connection for silence when it could first have gone silent; a silent one is
   * abandoned and treated as a close 1006 (a blackholed link never closes by itself in a browser).
   */
  private armSilence(connection: Connection): void {
    const reconnect = this.options.reconnect;
    if (reconnect === undefined) return;
    this.cancelSilence?.();
    const timeoutMs = reconnect.silenceTimeoutMs ?? SILENCE_TIMEOUT_MS;
    const check = () => {
      this.cancelSilence = undefined;
      if (connection !== this.live || connection.state === 'closed' || this.link === 'closed') return;
      const nowMs = this.options.now();
      const quietMs = nowMs - connection.lastFrameMs;
      if (quietMs < timeoutMs) {
        this.cancelSilence = reconnect.schedule(check, timeoutMs - quietMs);
        return;
      }
      connection.abandon();
      this.attempt = undefined;
      this.handleClose({ code: SILENCE_CLOSE_CODE, reason: 'no frame from the server' }, nowMs);
    };
    this.cancelSilence = reconnect.schedule(check, timeoutMs);
  }

  private clearTimers(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.cancelSilence?.();
    this.cancelSilence = undefined;
  }

  /** The link is over for good: onClose, once. */
  private finish(event: SocketCloseEvent, nowMs: number): void {
    this.clearTimers();
    this.link = 'closed';
    this.reconnecting = undefined;
    this.options.onClose?.(event, nowMs);
  }

  /** This client's player id: the same before and after a resume; 0 before the first WELCOME. */
  get playerId(): number {
    return this.welcome?.playerId ?? 0;
  }

  /** Entities held deferred now by the connection of the game being played (a byte budget left them as last sent). */
  get deferredCount(): number {
    return this.connection.deferredCount;
  }

  /** The roster, by player id: the whole PLAYERS list with every ROSTER_CHANGES since applied (empty before it). */
  get players(): ReadonlyMap<number, RosterPlayer> {
    return this.roster.players;
  }

  /** The roster version held, undefined before the whole PLAYERS list arrived. */
  get rosterVersion(): number | undefined {
    return this.roster.version;
  }

  /**
   * Once per frame: advance the clock estimate and the render clock, send a ping when one is due.
   * Returns how many inputs the pacer wants sent now.
   */
  update(nowMs: number): number {
    if (this.connection.state !== 'playing') return 0;
    this.clock?.update(nowMs);
    if (this.clock?.synced && this.renderClock !== undefined)
      this.renderTick = this.renderClock.update(nowMs, this.clock.serverTickAt(nowMs));
    if (this.pings.due(nowMs)) this.connection.sendPing(nowMs);
    return this.pacer?.due(nowMs) ?? 0;
  }

  /** The server tick to draw other entities at, from the last update(); undefined until synced. */
  renderTick: number | undefined;

  /**
   * The server tick an input sent now is meant for (PROTOCOL.md, "Input timing"): the server's tick
   * when it arrives (now + half the round trip) plus the inputs queued ahead of it, rounded up.
   */
  inputTick(nowMs: number): number {
    const clock = this.clock;
    if (!clock?.synced) return 0;
    const queued = this.connection.latestSnapshot?.inputBuffer ?? 0;
    const oneWayTicks = Number.isFinite(clock.roundTripMs) ? clock.roundTripMs / 2 / clock.periodMs : 0;
    return Math.max(0, Math.ceil(clock.serverTickAt(nowMs) + oneWayTicks + queued));
  }

  /**
   * Send one input and predict it. `aimAngle` (radians, any value: sent wrapped into [-π, π];
   * 0 when not given), `buttons` (Button bits), `tick`: the server tick it is meant for (0 if unknown).
   * The input's viewTick is the render tick of the last update(), the tick others are drawn at (0
   * before the render clock runs), so a hitscan shot is rewound to what this client showed.
   */
  sendInput(input: MoveInput & { aimAngle?: number }, buttons = 0, tick = 0): number {
    const aimAngle = wrapAngle(input.aimAngle ?? 0);
    const viewTick = Math.max(0, this.renderTick ?? 0);
    const seq = this.connection.sendInput(input.moveX, input.moveY, buttons, tick, aimAngle, viewTick);
    // Predicted with the aim the server gets: with faceAim the player faces it.
    if (seq !== 0) this.prediction?.predict(seq, { moveX: input.moveX, moveY: input.moveY, aimAngle });
    return seq;
  }

  /** Send a chat line (cut to MAX_CHAT_LENGTH); false when not playing or empty. */
  sendChat(text: string): boolean {
    return this.connection.sendChat(text);
  }

  /** The local player's predicted state, or undefined before its first snapshot. */
  get predicted(): PlayerState | undefined {
    return this.prediction?.state;
  }

  private remember(snapshot: SnapshotMessage, world: WorldState, nowMs: number): void {
    if (this.buffer === undefined || this.renderClock === undefined) return;
    // In a delta, created entities are new lives (entering the view, or a new entity under a reused
    // id). A full snapshot lists every entity in created, new life or not (the first, a resume, a
    // fallback after skipped snapshots): there a new life shows only as an id the buffer did not
    // hold, or as a teleport, and every other entity goes on sliding instead of vanishing. Those a
    // byte budget holds deferred are stored on their predicted course, not frozen (interpolation.ts).
    // The connection is what the buffer needs of them (HeldEntities): deferredSince and the world's edges.
    const held = this.connection.deferredCount > 0 ? this.connection : undefined;
    this.buffer.pushWorld(world, nowMs, snapshot.baseAge > 0 ? snapshot.created : [], held);
    if (this.clock?.synced) this.renderClock.onSnapshot(world.tick, nowMs, this.clock.serverTickAt(nowMs));
  }

  private reconcile(snapshot: SnapshotMessage, world: WorldState, nowMs: number): void {
    const prediction = this.prediction;
    const own = world.entity(this.playerId);
    if (prediction === undefined || own === undefined) return;
    const server: PlayerState = { x: own.x, y: own.y, vx: own.vx, vy: own.vy, angle: own.angle };
    // Dead (hp 0): the server holds the player still, so prediction does too until it respawns.
    prediction.frozen = own.hp === 0;
    if (prediction.state === undefined) {
      prediction.state = server;
      return;
    }
    prediction.reconcile(server, snapshot.lastInputSeq, nowMs, snapshot);
  }
}

/** An angle in radians, as INPUT carries it: the same direction in [-π, π]; non-finite gives 0. */
export function wrapAngle(radians: number): number {
  if (!Number.isFinite(radians)) return 0;
  if (radians >= -Math.PI && radians <= Math.PI) return radians;
  const turn = 2 * Math.PI;
  const wrapped = radians - turn * Math.round(radians / turn);
  return Math.min(Math.PI, Math.max(-Math.PI, wrapped));
}
