// Movement system, priority 10, once per tick: moves every player by the shared step(), the same
// pure function client prediction runs, so the authoritative state stays on the quantized grid.
import { type MovementRules, step } from '@tickwire/protocol';
import { Not, System } from 'ecsy';
import { Dead, Facing, PlayerControl, Position, Velocity } from '../components.js';
import { column, LISTEN_MEMBERSHIP, membershipChanged } from '../queryColumns.js';

export interface MovementSystemAttributes {
  priority: number;
  /** Seconds per tick. */
  dt: number;
  rules: MovementRules;
}

export class MovementSystem extends System {
  /** Dead players do not move (their velocity was zeroed at death). */
  static override queries = {
    movers: { components: [Position, Velocity, Facing, PlayerControl, Not(Dead)], listen: LISTEN_MEMBERSHIP },
  };
  /** Each mover's components, in query order (queryColumns.ts). */
  private positions: Position[] = [];
  private velocities: Velocity[] = [];
  private facings: Facing[] = [];
  private controls: PlayerControl[] = [];
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
    const movers = this.queries.movers!;
    if (membershipChanged(movers, this.positions.length)) {
      this.positions = column(movers.results, Position);
      this.velocities = column(movers.results, Velocity);
      this.facings = column(movers.results, Facing);
      this.controls = column(movers.results, PlayerControl);
    }
    const { positions, velocities, facings, controls } = this;
    for (let i = 0; i < positions.length; i++) {
      const position = positions[i]!;
      const velocity = velocities[i]!;
      const facing = facings[i]!;
      const control = controls[i]!;
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
