// One room's tables and parts (its world, sessions, players, snapshot sender, timings), built once
// per room. The room's other files (membership, input feed, dispatch, tick, sweep, debug, figures)
// work on this state; room.ts is the façade the rest of the server holds.
import {
  CloseCode,
  InputFrameReader,
  MAX_SNAPSHOT_ENTITIES,
  POSITION_SCALE,
  type WorldState,
} from '@tickwire/protocol';
import type { Entity, World } from 'ecsy';
import { InterestSender } from '../interest/interestSender.js';
import { viewRules } from '../interest/viewRules.js';
import type { Logger } from '../log.js';
import type { Session } from '../session/session.js';
import { GameContext } from '../sim/combat/gameContext.js';
import { createWorld } from '../sim/createWorld.js';
import { type SystemTimer, timeSystems } from '../sim/timeSystems.js';
import { ackLagLimitTicks } from '../snapshot/ackLag.js';
import type { RoomSnapshots } from '../snapshot/roomSnapshots.js';
import { SnapshotSender } from '../snapshot/snapshotSender.js';
import { TickTimings } from '../stats/tickTimings.js';
import { ChatRelay } from './chatRelay.js';
import { IdAllocator } from './idAllocator.js';
import { InputFeed } from './inputFeed.js';
import { reject } from './membership.js';
import type { ResumeTokens } from './resumeTokens.js';
import { newRoomCounters, type RoomCounters } from './roomFigures.js';
import type { SettledRoomOptions } from './roomOptions.js';
import { Roster, scoreFlushIntervalTicks } from './roster.js';
import { createScenario, type Scenario } from './scenario.js';
import { SendTimes } from './sendTimes.js';

/**
 * Whether a HELLO from this address may join at `nowMs` (the per-address join rate,
 * transport/addressLimits.ts). Sessions without an address key (loopback, exempt) are not asked.
 */
export type JoinAdmission = (addressKey: string, nowMs: number) => boolean;

/** A seat refused at HELLO: the close code and its reason text. */
export interface SeatRefusal {
  code: CloseCode;
  reason: string;
}

/**
 * Whether the seat in a HELLO admits its holder into this room, which holds `players` now; claims
 * the seat when it does (rooms/roomDoor.ts). Undefined means the room checks no seats at all, which
 * only tests and benches of a room alone do: every room the process hosts has a door.
 */
export type SeatDoor = (seat: string, players: number) => SeatRefusal | undefined;

/** What the process hands a room besides its options: every one is optional for a room alone. */
export interface RoomHooks {
  /** The per-address join rate, asked at every HELLO. */
  admitJoin?: JoinAdmission;
  /** The seat check, asked at every HELLO. */
  admitSeat?: SeatDoor;
  /** The process's timings, pooled over its rooms: ticks and lateness are recorded here too, and phases only here. */
  pooledTimings?: TickTimings;
  /** The room's player count changed (a join or a leave); called after the tables are in step. */
  onPlayers?: (players: number) => void;
  /** Signs and reads this room's resume tokens; without them no player is kept after a drop. */
  resumeTokens?: ResumeTokens;
}

/** Bucket width of a hosted room's own tick and lateness histograms. @default 0.1 ms */
const HOSTED_ROOM_TICK_RESOLUTION_MS = 0.1;

export class RoomState {
  readonly scenario: Scenario;
  /** The last tick run. */
  tick = 0;
  readonly counters: RoomCounters = newRoomCounters();
  readonly snapshots: RoomSnapshots<Session>;
  readonly timings: TickTimings;
  /**
   * Each client gets a frame of its own (interest management): the room has a view radius, or a byte
   * budget. False: every client is sent the whole room in one shared snapshot body.
   */
  readonly perClientViews: boolean;
  /** Snapshot bytes a second each client may be sent; 0 = no budget. */
  readonly budgetBytesPerSecond: number;
  /** What the combat systems share: tick, players by id, projectiles, lag history, events. */
  readonly game: GameContext;
  readonly roster: Roster;
  readonly chat = new ChatRelay();
  /** The room's ecsy world: its entities and systems (tests register systems of their own on it). */
  readonly world: World;
  /** A tick threw (sessionSweep.ts, fail()): no tick runs again, and a HELLO is refused with 1011. */
  failed = false;
  /** Every open connection, awaiting HELLO or playing. */
  readonly sessions = new Set<Session>();
  /**
   * The players' sessions and their entities, away ones included (their entities stay in the world
   * and the roster); the iteration order is the join (or resume) order.
   */
  readonly players = new Map<Session, Entity>();
  /** The players away (connection dropped, kept for a resume), by player id; each is in `players` too. */
  readonly away = new Map<number, Session>();
  /** How long a dropped player is kept, ms; 0 when this room keeps none (no grace, or no tokens). */
  readonly reconnectGraceMs: number;
  readonly ids: IdAllocator;
  /** Moves each player's next input from its session into its PlayerControl, once per tick. */
  readonly inputs = new InputFeed();
  /** One tick period, ms. */
  readonly tickMs: number;
  /** How far ahead of the due times the tick clock runs, ms (RoomOptions.tickClockLeadMs). */
  readonly tickClockLeadMs: number;
  /** The INPUT fast path; the message it returns is reused, and dispatch copies what it keeps. */
  readonly inputReader = new InputFrameReader();
  nextConnectionId = 1;
  /** The state of the newest snapshot tick, in the ring (debug state reads it). */
  lastSnapshot: WorldState | undefined;
  /** When the current tick was due (its place on the schedule; creation time before tick 1). */
  tickDueMs: number;
  /** Each system's time this tick, recorded after world.execute; none with --tick-timing off. */
  readonly systemTimer: SystemTimer | undefined;
  /** When each snapshot tick still in the ring was sent (for ack round trips). */
  readonly sendTimes: SendTimes;

  constructor(
    readonly config: SettledRoomOptions,
    readonly log: Logger,
    /**
     * The clock pongs are stamped with when their frame is written; the tick scheduler's clock.
     * Tick timings read it too, so it must be high-resolution (performance.now).
     */
    readonly now: () => number,
    readonly hooks: RoomHooks,
  ) {
    this.tickDueMs = now();
    this.reconnectGraceMs = hooks.resumeTokens === undefined ? 0 : (config.reconnectGraceMs ?? 0);
    this.scenario = createScenario(config.scenario, config.seed);
    this.tickMs = 1000 / config.tickRate;
    this.tickClockLeadMs = config.tickClockLeadMs ?? 0;
    // A hosted room (pooled timings given) keeps coarse figures of its own, and times its phases
    // into the pool: see TickTimings.
    this.timings =
      hooks.pooledTimings === undefined
        ? new TickTimings(config.tickTiming, this.tickMs)
        : new TickTimings(false, this.tickMs, HOSTED_ROOM_TICK_RESOLUTION_MS, hooks.pooledTimings);
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
    this.budgetBytesPerSecond = config.clientBudgetBytesPerSecond ?? 0;
    this.perClientViews = config.viewRadius > 0 || this.budgetBytesPerSecond > 0;
    // Without views every client is sent the whole room, which must fit one snapshot.
    const wholeView = !this.perClientViews;
    this.world = createWorld({
      dt: 1 / config.tickRate,
      rules,
      maxPlayers: config.maxPlayers,
      game: this.game,
      wholeView,
    });
    const phases = this.timings.phaseTimings;
    if (config.tickTiming) this.systemTimer = timeSystems(this.world, now, (name) => phases.system(name));
    // Players take ids 1 … maxPlayers, the projectile pool (createWorld sized it) the ids after them.
    const entities = config.maxPlayers + this.game.projectiles!.size;
    this.ids = new IdAllocator(config.maxPlayers);
    // About one second of baselines, plus the state being sent.
    const ringSize = config.snapshotRate + 1;
    this.sendTimes = new SendTimes(ringSize, Math.ceil(config.tickRate / config.snapshotRate));
    const senderOptions = {
      capacity: entities,
      maxEntityId: entities,
      ringSize,
      bounds: { maxX: rules.width * POSITION_SCALE, maxY: rules.height * POSITION_SCALE },
      backpressureBytes: config.backpressureBytes,
      ackLagLimitTicks: ackLagLimitTicks(config.tickRate),
      backpressureTimeoutMs: config.backpressureTimeoutMs,
      ...(config.tickTiming ? { timingClock: now } : {}),
      events: this.game.events,
      onSlowClient: (session: Session) =>
        reject(this, session, CloseCode.SLOW_CLIENT, 'not keeping up with snapshots for too long'),
    };
    // A view radius: each client is sent what is near it (interest management); none: the whole
    // room, shared by everyone, unless a byte budget needs each client's frame of its own (then the
    // view is the whole world, at most one snapshot's entities).
    const wholeWorld = Math.hypot(rules.width, rules.height) + 1;
    this.snapshots = this.perClientViews
      ? new InterestSender<Session>({
          ...senderOptions,
          view:
            config.viewRadius > 0
              ? viewRules(config.viewRadius * POSITION_SCALE)
              : viewRules(wholeWorld * POSITION_SCALE, MAX_SNAPSHOT_ENTITIES),
          budgetBytesPerSecond: this.budgetBytesPerSecond,
          snapshotRate: config.snapshotRate,
        })
      : new SnapshotSender<Session>(senderOptions);
  }
}
