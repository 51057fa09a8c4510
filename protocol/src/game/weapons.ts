// The game's combat rules as data: weapons, buttons, health, respawn and entity kinds. Read per
// fired shot and per projectile tick on the server, and by clients for effects and the HUD.
// Times are milliseconds here; the server turns them into whole ticks (ticksOf) and counts ticks.

/** INPUT `buttons` bits (PROTOCOL.md, "Buttons"). Any other bit set is an invalid INPUT. */
export const Button = {
  /** Primary fire held: a hitscan shot every PRIMARY_WEAPON.cooldownMs while held. */
  PRIMARY: 1,
  /** Secondary fire held: a projectile every SECONDARY_WEAPON.cooldownMs while held. */
  SECONDARY: 2,
} as const;
/** The largest valid `buttons` value: every defined bit set. */
export const BUTTONS_MAX = Button.PRIMARY | Button.SECONDARY;

/** The `weapon` of SNAPSHOT shots and kills. */
export const Weapon = {
  /** Hitscan: hits at once along a ray, with lag compensation. */
  PRIMARY: 0,
  /** A projectile that travels, with no lag compensation. */
  SECONDARY: 1,
} as const;
export type Weapon = (typeof Weapon)[keyof typeof Weapon];

/** The `kind` entity field: what an entity of a snapshot is. */
export const EntityKind = {
  PLAYER: 0,
  PROJECTILE: 1,
} as const;
export type EntityKind = (typeof EntityKind)[keyof typeof EntityKind];

/** Hitscan: damage per hit, time between shots, reach in world units. */
export const PRIMARY_WEAPON = { damage: 20, cooldownMs: 300, rangeUnits: 1000 } as const;

/**
 * Projectile: damage per hit, time between launches, speed in units per second, time it flies
 * before it vanishes, and its radius in units (added to HIT_RADIUS when it meets a player).
 */
export const SECONDARY_WEAPON = {
  damage: 35,
  cooldownMs: 900,
  speedUnitsPerSecond: 480,
  lifetimeMs: 1500,
  radiusUnits: 4,
} as const;

/** A player's hit circle, radius in world units (a shot hits a player whose circle it crosses). */
export const HIT_RADIUS = 14;
/** Health of a player at spawn and respawn. */
export const START_HP = 100;
/** A dead player respawns this long after its death, with START_HP, at a spawn point. */
export const RESPAWN_DELAY_MS = 2000;

/**
 * A duration in whole ticks, rounded up so that a cooldown is never shorter than its milliseconds:
 * 300 ms at 30 Hz is 9 ticks, at 64 Hz 20 ticks (312.5 ms). At least 1.
 */
export function ticksOf(ms: number, tickRate: number): number {
  // The epsilon keeps exact products (300 × 30 / 1000 = 9) from rounding up past themselves.
  return Math.max(1, Math.ceil((ms * tickRate) / 1000 - 1e-9));
}
