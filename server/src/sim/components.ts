// ecsy components: what a player is in the simulation. Read and written every tick by the systems.
// Fields use `declare` (APIS.md pitfall 1: `x!: number` is wiped under tsx and vitest).
import { Component, type ComponentConstructor, Types } from 'ecsy';
import type { InputQueue } from '../session/inputQueue.js';

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

/** Network identity: the id that snapshots use (ecsy's own entity ids are pooled and reused). */
export class NetworkId extends Component<NetworkId> {
  declare id: number;
  /** Which life of this id: a new entity reusing an old id gets a new generation, and is sent whole. */
  declare generation: number;
  static override schema = { id: { type: Types.Number }, generation: { type: Types.Number } };
}

/**
 * The player's controls: the queue its client fills (owned by the session, shared by reference),
 * the input applied this tick, and the counters the input system keeps.
 */
export class PlayerControl extends Component<PlayerControl> {
  declare queue: InputQueue | undefined;
  declare moveX: number;
  declare moveY: number;
  /** seq of the newest input applied, 0 before the first. */
  declare lastInputSeq: number;
  /** Ticks that found the queue empty after the first input and repeated the latest input. */
  declare starvedTicks: number;
  static override schema = {
    queue: { type: Types.Ref },
    moveX: { type: Types.Number },
    moveY: { type: Types.Number },
    lastInputSeq: { type: Types.Number },
    starvedTicks: { type: Types.Number },
  };
}

/** Every component, in the order they must be registered before any system. */
// biome-ignore lint/suspicious/noExplicitAny: ecsy's registerComponent takes a constructor of any component.
export const allComponents: readonly ComponentConstructor<any>[] = [
  Position,
  Velocity,
  Facing,
  Health,
  NetworkId,
  PlayerControl,
];
