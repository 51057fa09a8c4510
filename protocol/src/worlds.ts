// The worlds this build can step, and so predict, by mapHash: a client picks the one WELCOME names.
// Read once per connection.
import { ARENA_MAP, ARENA_MAP_HASH } from './arena.js';
import { GAME_MAP_HASH, GAME_WORLD } from './game/gameScenario.js';
import { WORLD_MAP, WORLD_MAP_HASH } from './openWorld.js';
import type { MovementRules } from './step.js';

/** A world a client can predict: the scenario name and rules its mapHash is computed from. */
export interface KnownWorld {
  scenario: string;
  rules: MovementRules;
}

/** Every world this build knows, with its mapHash. */
export const KNOWN_WORLDS: readonly (KnownWorld & { mapHash: number })[] = [
  { ...ARENA_MAP, mapHash: ARENA_MAP_HASH },
  { ...GAME_WORLD, mapHash: GAME_MAP_HASH },
  { ...WORLD_MAP, mapHash: WORLD_MAP_HASH },
];

/** The known world whose mapHash is `hash`, or undefined (the server runs a world this build lacks). */
export function worldOfMapHash(hash: number): KnownWorld | undefined {
  const found = KNOWN_WORLDS.find((world) => world.mapHash === hash);
  return found === undefined ? undefined : { scenario: found.scenario, rules: found.rules };
}
