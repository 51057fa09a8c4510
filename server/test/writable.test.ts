// writable() skips ecsy's 'changed' events, which is only sound while no query listens for them:
// every system of the world, and every query it declares, is checked here.
import { describe, expect, it } from 'vitest';
import { Position } from '../src/sim/components.js';
import { writable } from '../src/sim/writable.js';
import { combatWorld } from './support/combatWorld.js';

describe('writable', () => {
  it('is only used in a world where no system query listens for changes', () => {
    const { world } = combatWorld();
    const systems = world.getSystems();
    expect(systems.length).toBeGreaterThanOrEqual(6);
    for (const system of systems) {
      const queries =
        (system.constructor as { queries?: Record<string, { listen?: { changed?: unknown } }> }).queries ?? {};
      for (const [name, query] of Object.entries(queries)) {
        // Listening for entities added and removed (queryColumns.ts) is fine; for changes it is not.
        expect(query.listen?.changed, `${system.constructor.name}.${name}`).toBeUndefined();
      }
    }
  });

  it('returns the live component, so writes land in the entity', () => {
    const { addPlayer } = combatWorld();
    const player = addPlayer(1, 10, 20);
    writable(player, Position).x = 1234;
    expect(player.getComponent(Position)!.x).toBe(1234);
  });
});
