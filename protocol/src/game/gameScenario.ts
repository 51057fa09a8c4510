// The game scenario as data: the shipped map (assets/maps/arena.json), the movement rules that use
// it, its mapHash and the spawn order. Parsed once per process (server, bots) or page (browser);
// GameSpawner.next() runs once per join or respawn.
import arenaMapJson from '../../../assets/maps/arena.json' with { type: 'json' };
import { type GameMap, parseTiledMap } from '../map/gameMap.js';
import { mapHash } from '../mapHash.js';
import { Mulberry32, type SpawnerState } from '../random.js';
import type { MovementRules } from '../step.js';

export { PLAYER_RADIUS } from '../map/collide.js';

/** The map file as it was read (Tiled JSON), for a renderer that draws its tile layers. */
export const GAME_MAP_TILED: unknown = arenaMapJson;

/** The game's map: 48 × 32 tiles of 32 units (1536 × 1024 units), walls, cover and 10 spawn points. */
export const GAME_MAP: GameMap = parseTiledMap(arenaMapJson, 'arena');

/** The world is the map; 200 units per second like the arena; players face where they aim. */
export const GAME_RULES: MovementRules = {
  width: GAME_MAP.width,
  height: GAME_MAP.height,
  speed: 200,
  map: GAME_MAP,
  faceAim: true,
};

/** The game's world as a client predicts it (compare ARENA_MAP). */
export const GAME_WORLD = { scenario: 'game', rules: GAME_RULES } as const;
/** The game's mapHash, as a game server's WELCOME carries it. */
export const GAME_MAP_HASH = mapHash(GAME_WORLD.scenario, GAME_WORLD.rules);

/**
 * Spawn points of a map in rounds: each round visits every spawn point once, in an order shuffled
 * (Fisher–Yates) by mulberry32(seed), so players spread out and a seed fixes the whole sequence.
 * The map's parser has checked that no spawn point puts a player in a wall.
 */
export class GameSpawner {
  private readonly random: Mulberry32;
  /** The spawn points (indexes) left in this round, in the order they will be handed out. */
  private round: number[] = [];

  constructor(
    seed: number,
    private readonly map: GameMap = GAME_MAP,
  ) {
    this.random = new Mulberry32(seed);
  }

  /** Everything the next spawn points depend on (a room moving to another process carries it). */
  get state(): SpawnerState {
    return { random: this.random.state, round: [...this.round] };
  }

  set state(state: SpawnerState) {
    if (state.round.some((index) => !Number.isInteger(index) || index < 0 || index >= this.map.spawns.length)) {
      throw new RangeError('spawn round names a spawn point the map does not have');
    }
    this.random.state = state.random;
    this.round = [...state.round];
  }

  /** The next spawn point, in world units. */
  next(): { x: number; y: number } {
    if (this.round.length === 0) {
      for (let i = 0; i < this.map.spawns.length; i++) this.round.push(i);
      for (let i = this.round.length - 1; i > 0; i--) {
        const j = Math.floor(this.random.next() * (i + 1));
        [this.round[i], this.round[j]] = [this.round[j]!, this.round[i]!];
      }
    }
    const spawn = this.map.spawns[this.round.shift()!]!;
    return { x: spawn.x, y: spawn.y };
  }
}
