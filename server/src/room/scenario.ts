// What a room runs: movement rules, starting health and spawn points for the chosen scenario.
// Read once per room and once per join.
import { ARENA_HP, ARENA_RULES, ArenaSpawner, type MovementRules } from '@tickwire/protocol';
import type { ScenarioName } from '../config.js';

export interface Scenario {
  name: ScenarioName;
  rules: MovementRules;
  startHp: number;
  /** The next spawn point, in world units. */
  nextSpawn(): { x: number; y: number };
}

export function createScenario(name: ScenarioName, seed: number): Scenario {
  switch (name) {
    case 'arena': {
      const spawner = new ArenaSpawner(seed);
      return { name, rules: ARENA_RULES, startHp: ARENA_HP, nextSpawn: () => spawner.next(ARENA_RULES) };
    }
  }
}
