// Movement system, priority 10, once per tick: moves every player by the shared step(), the same
// pure function client prediction runs, so the authoritative state stays on the quantized grid.
import { type MovementRules, step } from '@tickwire/protocol';
import { Not, System } from 'ecsy';
import { Dead, Facing, PlayerControl, Position, Velocity } from '../components.js';
import { writable } from '../writable.js';

export interface MovementSystemAttributes {
  priority: number;
  /** Seconds per tick. */
  dt: number;
  rules: MovementRules;
}

export class MovementSystem extends System {
  /** Dead players do not move (their velocity was zeroed at death). */
  static override queries = { movers: { components: [Position, Velocity, Facing, PlayerControl, Not(Dead)] } };
  private dt = 0;
  private rules!: MovementRules;

  override init(attributes?: Partial<MovementSystemAttributes>): void {
    if (attributes?.dt === undefined || attributes.rules === undefined) {
      throw new Error('MovementSystem needs { dt, rules } attributes');
    }
    this.dt = attributes.dt;
    this.rules = attributes.rules;
  }

  execute(): void {
    const movers = this.queries.movers!.results;
    for (let i = 0; i < movers.length; i++) {
      const entity = movers[i]!;
      const position = writable(entity, Position);
      const velocity = writable(entity, Velocity);
      const facing = writable(entity, Facing);
      const control = entity.getComponent(PlayerControl)!;
      const next = step(
        { x: position.x, y: position.y, vx: velocity.vx, vy: velocity.vy, angle: facing.angle },
        control,
        this.dt,
        this.rules,
      );
      position.x = next.x;
      position.y = next.y;
      velocity.vx = next.vx;
      velocity.vy = next.vy;
      facing.angle = next.angle;
    }
  }
}
