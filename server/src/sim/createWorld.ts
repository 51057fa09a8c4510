// Builds the ecsy World for one room, once per room: components first, then systems in
// explicit priority order (input before movement).
import type { MovementRules } from '@tickwire/protocol';
import { World } from 'ecsy';
import { allComponents } from './components.js';
import { InputSystem } from './systems/inputSystem.js';
import { MovementSystem } from './systems/movementSystem.js';

/** System order within a tick; ecsy runs ascending priorities, ties in registration order. */
export const SystemPriority = {
  input: 0,
  movement: 10,
} as const;

export function createWorld(options: { dt: number; rules: MovementRules; maxPlayers: number }): World {
  const world = new World({ entityPoolSize: options.maxPlayers + 16 });
  for (const component of allComponents) world.registerComponent(component);
  world.registerSystem(InputSystem, { priority: SystemPriority.input });
  world.registerSystem(MovementSystem, { priority: SystemPriority.movement, dt: options.dt, rules: options.rules });
  return world;
}
