// What one room needs to run, with units: built by the process (config.ts, roomOptionsOf) from its
// settings, read once when the room is created. Nothing under room/ or sim/ reads the process's
// ServerConfig: a room made on demand, or moved to another process, carries only these.

/** The worlds a room can run. */
export const SCENARIOS = ['game', 'arena', 'world'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface RoomOptions {
  /** The world: game (the map in assets/maps), arena (the open square) or world (the open square 8× as wide). */
  scenario: ScenarioName;
  /** Simulation ticks per second, Hz (10–128). */
  tickRate: number;
  /** Snapshots per second, Hz (1 to tickRate). */
  snapshotRate: number;
  /** Players before ROOM_FULL (4006); sizes the id space, the snapshot ring and the lag history. */
  maxPlayers: number;
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
   * How early the room's scheduler may run a tick, ms: the tick clock pongs carry runs this far ahead
   * of the due times, so no snapshot is stamped as sent before its tick (tick.ts tickTimeAt). @default 0
   */
  tickClockLeadMs?: number;
}
