// The shipped game map and its scenario: the map file parses into the world the game promises, its
// mapHash is pinned and covers the map's content, and the spawner deals every spawn point in turn.
import { describe, expect, it } from 'vitest';
import {
  ARENA_MAP,
  ARENA_MAP_HASH,
  GAME_MAP,
  GAME_MAP_HASH,
  GAME_MAP_TILED,
  GAME_RULES,
  GAME_WORLD,
  type GameMap,
  GameSpawner,
  isSolidTile,
  mapHash,
  PLAYER_RADIUS,
  POSITION_SCALE,
  worldOfMapHash,
} from '../../src/index.js';
import { boxHitsWall } from '../../src/map/collide.js';

describe('the game map (assets/maps/arena.json)', () => {
  it('is 48 × 32 tiles of 32 units, 1536 × 1024 units, with 8 or more spawn points', () => {
    expect(GAME_MAP).toMatchObject({ name: 'arena', tileSize: 32, cols: 48, rows: 32, width: 1536, height: 1024 });
    expect(GAME_MAP.spawns.length).toBeGreaterThanOrEqual(8);
  });

  it('is walled all around, and a player fits at every spawn point', () => {
    for (let col = 0; col < GAME_MAP.cols; col++) {
      expect(isSolidTile(GAME_MAP, col, 0) && isSolidTile(GAME_MAP, col, GAME_MAP.rows - 1)).toBe(true);
    }
    for (let row = 0; row < GAME_MAP.rows; row++) {
      expect(isSolidTile(GAME_MAP, 0, row) && isSolidTile(GAME_MAP, GAME_MAP.cols - 1, row)).toBe(true);
    }
    for (const spawn of GAME_MAP.spawns) {
      expect(boxHitsWall(GAME_MAP, spawn.x * POSITION_SCALE, spawn.y * POSITION_SCALE)).toBe(false);
    }
  });

  it('has no floor a player cannot reach (every floor tile joins the first spawn through 4-neighbours)', () => {
    const start = GAME_MAP.spawns[0]!;
    const key = (col: number, row: number) => row * GAME_MAP.cols + col;
    const first = [Math.floor(start.x / 32), Math.floor(start.y / 32)] as const;
    const seen = new Set([key(...first)]);
    const queue: (readonly [number, number])[] = [first];
    while (queue.length > 0) {
      const [col, row] = queue.pop()!;
      for (const [c, r] of [
        [col + 1, row],
        [col - 1, row],
        [col, row + 1],
        [col, row - 1],
      ] as const) {
        if (!isSolidTile(GAME_MAP, c, r) && !seen.has(key(c, r))) {
          seen.add(key(c, r));
          queue.push([c, r]);
        }
      }
    }
    expect(seen.size).toBe(GAME_MAP.solid.filter((cell) => cell === 0).length);
  });

  it('is the same turned half a turn: no side has better walls or spawns', () => {
    const { cols, rows, solid } = GAME_MAP;
    for (let i = 0; i < solid.length; i++) expect(solid[i]).toBe(solid[cols * rows - 1 - i]);
    const turned = GAME_MAP.spawns.map((s) => ({ x: GAME_MAP.width - s.x, y: GAME_MAP.height - s.y }));
    expect(new Set(turned.map((s) => `${s.x},${s.y}`))).toEqual(new Set(GAME_MAP.spawns.map((s) => `${s.x},${s.y}`)));
  });

  it('has what a Tiled renderer needs: tileset "tiles" embedded with tiles.png, layers Ground, Walls and Spawns', () => {
    const tiled = GAME_MAP_TILED as {
      tilesets: { name: string; image: string }[];
      layers: { name: string; type: string }[];
    };
    expect(tiled.tilesets.map((t) => [t.name, t.image])).toEqual([['tiles', 'tiles.png']]);
    expect(tiled.layers.map((l) => [l.name, l.type])).toEqual([
      ['Ground', 'tilelayer'],
      ['Walls', 'tilelayer'],
      ['Spawns', 'objectgroup'],
    ]);
  });
});

describe('the game rules and mapHash', () => {
  it('move at 200 units per second in the map, facing the aim, with a 24-unit box', () => {
    expect(GAME_RULES).toEqual({ width: 1536, height: 1024, speed: 200, map: GAME_MAP, faceAim: true });
    expect(PLAYER_RADIUS).toBe(12);
    expect(GAME_WORLD).toEqual({ scenario: 'game', rules: GAME_RULES });
  });

  it('gives the game the value PROTOCOL.md states, and leaves the arena as it was', () => {
    expect(GAME_MAP_HASH).toBe(4182356816);
    expect(GAME_MAP_HASH).toBe(mapHash('game', GAME_RULES));
    expect(ARENA_MAP_HASH).toBe(4192979290);
  });

  const withTile = (m: GameMap, col: number, row: number, value: number) => {
    m.solid[row * m.cols + col] = value;
    return m;
  };
  const changed = (change: (map: GameMap) => GameMap) => {
    const map = change({ ...GAME_MAP, solid: GAME_MAP.solid.slice(), spawns: [...GAME_MAP.spawns] });
    return mapHash('game', { ...GAME_RULES, map });
  };
  it.each([
    ['one tile turns to wall', (m: GameMap) => withTile(m, 5, 5, 1)],
    ['one wall turns to floor', (m: GameMap) => withTile(m, 14, 7, 0)],
    ['a spawn point moves', (m: GameMap) => ({ ...m, spawns: [{ x: 113, y: 80 }, ...m.spawns.slice(1)] })],
    ['a spawn point is added', (m: GameMap) => ({ ...m, spawns: [...m.spawns, { x: 48, y: 48 }] })],
    ['the tile size changes', (m: GameMap) => ({ ...m, tileSize: 31 })],
  ])('changes when %s', (_name, change) => {
    expect(changed(change)).not.toBe(GAME_MAP_HASH);
  });
  it('changes with the facing rule', () => {
    expect(mapHash('game', { ...GAME_RULES, faceAim: false })).not.toBe(GAME_MAP_HASH);
  });

  it('names the world a client should predict with: the arena, the game, or none', () => {
    expect(worldOfMapHash(ARENA_MAP_HASH)).toEqual(ARENA_MAP);
    expect(worldOfMapHash(GAME_MAP_HASH)).toEqual(GAME_WORLD);
    expect(worldOfMapHash(12345)).toBeUndefined();
  });
});

describe('GameSpawner', () => {
  it('deals every spawn point once per round, in a seeded order', () => {
    const spawner = new GameSpawner(7);
    const key = (s: { x: number; y: number }) => `${s.x},${s.y}`;
    const all = new Set(GAME_MAP.spawns.map(key));
    for (let round = 0; round < 3; round++) {
      const dealt = GAME_MAP.spawns.map(() => key(spawner.next()));
      expect(new Set(dealt)).toEqual(all);
    }
  });

  it('gives the same sequence for the same seed, and pins the first spawn of seeds 1 and 2', () => {
    const sequence = (seed: number) => {
      const spawner = new GameSpawner(seed);
      return Array.from({ length: 25 }, () => spawner.next());
    };
    expect(sequence(3)).toEqual(sequence(3));
    expect(sequence(3)).not.toEqual(sequence(4));
    expect(sequence(1)[0]).toEqual({ x: 784, y: 880 });
    expect(sequence(2)[0]).toEqual({ x: 112, y: 80 }); // the top-left room (integration/walls.int.ts)
  });
});
