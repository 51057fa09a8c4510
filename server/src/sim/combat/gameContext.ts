// What the combat systems share within one room: the tick being run, the rules in ticks and quanta,
// the players by id, the projectile pool, the lag history and the events for snapshots. Created once
// per room; the room sets `tick` before each world.execute and reads `rosterChanged` after it.
import {
  EventHistory,
  type GameMap,
  HIT_RADIUS,
  type MovementRules,
  POSITION_SCALE,
  PRIMARY_WEAPON,
  RESPAWN_DELAY_MS,
  SECONDARY_WEAPON,
  ticksOf,
} from '@tickwire/protocol';
import type { Entity } from 'ecsy';
import { LagHistory } from './lagHistory.js';
import type { ProjectilePool } from './projectilePool.js';
import type { ShotWorld } from './shotGeometry.js';

export interface GameContextOptions {
  tickRate: number;
  rules: MovementRules;
  /** Player ids are 1 … maxPlayers. */
  maxPlayers: number;
  startHp: number;
  /** A spawn point in world units, for respawns. */
  nextSpawn(): { x: number; y: number };
  /** Rewind hitscan targets to the shooter's viewTick (PROTOCOL.md, "Lag compensation"). */
  lagCompensation: boolean;
  /** The rewind limit, ms (0 … 1000). */
  maxRewindMs: number;
}

/** Cumulative counters, read by /healthz. */
export interface CombatCounters {
  primaryShots: number;
  projectilesLaunched: number;
  /** Launches not made because every pooled projectile was in flight. */
  projectilesRefused: number;
  hits: number;
  kills: number;
}

export class GameContext implements ShotWorld {
  /** The tick being run. */
  tick = 0;
  /** Set when a kill changed the scores; the room marks the roster (sent within a second) and clears it. */
  rosterChanged = false;
  readonly tickRate: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly map: GameMap | undefined;
  readonly startHp: number;
  readonly nextSpawn: () => { x: number; y: number };
  readonly lagCompensation: boolean;
  /** maxRewindMs in ticks (fractional: 250 ms at 30 Hz is 7.5). */
  readonly maxRewindTicks: number;
  readonly primaryCooldownTicks: number;
  readonly secondaryCooldownTicks: number;
  readonly respawnTicks: number;
  readonly primaryRangeQ: number;
  readonly projectileSpeedQ: number;
  readonly projectileLifetimeTicks: number;
  /** Hit circle radius, quanta, of a player against a ray and against a projectile. */
  readonly hitRadiusQ: number;
  readonly projectileHitRadiusQ: number;
  /** Living players' positions of the last second of ticks. */
  readonly history: LagHistory;
  /** Shots and kills, for the snapshots' event lists. */
  readonly events = new EventHistory();
  /** Players in the room by id (kept by the room: joins and leaves). */
  readonly players = new Map<number, Entity>();
  /** The pooled projectiles (set by createWorld). */
  projectiles: ProjectilePool | undefined;
  readonly counters: CombatCounters = {
    primaryShots: 0,
    projectilesLaunched: 0,
    projectilesRefused: 0,
    hits: 0,
    kills: 0,
  };
  private generation = 0;

  constructor(options: GameContextOptions) {
    const { tickRate, rules } = options;
    if (!(options.maxRewindMs >= 0 && options.maxRewindMs <= 1000))
      throw new RangeError('maxRewindMs outside [0, 1000]');
    this.tickRate = tickRate;
    this.maxX = rules.width * POSITION_SCALE;
    this.maxY = rules.height * POSITION_SCALE;
    this.map = rules.map;
    this.startHp = options.startHp;
    this.nextSpawn = options.nextSpawn;
    this.lagCompensation = options.lagCompensation;
    this.maxRewindTicks = (options.maxRewindMs * tickRate) / 1000;
    this.primaryCooldownTicks = ticksOf(PRIMARY_WEAPON.cooldownMs, tickRate);
    this.secondaryCooldownTicks = ticksOf(SECONDARY_WEAPON.cooldownMs, tickRate);
    this.respawnTicks = ticksOf(RESPAWN_DELAY_MS, tickRate);
    this.primaryRangeQ = PRIMARY_WEAPON.rangeUnits * POSITION_SCALE;
    this.projectileSpeedQ = (SECONDARY_WEAPON.speedUnitsPerSecond * POSITION_SCALE) / tickRate;
    this.projectileLifetimeTicks = ticksOf(SECONDARY_WEAPON.lifetimeMs, tickRate);
    this.hitRadiusQ = HIT_RADIUS * POSITION_SCALE;
    this.projectileHitRadiusQ = (HIT_RADIUS + SECONDARY_WEAPON.radiusUnits) * POSITION_SCALE;
    // About a second, and always more than the rewind limit: the clamp never asks for a tick not held.
    this.history = new LagHistory(Math.max(tickRate, Math.ceil(this.maxRewindTicks)) + 2, options.maxPlayers);
  }

  /** The last generation handed out (a room moving carries it: generations never repeat in a room). */
  get lastGeneration(): number {
    return this.generation;
  }

  set lastGeneration(generation: number) {
    this.generation = generation;
  }

  /** A new life's generation: a new player, a projectile launched (each is sent whole once). */
  nextGeneration(): number {
    return ++this.generation;
  }
}
