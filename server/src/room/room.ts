// A room: its sessions, its ecsy world and its tick. receive() runs per client frame; runTick()
// runs once per tick: systems in order, then a snapshot to every player when one is due.
import {
  ANGLE_STEPS,
  assembleSnapshotFrame,
  type ClientMessage,
  ClientMessageId,
  CloseCode,
  decodeClientFrame,
  encodeServerMessage,
  encodeSnapshotPlayers,
  POSITION_SCALE,
  PROTOCOL_VERSION,
  ServerMessageId,
  type SnapshotPlayer,
  toPositionQ,
} from '@tickwire/protocol';
import type { Entity, World } from 'ecsy';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../log.js';
import { type ClientSocket, Session } from '../session/session.js';
import { Facing, Health, NetworkId, PlayerControl, Position, Velocity } from '../sim/components.js';
import { createWorld } from '../sim/createWorld.js';
import { IdAllocator } from './idAllocator.js';
import { createScenario, type Scenario } from './scenario.js';

export type RoomConfig = Pick<
  ServerConfig,
  'tickRate' | 'snapshotRate' | 'maxPlayers' | 'inputQueue' | 'handshakeTimeoutMs' | 'scenario' | 'seed'
>;

/** Cumulative counters of a room, read by /healthz and the benches. */
export interface RoomCounters {
  joins: number;
  leaves: number;
  snapshotsSent: number;
  snapshotBytesSent: number;
  /** Inputs dropped because a player's queue was full (sum over players, including those who left). */
  droppedInputs: number;
  /** Ticks that repeated a player's latest input for lack of a new one (sum over players). */
  starvedTicks: number;
  /** Sessions closed by the server, by close code. */
  closes: Record<number, number>;
}

interface Player {
  session: Session;
  entity: Entity;
}

export class Room {
  readonly scenario: Scenario;
  /** The last tick run. */
  tick = 0;
  readonly counters: RoomCounters = {
    joins: 0,
    leaves: 0,
    snapshotsSent: 0,
    snapshotBytesSent: 0,
    droppedInputs: 0,
    starvedTicks: 0,
    closes: {},
  };
  private readonly world: World;
  private readonly sessions = new Set<Session>();
  private readonly players = new Map<Session, Player>();
  private readonly ids: IdAllocator;
  private readonly tickMs: number;
  private nextConnectionId = 1;

  constructor(
    private readonly config: RoomConfig,
    private readonly log: Logger,
  ) {
    this.scenario = createScenario(config.scenario, config.seed);
    this.tickMs = 1000 / config.tickRate;
    this.world = createWorld({ dt: 1 / config.tickRate, rules: this.scenario.rules, maxPlayers: config.maxPlayers });
    this.ids = new IdAllocator(Math.min(config.maxPlayers * 2, 0xffff));
  }

  get playerCount(): number {
    return this.players.size;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** A socket opened: its session waits for HELLO. */
  open(socket: ClientSocket, nowMs: number): Session {
    const burst = 2 * this.config.tickRate;
    const session = new Session(
      this.nextConnectionId++,
      socket,
      { inputQueue: this.config.inputQueue, floodBurst: burst, floodRate: burst },
      nowMs,
    );
    this.sessions.add(session);
    return session;
  }

  /** The socket is gone (closed by either side): the player leaves everyone's snapshots. */
  disconnected(session: Session): void {
    if (!this.sessions.delete(session)) return;
    session.markClosed();
    const player = this.players.get(session);
    if (player === undefined) return;
    this.players.delete(session);
    const control = player.entity.getComponent(PlayerControl)!;
    this.counters.starvedTicks += control.starvedTicks;
    this.counters.droppedInputs += session.inputs.dropped;
    if (player.entity.alive) player.entity.remove();
    this.ids.release(session.playerId);
    this.counters.leaves++;
    this.log.debug('leave', { playerId: session.playerId, connectionId: session.connectionId });
  }

  /** One frame from a client. Bad frames close that client only; nothing here throws on input. */
  receive(session: Session, data: Uint8Array, isBinary: boolean, nowMs: number): void {
    if (session.state === 'closed') return;
    session.framesIn++;
    session.bytesIn += data.byteLength;
    if (!session.flood.take(nowMs)) return this.reject(session, CloseCode.INPUT_FLOOD, 'too many messages');
    if (!isBinary) return this.reject(session, CloseCode.TEXT_FRAME, 'binary frames only');
    const decoded = decodeClientFrame(data);
    if (!decoded.ok) return this.reject(session, decoded.code, decoded.reason);
    this.handleMessage(session, decoded.message, nowMs);
  }

  /** A WebSocket control frame (ping) from a client: it counts towards the flood limit. */
  chargeControlFrame(session: Session, nowMs: number): void {
    if (session.state === 'closed') return;
    if (!session.flood.take(nowMs)) this.reject(session, CloseCode.INPUT_FLOOD, 'too many messages');
  }

  private handleMessage(session: Session, message: ClientMessage, nowMs: number): void {
    switch (message.id) {
      case ClientMessageId.HELLO: {
        if (session.state !== 'awaiting-hello')
          return this.reject(session, CloseCode.UNEXPECTED_MESSAGE, 'HELLO twice');
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          return this.reject(
            session,
            CloseCode.VERSION_MISMATCH,
            `server speaks protocol ${PROTOCOL_VERSION}, client ${message.protocolVersion}`,
          );
        }
        return this.join(session, message.name, nowMs);
      }
      case ClientMessageId.INPUT: {
        if (session.state !== 'playing')
          return this.reject(session, CloseCode.UNEXPECTED_MESSAGE, 'INPUT before WELCOME');
        if (message.seq <= session.lastReceivedSeq) {
          return this.reject(
            session,
            CloseCode.INVALID_MESSAGE,
            `INPUT.seq ${message.seq} not above ${session.lastReceivedSeq}`,
          );
        }
        if (message.ackTick > this.tick) {
          return this.reject(session, CloseCode.INVALID_MESSAGE, `INPUT.ackTick ${message.ackTick} is in the future`);
        }
        session.lastReceivedSeq = message.seq;
        session.ackTick = message.ackTick;
        session.inputs.push({ seq: message.seq, moveX: message.moveX, moveY: message.moveY, buttons: message.buttons });
        return;
      }
    }
  }

  private join(session: Session, name: string, _nowMs: number): void {
    if (this.players.size >= this.config.maxPlayers) {
      return this.reject(session, CloseCode.ROOM_FULL, `room full (${this.config.maxPlayers} players)`);
    }
    const playerId = this.ids.take();
    if (playerId === undefined) return this.reject(session, CloseCode.ROOM_FULL, 'no free player id');
    const spawn = this.scenario.nextSpawn();
    const entity = this.world
      .createEntity()
      .addComponent(NetworkId, { id: playerId })
      .addComponent(Position, { x: toPositionQ(spawn.x), y: toPositionQ(spawn.y) })
      .addComponent(Velocity, { vx: 0, vy: 0 })
      .addComponent(Facing, { angle: 0 })
      .addComponent(Health, { hp: this.scenario.startHp })
      .addComponent(PlayerControl, { queue: session.inputs, moveX: 0, moveY: 0, lastInputSeq: 0, starvedTicks: 0 });
    session.state = 'playing';
    session.name = name;
    session.playerId = playerId;
    this.players.set(session, { session, entity });
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
      }),
    );
    this.log.debug('join', { playerId, name, connectionId: session.connectionId });
  }

  private reject(session: Session, code: CloseCode, reason: string): void {
    this.counters.closes[code] = (this.counters.closes[code] ?? 0) + 1;
    this.log.info('closing client', { connectionId: session.connectionId, code, reason });
    session.close(code, reason);
    this.disconnected(session);
  }

  /** Run tick number `tick` at `nowMs`: systems in priority order, then a snapshot when due. */
  runTick(tick: number, nowMs: number): void {
    this.tick = tick;
    this.world.execute(this.tickMs, nowMs);
    if (this.snapshotDue(tick)) this.sendSnapshots(tick);
  }

  /** Snapshots go out on the ticks where tick × snapshotRate / tickRate crosses a whole number. */
  private snapshotDue(tick: number): boolean {
    const { snapshotRate, tickRate } = this.config;
    return Math.floor((tick * snapshotRate) / tickRate) !== Math.floor(((tick - 1) * snapshotRate) / tickRate);
  }

  /** The room's authoritative player states, in join order. */
  playerStates(): SnapshotPlayer[] {
    const states: SnapshotPlayer[] = [];
    for (const { entity } of this.players.values()) {
      const position = entity.getComponent(Position)!;
      const velocity = entity.getComponent(Velocity)!;
      states.push({
        id: entity.getComponent(NetworkId)!.id,
        x: position.x,
        y: position.y,
        vx: velocity.vx,
        vy: velocity.vy,
        angle: entity.getComponent(Facing)!.angle,
        hp: entity.getComponent(Health)!.hp,
      });
    }
    return states;
  }

  private sendSnapshots(tick: number): void {
    if (this.players.size === 0) return;
    const body = encodeSnapshotPlayers(this.playerStates());
    for (const { session, entity } of this.players.values()) {
      const frame = assembleSnapshotFrame(tick, entity.getComponent(PlayerControl)!.lastInputSeq, body);
      session.send(frame);
      this.counters.snapshotsSent++;
      this.counters.snapshotBytesSent += frame.byteLength;
    }
  }

  /** Close sockets that never said HELLO in time. Cheap; call once per tick or less. */
  expireHandshakes(nowMs: number): void {
    for (const session of this.sessions) {
      if (session.state === 'awaiting-hello' && nowMs - session.openedAtMs > this.config.handshakeTimeoutMs) {
        this.reject(session, CloseCode.HANDSHAKE_TIMEOUT, 'no HELLO in time');
      }
    }
  }

  /** Totals including players still in the room. */
  inputTotals(): { droppedInputs: number; starvedTicks: number } {
    let droppedInputs = this.counters.droppedInputs;
    let starvedTicks = this.counters.starvedTicks;
    for (const { session, entity } of this.players.values()) {
      droppedInputs += session.inputs.dropped;
      starvedTicks += entity.getComponent(PlayerControl)!.starvedTicks;
    }
    return { droppedInputs, starvedTicks };
  }

  /** Close every session with `code` (shutdown). */
  closeAll(code: CloseCode, reason: string): void {
    for (const session of [...this.sessions]) {
      this.counters.closes[code] = (this.counters.closes[code] ?? 0) + 1;
      session.close(code, reason);
      this.disconnected(session);
    }
  }
}
