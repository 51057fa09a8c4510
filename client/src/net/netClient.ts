// The client side of the netcode, shared by the browser and the bots: the connection, prediction of
// the local player with reconciliation, input pacing and the ping schedule. Its methods run once per
// frame (update), once per input (sendInput) and once per snapshot (inside the connection's events).
import {
  ARENA_MAP,
  CloseCode,
  type MoveInput,
  type MovementRules,
  mapHash,
  type PlayerState,
  type Pong,
  type SnapshotMessage,
  type WelcomeMessage,
  type WorldState,
} from '@tickwire/protocol';
import { ClockSync } from './clockSync.js';
import { Connection, type ConnectionEvents, type ConnectionOptions } from './connection.js';
import { InputPacer } from './inputPacer.js';
import { SnapshotBuffer } from './interpolation.js';
import { PingSchedule } from './pingSchedule.js';
import { Prediction } from './prediction.js';
import { RenderClock } from './renderClock.js';
import type { SocketLike } from './socketLike.js';

export interface NetClientOptions extends Omit<ConnectionEvents, 'onWelcome' | 'onSnapshot' | 'onPong'> {
  socket: SocketLike;
  name: string;
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
   * MAP_MISMATCH (4010): prediction stepping another world would mispredict forever. @default ARENA_MAP
   */
  map?: { scenario: string; rules: MovementRules };
  onWelcome?(welcome: WelcomeMessage, nowMs: number): void;
  onSnapshot?(snapshot: SnapshotMessage, world: WorldState, nowMs: number): void;
  /** A pong arrived: feed it to clock sync. */
  onPong?(pong: Pong, nowMs: number): void;
}

export class NetClient {
  readonly connection: Connection;
  prediction: Prediction | undefined;
  pacer: InputPacer | undefined;
  /** The server's tick clock as this client estimates it (fed by pongs). */
  clock: ClockSync | undefined;
  /** Recent states of every entity, for interpolation (undefined when interpolate is off). */
  buffer: SnapshotBuffer | undefined;
  renderClock: RenderClock | undefined;
  private readonly pings = new PingSchedule();

  constructor(options: NetClientOptions) {
    this.connection = new Connection(options.socket, {
      ...options,
      onWelcome: (welcome, nowMs) => {
        const map = options.map ?? ARENA_MAP;
        const expected = mapHash(map.scenario, map.rules);
        if (welcome.mapHash !== expected) {
          options.onProtocolError?.(`map mismatch: server ${welcome.mapHash}, this client ${expected}`, nowMs);
          this.connection.close(CloseCode.MAP_MISMATCH, 'map mismatch');
          return;
        }
        if (options.predict ?? true)
          this.prediction = new Prediction(1 / welcome.tickRate, map.rules, welcome.positionScale);
        if (options.pace ?? true) this.pacer = new InputPacer(1000 / welcome.tickRate);
        this.clock = new ClockSync({ tickRate: welcome.tickRate });
        if (options.interpolate ?? true) {
          this.buffer = new SnapshotBuffer({
            tickRate: welcome.tickRate,
            angleSteps: welcome.angleSteps,
            maxQuantaPerTick: (welcome.speed * welcome.positionScale) / welcome.tickRate,
          });
          this.renderClock = new RenderClock({ tickRate: welcome.tickRate, snapshotRate: welcome.snapshotRate });
        }
        options.onWelcome?.(welcome, nowMs);
      },
      onSnapshot: (snapshot, world, nowMs) => {
        this.reconcile(snapshot, world, nowMs);
        this.pacer?.observe(snapshot.inputBuffer, snapshot.starvedInputs);
        this.remember(world, nowMs);
        options.onSnapshot?.(snapshot, world, nowMs);
      },
      onPong: (pong, nowMs) => {
        this.clock?.addSample({
          clientSendMs: pong.clientTimeMs,
          serverReceiveTick: pong.serverReceiveTick,
          serverSendTick: pong.serverSendTick,
          clientReceiveMs: nowMs,
        });
        options.onPong?.(pong, nowMs);
      },
    });
  }

  get playerId(): number {
    return this.connection.welcome?.playerId ?? 0;
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

  /** Send one input and predict it. `tick`: the server tick it is meant for (0 if unknown). */
  sendInput(input: MoveInput, buttons = 0, tick = 0): number {
    const seq = this.connection.sendInput(input.moveX, input.moveY, buttons, tick);
    if (seq !== 0) this.prediction?.predict(seq, input);
    return seq;
  }

  /** The local player's predicted state, or undefined before its first snapshot. */
  get predicted(): PlayerState | undefined {
    return this.prediction?.state;
  }

  private remember(world: WorldState, nowMs: number): void {
    if (this.buffer === undefined || this.renderClock === undefined) return;
    const entities = [];
    for (let row = 0; row < world.count; row++) {
      const id = world.ids[row]!;
      entities.push({ id, ...world.entity(id)! });
    }
    this.buffer.push(world.tick, entities, nowMs);
    if (this.clock?.synced) this.renderClock.onSnapshot(world.tick, nowMs, this.clock.serverTickAt(nowMs));
  }

  private reconcile(snapshot: SnapshotMessage, world: WorldState, nowMs: number): void {
    const prediction = this.prediction;
    const own = world.entity(this.playerId);
    if (prediction === undefined || own === undefined) return;
    const server: PlayerState = { x: own.x, y: own.y, vx: own.vx, vy: own.vy, angle: own.angle };
    if (prediction.state === undefined) {
      prediction.state = server;
      return;
    }
    prediction.reconcile(server, snapshot.lastInputSeq, nowMs);
  }
}
