// Builds the ecsy World for one room, once per room: components first, the projectile pool, then
// systems in explicit priority order (input, respawn, movement, history, projectiles, weapons).
import type { MovementRules } from '@tickwire/protocol';
import { World } from 'ecsy';
import type { GameContext } from './combat/gameContext.js';
import { ProjectilePool, projectilePoolSize } from './combat/projectilePool.js';
import { allComponents } from './components.js';
import { HistorySystem } from './systems/historySystem.js';
import { InputSystem } from './systems/inputSystem.js';
import { MovementSystem } from './systems/movementSystem.js';
import { ProjectileSystem } from './systems/projectileSystem.js';
import { RespawnSystem } from './systems/respawnSystem.js';
import { WeaponSystem } from './systems/weaponSystem.js';

/** System order within a tick; ecsy runs ascending priorities, ties in registration order. */
export const SystemPriority = {
  input: 0,
  /** Before movement: a player back this tick moves this tick. */
  respawn: 5,
  movement: 10,
  /** After movement: the history of tick T holds the positions snapshot T will carry. */
  history: 20,
  /** Before weapons: a projectile launched at T first moves at T + 1. */
  projectiles: 25,
  weapons: 30,
} as const;

export function createWorld(options: {
  dt: number;
  rules: MovementRules;
  maxPlayers: number;
  game: GameContext;
  /** Every client is sent the whole room (no views): the pool then fits one snapshot with the players. */
  wholeView?: boolean;
}): World {
  const { game, maxPlayers } = options;
  const poolSize = projectilePoolSize(maxPlayers, options.wholeView ?? false);
  const world = new World({ entityPoolSize: maxPlayers + poolSize + 16 });
  for (const component of allComponents) world.registerComponent(component);
  // Player ids are 1 … maxPlayers; projectile ids follow.
  game.projectiles = new ProjectilePool(world, maxPlayers + 1, poolSize);
  world.registerSystem(InputSystem, { priority: SystemPriority.input });
  world.registerSystem(RespawnSystem, { priority: SystemPriority.respawn, game });
  world.registerSystem(MovementSystem, { priority: SystemPriority.movement, dt: options.dt, rules: options.rules });
  world.registerSystem(HistorySystem, { priority: SystemPriority.history, game });
  world.registerSystem(ProjectileSystem, { priority: SystemPriority.projectiles, game });
  world.registerSystem(WeaponSystem, { priority: SystemPriority.weapons, game });
  return world;
}
