// What one room needs to run, with units: built by the process (config.ts, roomOptionsOf) from its
// settings, read once when the room is created. Nothing under room/ or sim/ reads the process's
// ServerConfig: a room made on demand, or moved to another process, carries only these.

import { MAX_ENTITY_ID, WORLD_VIEW_RADIUS } from '@tickwire/protocol';

/** The worlds a room can run. */
export const SCENARIOS = ['game', 'arena', 'world'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/**
 * A room's viewRadius when neither --view-radius nor its creator names one, world units: 0 (every
 * client sees everything) where the world is small enough to send whole, 1,000 in the world.
 */
export const DEFAULT_VIEW_RADIUS: { readonly [S in ScenarioName]: number } = {
  game: 0,
  arena: 0,
  world: WORLD_VIEW_RADIUS,
};

/** The most players a room's ids allow: players take ids 1 … P, two projectiles each the ids after. */
export const MAX_ROOM_PLAYERS = Math.floor(MAX_ENTITY_ID / 3);

/** A room's options with its viewRadius settled: what Room exposes as `options`. */
export type SettledRoomOptions = RoomOptions & { readonly viewRadius: number };

/** `options` with the scenario's default viewRadius where none is given. */
export function settleRoomOptions(options: RoomOptions): SettledRoomOptions {
  return { ...options, viewRadius: options.viewRadius ?? DEFAULT_VIEW_RADIUS[options.scenario] };
}

/**
 * Whether a scenario lets a room see everything (viewRadius 0). Not the world: 0 there would send
 * every client all of it, which no client may ask for (POST /matchmake answers 400).
 */
export function allowsWholeView(scenario: ScenarioName): boolean {
  return scenario !== 'world';
}

export interface RoomOptions {
  /** The world: game (the map in assets/maps), arena (the open square) or world (the open square 8× as wide). */
  scenario: ScenarioName;
  /** Simulation ticks per second, Hz (10–128). */
  tickRate: number;
  /** Snapshots per second, Hz (1 to tickRate). */
  snapshotRate: number;
  /** Players before ROOM_FULL (4006); sizes the id space, the snapshot ring and the lag history. */
  maxPlayers: number;
  /**
   * How far each client sees, world units; 0 = everything (interest management off). Read by the
   * interest code as room.options.viewRadius; carried when the room moves (roomStateFormat.ts).
   * @default DEFAULT_VIEW_RADIUS of the scenario
   */
  viewRadius?: number;
  /** Seed of the spawn-point generator (an integer). */
  seed: number;
  /** Inputs queued per player, count; when full the oldest is dropped. */
  inputQueue: number;
  /** How long a new socket has to send HELLO, ms (4008 after). */
  handshakeTimeoutMs: number;
  /** How long a player may send no non-idle INPUT before IDLE_KICK (4011), ms; 0 never kicks. */
  idleKickMs: number;
  /** Bytes unsent on a client's socket above which its snapshot is skipped, bytes. */
  backpressureBytes: number;
  /** How long a client may stay skipped before SLOW_CLIENT (4009), ms. */
  backpressureTimeoutMs: number;
  /** Answer DEBUG_STATE_REQUEST and DEBUG_NUDGE (tests only). */
  debugState: boolean;
  /** Time each phase of a tick, not only its total and lateness. */
  tickTiming: boolean;
  /** Rewind hitscan targets to the shooter's viewTick (PROTOCOL.md, "Lag compensation"). */
  lagCompensation: boolean;
  /** How far back a hitscan shot may be rewound, ms (0–1000). */
  maxRewindMs: number;
  /**
   * How long a player whose connection dropped without a consented leave is kept for a resume, ms
   * (--reconnect-grace-ms; PROTOCOL.md, Resuming). 0 removes it at once, as does a room given no
   * resume tokens (RoomHooks.resumeTokens). @default 0 for a room alone; the process's is 10 000
   */
  reconnectGraceMs?: number;
  /**
   * Snapshot bytes a second each client may be sent (--client-budget-bytes-per-s); 0 or absent: no
   * budget. Over it, entities wait by priority and the client holds them deferred. @default 0
   */
  clientBudgetBytesPerSecond?: number;
  /**
   * How early the room's scheduler may run a tick, ms: the tick clock pongs carry runs this far ahead
   * of the due times, so no snapshot is stamped as sent before its tick (tick.ts tickTimeAt). @default 0
   */
  tickClockLeadMs?: number;
}
