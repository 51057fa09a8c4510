// A room: its sessions, its ecsy world and its tick. receive() runs per client frame; runTick()
// runs once per tick: systems in order, then a snapshot to every player when one is due, each
// phase timed into the room's TickTimings.
import {
  ANGLE_STEPS,
  type ClientMessage,
  ClientMessageId,
  CloseCode,
  decodeClientFrame,
  type EntityTuple,
  encodeServerMessage,
  InputFrameReader,
  type InputMessage,
  POSITION_SCALE,
  PROTOCOL_VERSION,
  ServerMessageId,
  toPositionQ,
  type WorldState,
} from '@tickwire/protocol';
import type { Entity, World } from 'ecsy';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../log.js';
import { type ClientSocket, Session } from '../session/session.js';
import { GameContext } from '../sim/combat/gameContext.js';
import { projectilePoolSize } from '../sim/combat/projectilePool.js';
import { Position } from '../sim/components.js';
import { createPlayer } from '../sim/createPlayer.js';
import { createWorld } from '../sim/createWorld.js';
import { captureWorldState } from '../sim/networkedState.js';
import { type SystemTimer, timeSystems } from '../sim/timeSystems.js';
import { ackLagLimitTicks } from '../snapshot/ackLag.js';
import { SnapshotSender } from '../snapshot/snapshotSender.js';
import { TickTimings } from '../stats/tickTimings.js';
import { ChatRelay } from './chatRelay.js';
import { IdAllocator } from './idAllocator.js';
import { playerName } from './playerName.js';
import { Roster, scoreFlushIntervalTicks } from './roster.js';
import { createScenario, type Scenario } from './scenario.js';
import { SendTimes } from './sendTimes.js';

export type RoomConfig = Pick<
  ServerConfig,
  | 'tickRate'
  | 'snapshotRate'
  | 'maxPlayers'
  | 'inputQueue'
  | 'handshakeTimeoutMs'
  | 'idleKickMs'
  | 'scenario'
  | 'seed'
  | 'backpressureBytes'
  | 'backpressureTimeoutMs'
  | 'debugState'
  | 'tickTiming'
  | 'lagCompensation'
  | 'maxRewindMs'
>;

/**
 * Whether a HELLO from this address may join at `nowMs` (the per-address join rate,
 * transport/addressLimits.ts). Sessions without an address key (loopback, exempt) are not asked.
 */
export type JoinAdmission = (addressKey: string, nowMs: number) => boolean;

/** Cumulative counters of a room, read by /healthz and the benches. */
export interface RoomCounters {
  joins: number;
  leaves: number;
  /** Inputs dropped because a player's queue was full (players who left; see inputTotals()). */
  droppedInputs: number;
  /** Ticks that repeated a player's latest input for lack of a new one (players who left). */
  starvedTicks: number;
  /** Sessions closed by the server, by close code. */
  closes: Record<number, number>;
  /** Frames received from clients, and their bytes (WebSocket payloads). */
  messagesIn: number;
  bytesIn: number;
  /** Messages sent outside snapshots (WELCOME, PLAYERS, ROSTER_CHANGES, CHAT, DEBUG_STATE), and their bytes; snapshots are in SnapshotCounters. */
  messagesOut: number;
  bytesOut: number;
}

/** Per-client figures of the players in the room, read when metrics are scraped. */
export interface ClientFigures {
  /** Each player's inputs waiting in its queue. */
  inputQueueDepth: number[];
  /** Each player's smoothed snapshot-to-ack round trip, ms (players with a sample yet). */
  rttMs: number[];
  /** Each player's smoothed clock offset, ms (players that stamp INPUT.tick). */
  clockOffsetMs: number[];
}

export class Room {
  readonly scenario: Scenario;
  /** The last tick run. */
  tick = 0;
  readonly counters: RoomCounters = {
    joins: 0,
    leaves: 0,
    droppedInputs: 0,
    starvedTicks: 0,
    closes: {},
    messagesIn: 0,
    bytesIn: 0,
    messagesOut: 0,
    bytesOut: 0,
  };
  readonly snapshots: SnapshotSender<Session>;
  readonly timings: TickTimings;
  /** What the combat systems share: tick, players by id, projectiles, lag history, events. */
  readonly game: GameContext;
  readonly roster: Roster;
  readonly chat = new ChatRelay();
  /** The room's ecsy world: its entities and systems (tests register systems of their own on it). */
  readonly world: World;
  /**
   * A tick threw (see fail()): every player was closed with 1011, no tick runs again, and a HELLO
   * is refused with 1011. Only this room is affected; the process carries on.
   */
  failed = false;
  private readonly sessions = new Set<Session>();
  private readonly players = new Map<Session, Entity>();
  private readonly ids: IdAllocator;
  private readonly tickMs: number;
  /** The INPUT fast path; the message it returns is reused, and receiveInput copies what it keeps. */
  private readonly inputReader = new InputFrameReader();
  private nextConnectionId = 1;
  /** The state of the newest snapshot tick, in the ring. */
  private lastSnapshot: WorldState | undefined;
  /** When the current tick was due (its place on the schedule; creation time before tick 1). */
  private tickDueMs: number;
  /** Each system's time this tick, recorded after world.execute; none with --tick-timing off. */
  private readonly systemTimer: SystemTimer | undefined;
  /** When each snapshot tick still in the ring was sent (for ack round trips). */
  private readonly sendTimes: SendTimes;

  constructor(
    private readonly config: RoomConfig,
    private readonly log: Logger,
    /**
     * The clock pongs are stamped with when their frame is written; the tick scheduler's clock.
     * Tick timings read it too, so it must be high-resolution (performance.now).
     */
    private readonly now: () => number = () => performance.now(),
    private readonly admitJoin?: JoinAdmission,
  ) {
    this.tickDueMs = now();
    this.scenario = createScenario(config.scenario, config.seed);
    this.tickMs = 1000 / config.tickRate;
    this.timings = new TickTimings(config.tickTiming, this.tickMs);
    this.roster = new Roster(scoreFlushIntervalTicks(config.tickRate));
    this.game = new GameContext({
      tickRate: config.tickRate,
      rules: this.scenario.rules,
      maxPlayers: config.maxPlayers,
      startHp: this.scenario.startHp,
      nextSpawn: () => this.scenario.nextSpawn(),
      lagCompensation: config.lagCompensation,
      maxRewindMs: config.maxRewindMs,
    });
    const { rules } = this.scenario;
    this.world = createWorld({ dt: 1 / config.tickRate, rules, maxPlayers: config.maxPlayers, game: this.game });
    if (config.tickTiming) this.systemTimer = timeSystems(this.world, now, (name) => this.timings.system(name));
    // Players take ids 1 … maxPlayers, the projectile pool the ids after them.
    const entities = config.maxPlayers + projectilePoolSize(config.maxPlayers);
    this.ids = new IdAllocator(config.maxPlayers);
    // About one second of baselines, plus the state being sent.
    const ringSize = config.snapshotRate + 1;
    this.sendTimes = new SendTimes(ringSize, Math.ceil(config.tickRate / config.snapshotRate));
    this.snapshots = new SnapshotSender<Session>({
      capacity: entities,
      maxEntityId: entities,
      ringSize,
      bounds: {
        maxX: this.scenario.rules.width * POSITION_SCALE,
        maxY: this.scenario.rules.height * POSITION_SCALE,
      },
      backpressureBytes: config.backpressureBytes,
      ackLagLimitTicks: ackLagLimitTicks(config.tickRate),
      backpressureTimeoutMs: config.backpressureTimeoutMs,
      ...(config.tickTiming ? { timingClock: now } : {}),
      events: this.game.events,
      onSlowClient: (session) =>
        this.reject(session, CloseCode.SLOW_CLIENT, 'not keeping up with snapshots for too long'),
    });
  }

  get playerCount(): number {
    return this.players.size;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** A socket opened: its session waits for HELLO. `addressKey`: its client's, undefined if exempt. */
  open(socket: ClientSocket, nowMs: number, addressKey?: string): Session {
    const burst = 2 * this.config.tickRate;
    const session = new Session(
      this.nextConnectionId++,
      socket,
      { inputQueue: this.config.inputQueue, floodBurst: burst, floodRate: burst, sent: this.counters },
      nowMs,
    );
    session.addressKey = addressKey;
    this.sessions.add(session);
    return session;
  }

  /** The socket is gone (closed by either side): the player leaves everyone's snapshots. */
  disconnected(session: Session): void {
    if (!this.sessions.delete(session)) return;
    session.markClosed();
    if (session.closeCode !== undefined) {
      this.counters.closes[session.closeCode] = (this.counters.closes[session.closeCode] ?? 0) + 1;
    }
    const entity = this.players.get(session);
    if (entity === undefined) return;
    this.players.delete(session);
    this.game.players.delete(session.playerId);
    this.roster.changed();
    this.counters.starvedTicks += session.inputs.starved;
    this.counters.droppedInputs += session.inputs.dropped;
    this.ids.release(session.playerId);
    this.counters.leaves++;
    // Last, once every table has let go of the player: a world left half-way through a failed
    // tick may throw here, and the tables must agree all the same.
    if (entity.alive) entity.remove();
    this.log.debug('leave', { playerId: session.playerId, connectionId: session.connectionId });
  }

  /** One frame from a client. Bad frames close that client only; nothing here throws on input. */
  receive(session: Session, data: Uint8Array, isBinary: boolean, nowMs: number): void {
    if (session.state === 'closed') return;
    session.framesIn++;
    session.bytesIn += data.byteLength;
    this.counters.messagesIn++;
    this.counters.bytesIn += data.byteLength;
    if (!session.takeFloodToken(nowMs)) return this.reject(session, CloseCode.INPUT_FLOOD, 'too many messages');
    if (!isBinary) return this.reject(session, CloseCode.TEXT_FRAME, 'binary frames only');
    // INPUT, nearly every frame, is read in place into one reused object; anything else, or an
    // INPUT the fast path leaves alone, goes through the general decoder (see inputFrame.ts).
    const input = this.inputReader.read(data);
    if (input !== undefined) return this.receiveInput(session, input, nowMs);
    const decoded = decodeClientFrame(data);
    if (!decoded.ok) return this.reject(session, decoded.code, decoded.reason);
    this.handleMessage(session, decoded.message, nowMs);
  }

  /** A checked INPUT: queue it. `message` may be reused by the caller once this returns. */
  private receiveInput(session: Session, message: InputMessage, nowMs: number): void {
    if (session.state !== 'playing') {
      return this.reject(session, CloseCode.UNEXPECTED_MESSAGE, 'INPUT before WELCOME');
    }
    if (message.seq <= session.lastReceivedSeq) {
      return this.reject(
        session,
        CloseCode.INVALID_MESSAGE,
        `INPUT.seq ${message.seq} not above ${session.lastReceivedSeq}`,
      );
    }
    if (message.ackTick > session.baselineTick) {
      return this.reject(session, CloseCode.INVALID_MESSAGE, `INPUT.ackTick ${message.ackTick} was never sent`);
    }
    session.lastReceivedSeq = message.seq;
    if (message.moveX !== 0 || message.moveY !== 0 || message.buttons !== 0) session.markActive(nowMs);
    this.acknowledge(session, message.ackTick, nowMs);
    session.inputs.push(message);
    if (message.tick > 0) this.measureClockOffset(session, message.tick);
  }

  /** A WebSocket control frame (ping) from a client: it counts towards the flood limit. */
  chargeControlFrame(session: Session, nowMs: number): void {
    if (session.state === 'closed') return;
    if (!session.takeFloodToken(nowMs)) this.reject(session, CloseCode.INPUT_FLOOD, 'too many messages');
  }

  private handleMessage(session: Session, message: ClientMessage, nowMs: number): void {
    switch (message.id) {
      case ClientMessageId.HELLO: {
        if (session.state !== 'awaiting-hello')
          return this.reject(session, CloseCode.UNEXPECTED_MESSAGE, 'HELLO twice');
        if (this.failed) return this.reject(session, CloseCode.INTERNAL_ERROR, 'this room failed (a server error)');
        // Every HELLO spends a join, refused or not: a client looping on a full room is still looping.
        if (session.addressKey !== undefined && this.admitJoin?.(session.addressKey, nowMs) === false)
          return this.reject(session, CloseCode.JOIN_RATE, 'too many joins from this address');
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          return this.reject(
            session,
            CloseCode.VERSION_MISMATCH,
            `server speaks protocol ${PROTOCOL_VERSION}, client ${message.protocolVersion}`,
          );
        }
        return this.join(session, message.name, nowMs);
      }
      case ClientMessageId.INPUT:
        return this.receiveInput(session, message, nowMs);
      case ClientMessageId.ACK: {
        // Not an input: it enters no queue and is no activity for the idle kick; only the ack counts.
        if (session.state !== 'playing')
          return this.reject(session, CloseCode.UNEXPECTED_MESSAGE, 'ACK before WELCOME');
        if (message.ackTick > session.baselineTick) {
          return this.reject(session, CloseCode.INVALID_MESSAGE, `ACK.ackTick ${message.ackTick} was never sent`);
        }
        return this.acknowledge(session, message.ackTick, nowMs);
      }
      case ClientMessageId.CHAT: {
        if (session.state !== 'playing')
          return this.reject(session, CloseCode.UNEXPECTED_MESSAGE, 'CHAT before WELCOME');
        return this.chat.receive(session, message.text, nowMs, this.players.keys());
      }
      case ClientMessageId.PING: {
        if (session.state !== 'playing')
          return this.reject(session, CloseCode.UNEXPECTED_MESSAGE, 'PING before WELCOME');
        // Only the newest unanswered ping is kept: its pong goes out with this client's next snapshot.
        session.pendingPong = {
          pingId: message.pingId,
          clientTimeMs: message.clientTimeMs,
          serverReceiveTick: this.tickTimeAt(nowMs),
          serverSendTick: 0,
        };
        return;
      }
      case ClientMessageId.DEBUG_NUDGE: {
        if (!this.config.debugState) {
          return this.reject(
            session,
            CloseCode.UNEXPECTED_MESSAGE,
            'debug messages are off (server flag --debug-state)',
          );
        }
        if (session.state !== 'playing')
          return this.reject(session, CloseCode.UNEXPECTED_MESSAGE, 'nudge before WELCOME');
        return this.nudge(session, message.dx, message.dy);
      }
      case ClientMessageId.DEBUG_STATE_REQUEST: {
        if (!this.config.debugState) {
          return this.reject(session, CloseCode.UNEXPECTED_MESSAGE, 'debug state is off (server flag --debug-state)');
        }
        if (session.state !== 'playing')
          return this.reject(session, CloseCode.UNEXPECTED_MESSAGE, 'debug before WELCOME');
        return this.sendDebugState(session);
      }
    }
  }

  /** A newer ack: one round-trip sample (it includes the wait for the client's next input). */
  private acknowledge(session: Session, ackTick: number, nowMs: number): void {
    if (ackTick <= session.ackTick) return;
    session.ackTick = ackTick;
    // An ack of a snapshot older than the ring is no baseline any more, and gives no sample.
    const sentAt = this.sendTimes.sentAt(ackTick);
    if (sentAt === undefined) return;
    session.addRttSample(nowMs - sentAt);
  }

  /**
   * INPUT.tick is the tick the client expects the input to be applied at. The server applies it at
   * the last tick run plus its place in the queue (one input per tick), so the difference is how far
   * the client's estimate of the server's clock is ahead (+) or behind (−), queue included.
   */
  private measureClockOffset(session: Session, stampedTick: number): void {
    session.addClockOffsetSample((stampedTick - (this.tick + session.inputs.length)) * this.tickMs);
  }

  private join(session: Session, name: string, nowMs: number): void {
    if (this.players.size >= this.config.maxPlayers) {
      return this.reject(session, CloseCode.ROOM_FULL, `room full (${this.config.maxPlayers} players)`);
    }
    const playerId = this.ids.take();
    if (playerId === undefined) return this.reject(session, CloseCode.ROOM_FULL, 'no free player id');
    let entity: Entity | undefined;
    try {
      const spawn = this.scenario.nextSpawn();
      entity = createPlayer(this.world, {
        id: playerId,
        generation: this.game.nextGeneration(),
        x: toPositionQ(spawn.x),
        y: toPositionQ(spawn.y),
        hp: this.scenario.startHp,
        queue: session.inputs,
      });
      session.state = 'playing';
      session.name = playerName(name, this.players.keys());
      session.playerId = playerId;
      session.markActive(nowMs);
      // Nothing before this tick was sent to it: its ack lag counts from here (see SnapshotClient.ackTick).
      session.ackTick = this.tick;
      this.players.set(session, entity);
      this.game.players.set(playerId, entity);
    } catch (error) {
      // Nothing of this player may stay behind in one table and not the others: undo, and let the
      // caller's guard close the connection (1011).
      if (entity?.alive) entity.remove();
      this.players.delete(session);
      this.game.players.delete(playerId);
      this.ids.release(playerId);
      session.playerId = 0;
      throw error;
    }
    this.roster.changed();
    this.counters.joins++;
    session.send(
      encodeServerMessage({
        id: ServerMessageId.WELCOME,
        protocolVersion: PROTOCOL_VERSION,
        playerId,
        tick: this.tick,
        tickRate: this.config.tickRate,
        snapshotRate: this.config.snapshotRate,
        worldWidth: this.scenario.rules.width,
        worldHeight: this.scenario.rules.height,
        positionScale: POSITION_SCALE,
        angleSteps: ANGLE_STEPS,
        speed: this.scenario.rules.speed,
        maxEntityId: this.snapshots.maxEntityId,
        mapHash: this.scenario.mapHash,
      }),
    );
    // The whole roster as of the last tick, before its first snapshot; this tick's changes (the
    // joiner among them) reach everyone, the joiner too, as ROSTER_CHANGES after the next tick.
    this.roster.sendTo(session);
    this.log.debug('join', { playerId, name, connectionId: session.connectionId });
  }

  private reject(session: Session, code: CloseCode, reason: string): void {
    this.log.info('closing client', { connectionId: session.connectionId, code, reason });
    session.close(code, reason);
    this.disconnected(session);
  }

  /**
   * The server's clock in ticks: the current tick plus the fraction of a tick period since it was due.
   * Pongs carry it, so clients can estimate which tick the server is on.
   */
  tickTimeAt(nowMs: number): number {
    return Math.max(0, this.tick + (nowMs - this.tickDueMs) / this.tickMs);
  }

  /** Move a player outside its inputs (debug): its client must see a misprediction. */
  private nudge(session: Session, dx: number, dy: number): void {
    const position = this.players.get(session)!.getMutableComponent(Position)!;
    const { width, height } = this.scenario.rules;
    position.x = Math.min(width * POSITION_SCALE, Math.max(0, position.x + dx));
    position.y = Math.min(height * POSITION_SCALE, Math.max(0, position.y + dy));
  }

  /**
   * Run tick number `tick` at `nowMs` (`dueMs`: when the schedule wanted it): systems in priority
   * order, then a snapshot when due. The tick's duration and lateness are always recorded; its
   * phases only with --tick-timing (the wrapped systems record themselves).
   */
  runTick(tick: number, nowMs: number, dueMs = nowMs): void {
    const timings = this.timings;
    const started = this.now();
    this.tick = tick;
    this.tickDueMs = dueMs;
    timings.latenessMs.record(nowMs - dueMs);
    this.game.tick = tick;
    this.world.execute(this.tickMs, nowMs);
    if (timings.phases) timings.worldExecuteMs.record(this.now() - started);
    this.systemTimer?.flush();
    if (this.game.rosterChanged) {
      this.game.rosterChanged = false;
      this.roster.scoresChanged();
    }
    // Joins and leaves since the last tick, or kills since a second ago: ROSTER_CHANGES to everyone, before the snapshot.
    this.roster.flush(this.players, tick);
    if (this.snapshotDue(tick)) this.sendSnapshot(tick, nowMs);
    timings.endTick(this.now() - started);
  }

  /** Snapshots go out on the ticks where tick × snapshotRate / tickRate crosses a whole number. */
  private snapshotDue(tick: number): boolean {
    const { snapshotRate, tickRate } = this.config;
    return Math.floor((tick * snapshotRate) / tickRate) !== Math.floor(((tick - 1) * snapshotRate) / tickRate);
  }

  private sendSnapshot(tick: number, nowMs: number): void {
    const timings = this.timings;
    const captureStarted = timings.phases ? this.now() : 0;
    const state = this.snapshots.beginSnapshot(tick);
    captureWorldState(this.players.values(), state);
    captureWorldState(this.game.projectiles!.active, state);
    this.lastSnapshot = state;
    this.sendTimes.record(tick, nowMs);
    if (timings.phases) timings.snapshotCaptureMs.record(this.now() - captureStarted);
    this.snapshots.send(state, this.players.keys(), nowMs, () => this.tickTimeAt(this.now()));
    if (timings.phases) {
      timings.snapshotEncodeMs.record(this.snapshots.lastTiming.encodeMs);
      timings.snapshotSendMs.record(this.snapshots.lastTiming.sendMs);
    }
  }

  private sendDebugState(session: Session): void {
    const state = this.lastSnapshot;
    const entities: EntityTuple[] = [];
    for (let row = 0; row < (state?.count ?? 0); row++) {
      const id = state!.ids[row]!;
      entities.push({ id, ...state!.entity(id)! });
    }
    session.send(encodeServerMessage({ id: ServerMessageId.DEBUG_STATE, tick: state?.tick ?? 0, entities }));
  }

  /**
   * Close sockets that never said HELLO in time, and players idle for longer than the idle kick
   * (--idle-kick-ms, 0 for never). One pass over the sessions; call once per second or so.
   */
  expireSessions(nowMs: number, onFault?: (error: unknown, session: Session) => void): void {
    const { handshakeTimeoutMs, idleKickMs } = this.config;
    for (const session of this.sessions) {
      try {
        if (session.state === 'awaiting-hello' && nowMs - session.openedAtMs > handshakeTimeoutMs) {
          this.reject(session, CloseCode.HANDSHAKE_TIMEOUT, 'no HELLO in time');
        } else if (session.state === 'playing' && idleKickMs > 0 && nowMs - session.lastActiveMs > idleKickMs) {
          this.reject(session, CloseCode.IDLE_KICK, `no movement or button for ${Math.round(idleKickMs / 1000)} s`);
        }
      } catch (error) {
        // A timer working for one connection: its fault closes that connection, and the sweep goes on.
        if (onFault === undefined) throw error;
        onFault(error, session);
        this.closeAfterFault(session);
      }
    }
  }

  /** Close `session` with 1011 after a fault in its own handling, whatever state that left it in. Never throws. */
  closeAfterFault(session: Session, reason = 'internal server error'): void {
    try {
      session.close(CloseCode.INTERNAL_ERROR, reason);
      this.disconnected(session);
    } catch (error) {
      this.sessions.delete(session);
      this.log.error('closing a connection after a fault failed', {
        connectionId: session.connectionId,
        error: String(error),
      });
    }
  }

  /**
   * A tick threw: the world may be half-way through a system, so no tick runs again. Every player
   * is closed with 1011 and leaves the room's tables through disconnected(), as in any leave, so
   * sessions, players, ids and the roster stay in step. Never throws.
   */
  fail(): void {
    this.failed = true;
    for (const session of [...this.sessions]) this.closeAfterFault(session, 'the room failed (a server error)');
  }

  /** Input totals including players still in the room. */
  inputTotals(): { droppedInputs: number; starvedTicks: number } {
    let droppedInputs = this.counters.droppedInputs;
    let starvedTicks = this.counters.starvedTicks;
    for (const session of this.players.keys()) {
      droppedInputs += session.inputs.dropped;
      starvedTicks += session.inputs.starved;
    }
    return { droppedInputs, starvedTicks };
  }

  /** Per-player queue depths, round trips and clock offsets: one pass over the players, per scrape. */
  clientFigures(): ClientFigures {
    const figures: ClientFigures = { inputQueueDepth: [], rttMs: [], clockOffsetMs: [] };
    for (const session of this.players.keys()) {
      figures.inputQueueDepth.push(session.inputs.length);
      if (session.rttMs !== undefined) figures.rttMs.push(session.rttMs);
      if (session.clockOffsetMs !== undefined) figures.clockOffsetMs.push(session.clockOffsetMs);
    }
    return figures;
  }

  /** Acknowledgement health: mean ack round trip, and clients more than a second behind in acks. */
  ackTotals(): { meanRttMs: number | null; clientsNotApplying: number } {
    let sum = 0;
    let samples = 0;
    let behind = 0;
    for (const session of this.players.keys()) {
      if (session.rttMs !== undefined) {
        sum += session.rttMs;
        samples++;
      }
      if (session.baselineTick - session.ackTick > this.config.tickRate) behind++;
    }
    return { meanRttMs: samples === 0 ? null : Math.round((sum / samples) * 100) / 100, clientsNotApplying: behind };
  }

  /** Close every session with `code` (shutdown). */
  closeAll(code: CloseCode, reason: string): void {
    for (const session of [...this.sessions]) {
      session.close(code, reason);
      this.disconnected(session);
    }
  }
}
