// Respawn system, priority 5, once per tick: dead players whose respawn tick has come are back with
// full health at a spawn point, before movement, so they move in the tick they return.
import { toPositionQ } from '@tickwire/protocol';
import { System } from 'ecsy';
import type { GameContext } from '../combat/gameContext.js';
import { Dead, Health, Position, Velocity } from '../components.js';

export class RespawnSystem extends System {
  static override queries = { dead: { components: [Dead, Position, Velocity, Health] } };
  private game!: GameContext;

  override init(attributes?: { game?: GameContext }): void {
    if (attributes?.game === undefined) throw new Error('RespawnSystem needs { game }');
    this.game = attributes.game;
  }

  execute(): void {
    const game = this.game;
    const dead = this.queries.dead!.results;
    // Backwards: removing Dead takes the entity out of this query at once.
    for (let i = dead.length - 1; i >= 0; i--) {
      const entity = dead[i]!;
      if (entity.getComponent(Dead)!.respawnTick > game.tick) continue;
      // Immediate removal: a player may die again later in this same tick.
      entity.removeComponent(Dead, true);
      const spawn = game.nextSpawn();
      const position = entity.getMutableComponent(Position)!;
      position.x = toPositionQ(spawn.x);
      position.y = toPositionQ(spawn.y);
      const velocity = entity.getMutableComponent(Velocity)!;
      velocity.vx = 0;
      velocity.vy = 0;
      entity.getMutableComponent(Health)!.hp = game.startHp;
    }
  }
}
