// ecsy components: what a player and a projectile are in the simulation. Read and written every tick
// by the systems.
// Fields use `declare` (a `x!: number` field would be wiped: tsx and vitest compile class fields with define semantics).
import { Component, type ComponentConstructor, TagComponent, Types } from 'ecsy';

/** Position on the fixed-point grid (quanta, see protocol/src/quantize.ts). */
export class Position extends Component<Position> {
  declare x: number;
  declare y: number;
  static override schema = { x: { type: Types.Number }, y: { type: Types.Number } };
}

/** Velocity applied in the last tick, quanta per tick, before edge clamping. */
export class Velocity extends Component<Velocity> {
  declare vx: number;
  declare vy: number;
  static override schema = { vx: { type: Types.Number }, vy: { type: Types.Number } };
}

/** Facing in angle quanta. */
export class Facing extends Component<Facing> {
  declare angle: number;
  static override schema = { angle: { type: Types.Number } };
}

export class Health extends Component<Health> {
  declare hp: number;
  static override schema = { hp: { type: Types.Number, default: 100 } };
}

/** What the entity is on the wire (the `kind` field: EntityKind, 0 player, 1 projectile). */
export class Kind extends Component<Kind> {
  declare kind: number;
  static override schema = { kind: { type: Types.Number } };
}

/** Network identity: the id that snapshots use (ecsy's own entity ids are pooled and reused). */
export class NetworkId extends Component<NetworkId> {
  declare id: number;
  /** Which life of this id: a new entity reusing an old id gets a new generation, and is sent whole. */
  declare generation: number;
  static override schema = { id: { type: Types.Number }, generation: { type: Types.Number } };
}

/**
 * The player's controls as plain data: the input applied this tick. The room writes each new input
 * here before the tick (room/inputFeed.ts); tests drive a player by writing the fields directly.
 */
export class PlayerControl extends Component<PlayerControl> {
  /** seq of the input applied (0: none yet; a player with none never has its view advanced). */
  declare seq: number;
  /** Set when a new input was written for this tick; the input system clears it. */
  declare fresh: boolean;
  declare moveX: number;
  declare moveY: number;
  /** Held buttons of the input applied (Button bits). */
  declare buttons: number;
  /** Aim of the input applied, radians; step() reads it as MoveInput.aimAngle. */
  declare aimAngle: number;
  /** The render tick the client drew others at for this input (0: none); +1 per repeated tick. */
  declare viewTick: number;
  static override schema = {
    seq: { type: Types.Number },
    fresh: { type: Types.Boolean },
    moveX: { type: Types.Number },
    moveY: { type: Types.Number },
    buttons: { type: Types.Number },
    aimAngle: { type: Types.Number },
    viewTick: { type: Types.Number },
  };
}

/** When each weapon of a player may fire next (ticks; ready when the tick has reached it). */
export class Weapons extends Component<Weapons> {
  declare primaryReadyTick: number;
  declare secondaryReadyTick: number;
  static override schema = { primaryReadyTick: { type: Types.Number }, secondaryReadyTick: { type: Types.Number } };
}

/** A player's score for the roster (PLAYERS). */
export class Score extends Component<Score> {
  declare kills: number;
  declare deaths: number;
  static override schema = { kills: { type: Types.Number }, deaths: { type: Types.Number } };
}

/** A dead player: no moving, firing or being hit until respawnTick. Added at death, removed at respawn. */
export class Dead extends Component<Dead> {
  declare respawnTick: number;
  static override schema = { respawnTick: { type: Types.Number } };
}

/**
 * A pooled projectile (never created or removed per shot). Inactive ones are in no
 * snapshot; an active one flies at its constant Velocity until `travelled` reaches `stopAt`.
 */
export class Projectile extends Component<Projectile> {
  declare active: boolean;
  declare ownerId: number;
  /** The owner's NetworkId generation at launch: a later player with the same id gets no credit. */
  declare ownerGeneration: number;
  /** Launch point, quanta (the shot events' x0, y0). */
  declare x0: number;
  declare y0: number;
  /** Quanta flown so far, and where it stops: the first wall on its path, or its range. */
  declare travelled: number;
  declare stopAt: number;
  static override schema = {
    active: { type: Types.Boolean },
    ownerId: { type: Types.Number },
    ownerGeneration: { type: Types.Number },
    x0: { type: Types.Number },
    y0: { type: Types.Number },
    travelled: { type: Types.Number },
    stopAt: { type: Types.Number },
  };
}

/**
 * A player whose connection dropped, kept for a resume (room/membership.ts): it fires nothing and
 * nothing hits it until it is back. Added when its connection ends, removed at its resume.
 */
export class Away extends TagComponent {}

/** Every component, in the order they must be registered before any system. */
// biome-ignore lint/suspicious/noExplicitAny: ecsy's registerComponent takes a constructor of any component.
export const allComponents: readonly ComponentConstructor<any>[] = [
  Position,
  Velocity,
  Facing,
  Health,
  NetworkId,
  PlayerControl,
  Kind,
  Weapons,
  Score,
  Dead,
  Away,
  Projectile,
];
