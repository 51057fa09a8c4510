// A player entity with every component the systems expect, in one place for the room (per join)
// and for tests that drive the systems without a room.
import { EntityKind } from '@tickwire/protocol';
import type { Entity, World } from 'ecsy';
import { Facing, Health, Kind, NetworkId, PlayerControl, Position, Score, Velocity, Weapons } from './components.js';

export interface NewPlayer {
  id: number;
  /** Which life of the id (GameContext.nextGeneration()). */
  generation: number;
  /** Position, quanta. */
  x: number;
  y: number;
  hp: number;
}

export function createPlayer(world: World, player: NewPlayer): Entity {
  return world
    .createEntity()
    .addComponent(NetworkId, { id: player.id, generation: player.generation })
    .addComponent(Position, { x: player.x, y: player.y })
    .addComponent(Velocity, { vx: 0, vy: 0 })
    .addComponent(Facing, { angle: 0 })
    .addComponent(Health, { hp: player.hp })
    .addComponent(PlayerControl, { seq: 0, fresh: false, moveX: 0, moveY: 0 })
    .addComponent(Kind, { kind: EntityKind.PLAYER })
    .addComponent(Weapons, { primaryReadyTick: 0, secondaryReadyTick: 0 })
    .addComponent(Score, { kills: 0, deaths: 0 });
}
