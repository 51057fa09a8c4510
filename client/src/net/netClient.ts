// The client side of the netcode, shared by the browser and the bots: the connection, prediction of
// the local player with reconciliation, input pacing, the ping schedule, and the game's messages
// (roster, chat, shots, kills). Its methods run once per frame (update), once per input (sendInput)
// and once per snapshot or message (inside the connection's events).
import {
  CloseCode,
  type KillEvent,
  type KnownWorld,
  type MoveInput,
  mapHash,
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
import { Connection, type ConnectionEvents, type ConnectionOptions } from './connection.js';
import { EventFeed } from './gameEvents.js';
import { InputPacer } from './inputPacer.js';
import { SnapshotBuffer } from './interpolation.js';
import { PingSchedule } from './pingSchedule.js';
import { Prediction } from './prediction.js';
import { RenderClock } from './renderClock.js';
import type { SocketLike } from './socketLike.js';

export type { RosterPlayer };

export interface NetClientOptions
  extends Omit<
    ConnectionEvents,
    'onWelcome' | 'onSnapshot' | 'onPong' | 'onPlayersMessage' | 'onRosterChangesMessage' | 'onChatMessage'
  > {
  socket: SocketLike;
  name: string;
  /** The seat POST /matchmake issued for the room the socket names (sent in HELLO). */
  seat: string;
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
  private readonly events = new EventFeed();
  /** PLAYERS pages and ROSTER_CHANGES applied in version order; a frame that does not fit closes the connection. */
  private readonly roster = new RosterBook();

  constructor(options: NetClientOptions) {
    this.connection = new Connection(options.socket, {
      ...options,
      onWelcome: (welcome, nowMs) => {
        const map = options.map ?? worldOfMapHash(welcome.mapHash);
        const expected = map === undefined ? undefined : mapHash(map.scenario, map.rules);
        if (map === undefined || welcome.mapHash !== expected) {
          const mine = expected === undefined ? 'no map of this client has it' : `this client ${expected}`;
          options.onProtocolError?.(`map mismatch: server ${welcome.mapHash}, ${mine}`, nowMs);
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
        this.events.deliver(snapshot, options, nowMs);
      },
      onPlayersMessage: (message, nowMs) => {
        const problem = this.roster.applyPage(message);
        if (problem !== undefined) return this.connection.failProtocol(problem, nowMs);
        if (message.page === message.pages - 1) options.onPlayers?.(this.roster.players, nowMs);
      },
      onRosterChangesMessage: (message, nowMs) => {
        const problem = this.roster.applyChanges(message);
        if (problem !== undefined) return this.connection.failProtocol(problem, nowMs);
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
    });
  }

  get playerId(): number {
    return this.connection.welcome?.playerId ?? 0;
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

  private remember(world: WorldState, nowMs: number): void {
    if (this.buffer === undefined || this.renderClock === undefined) return;
    this.buffer.pushWorld(world, nowMs);
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
