// What a room runs: movement rules, starting health and spawn points for the chosen scenario.
// Read once per room and once per join (or respawn).
import {
  ARENA_HP,
  ARENA_MAP,
  ArenaSpawner,
  GAME_WORLD,
  GameSpawner,
  type MovementRules,
  mapHash,
  type SpawnerState,
  START_HP,
  WORLD_MAP,
  WorldSpawner,
} from '@tickwire/protocol';
import type { ScenarioName } from './roomOptions.js';

export interface Scenario {
  name: ScenarioName;
  rules: MovementRules;
  /** The hash WELCOME carries: a predicting client checks its own map against it. */
  mapHash: number;
  startHp: number;
  /** The next spawn point, in world units. */
  nextSpawn(): { x: number; y: number };
  /** The spawner's generator and round: read and set when a room moves (roomStateFormat.ts). */
  spawnerState: SpawnerState;
}

export function createScenario(name: ScenarioName, seed: number): Scenario {
  switch (name) {
    case 'arena':
      return openSquare(name, ARENA_MAP, new ArenaSpawner(seed));
    case 'world':
      // Moves as the arena does, in a square 8× as wide; spawns uniform over all of it.
      return openSquare(name, WORLD_MAP, new WorldSpawner(seed));
    case 'game': {
      // The map's spawn points (none in a wall: the map parser checks), in a seeded order.
      const spawner = new GameSpawner(seed, GAME_WORLD.rules.map);
      const { rules } = GAME_WORLD;
      return {
        name,
        rules,
        mapHash: mapHash(GAME_WORLD.scenario, rules),
        startHp: START_HP,
        nextSpawn: () => spawner.next(),
        get spawnerState() {
          return spawner.state;
        },
        set spawnerState(state) {
          spawner.state = state;
        },
      };
    }
  }
}

/** An open square (arena, world): no walls, arena health, spawns from `spawner` over the whole square. */
function openSquare(
  name: ScenarioName,
  map: { scenario: string; rules: MovementRules },
  spawner: ArenaSpawner,
): Scenario {
  const { rules } = map;
  return {
    name,
    rules,
    mapHash: mapHash(map.scenario, rules),
    startHp: ARENA_HP,
    nextSpawn: () => spawner.next(rules),
    get spawnerState() {
      return spawner.state;
    },
    set spawnerState(state) {
      spawner.state = state;
    },
  };
}
