// parseTiledMap: what it reads from a Tiled JSON map, and the clear error each kind of bad map gets.
import { describe, expect, it } from 'vitest';
import { isSolidAt, isSolidTile, parseTiledMap } from '../../src/map/gameMap.js';
import { mapOf, tiledJson } from './tiledMaps.js';

// biome-ignore format: a drawing of the map
const ROOM = [
  '#####',
  '#S..#',
  '#.#.#',
  '#..S#',
  '#####',
];

/** tiledJson(ROOM) with `change` applied to a deep copy. */
// biome-ignore lint/suspicious/noExplicitAny: each case reaches into a different corner of the Tiled JSON.
function broken(change: (json: Record<string, any>) => void): Record<string, unknown> {
  const json = JSON.parse(JSON.stringify(tiledJson(ROOM)));
  change(json);
  return json;
}

describe('parseTiledMap', () => {
  it('reads the size, the solid grid from "Walls" and the spawn points from "Spawns"', () => {
    const map = mapOf(ROOM);
    expect(map).toMatchObject({ name: 'test', tileSize: 32, cols: 5, rows: 5, width: 160, height: 160 });
    expect(Array.from(map.solid).join('')).toBe(ROOM.join('').replace(/#/g, '1').replace(/[.S]/g, '0'));
    expect(map.spawns).toEqual([
      { x: 48, y: 48 },
      { x: 112, y: 112 },
    ]);
  });

  it('ignores flip flags in gids and rounds spawn points to the 1/16 grid', () => {
    const map = parseTiledMap(
      broken((json) => {
        json.layers[1].data[12] = 2 + 0x80000000; // the centre wall, flipped horizontally
        json.layers[2].objects[0].x = 48.03;
      }),
      'flipped',
    );
    expect(isSolidTile(map, 2, 2)).toBe(true);
    expect(map.spawns[0]).toEqual({ x: 48, y: 48 });
  });

  it.each([
    ['not an object', () => 42, /map bad: not a JSON object/],
    ['an isometric map', () => broken((j) => (j.orientation = 'isometric')), /orientation is "isometric"/],
    ['an infinite map', () => broken((j) => (j.infinite = true)), /is infinite/],
    ['a fractional width', () => broken((j) => (j.width = 4.5)), /width 4.5 is not a positive integer/],
    ['non-square tiles', () => broken((j) => (j.tileheight = 16)), /must be square/],
    ['a world over 4095 units', () => broken((j) => (j.tilewidth = j.tileheight = 1000)), /at most 4095/],
    [
      'an external tileset',
      () => broken((j) => (j.tilesets[0].source = 'tiles.tsx')),
      /external \(tiles.tsx\); embed it/,
    ],
    ['no tilesets', () => broken((j) => (j.tilesets = [])), /has no tilesets/],
    ['no Walls layer', () => broken((j) => (j.layers[1].name = 'Blocks')), /no layer named "Walls"/],
    ['Walls as an object layer', () => broken((j) => (j.layers[1].type = 'objectgroup')), /"Walls" is a "objectgroup"/],
    ['Walls of another size', () => broken((j) => (j.layers[1].width = 4)), /"Walls" is 4 × 5 tiles, the map 5 × 5/],
    [
      'base64 layer data',
      () => broken((j) => Object.assign(j.layers[1], { data: 'AAAA', encoding: 'base64' })),
      /"Walls" has no "data" array; save tile layers in the CSV format/,
    ],
    ['too few cells', () => broken((j) => j.layers[1].data.pop()), /has 24 cells, not 25/],
    ['a cell that is not a gid', () => broken((j) => (j.layers[1].data[0] = -1)), /a cell that is not a gid/],
    [
      'a gid in no tileset',
      () => broken((j) => (j.layers[1].data[0] = 9)),
      /tile \(0, 0\) holds gid 9, which is in no tileset/,
    ],
    [
      'a non-colliding tile in Walls',
      () => broken((j) => (j.layers[1].data[0] = 1)),
      /tile \(0, 0\) holds gid 1, a tile without the property collides = true/,
    ],
    ['no Spawns layer', () => broken((j) => j.layers.pop()), /no layer named "Spawns"/],
    ['no spawn points', () => broken((j) => (j.layers[2].objects = [])), /has no spawn points/],
    ['a spawn without x', () => broken((j) => delete j.layers[2].objects[1].x), /spawn 1 has no finite x and y/],
    [
      'a spawn in a wall',
      () => broken((j) => Object.assign(j.layers[2].objects[0], { x: 80, y: 80 })),
      /spawn 0 at \(80, 80\): a player there \(box ±12 units\) would be in a wall or off the map/,
    ],
    [
      'a spawn whose box reaches into a wall',
      () => broken((j) => (j.layers[2].objects[0].x = 43.9375)),
      /spawn 0 at \(43.9375, 48\)/,
    ],
  ])('refuses %s with a clear error', (_name, make, message) => {
    expect(() => parseTiledMap(make(), 'bad')).toThrow(message);
  });

  it('accepts a spawn whose box touches a wall without overlapping it', () => {
    // Tile column 0 is wall up to x = 32; a box of half-size 12 centred at x = 44 touches it.
    const map = parseTiledMap(
      broken((j) => (j.layers[2].objects[0].x = 44)),
      'touching',
    );
    expect(map.spawns[0]).toEqual({ x: 44, y: 48 });
  });
});

describe('isSolidAt', () => {
  const map = mapOf(ROOM);
  it('takes tiles as half-open squares [c·32, (c+1)·32)', () => {
    expect(isSolidAt(map, 31.999, 50)).toBe(true);
    expect(isSolidAt(map, 32, 50)).toBe(false);
    expect(isSolidAt(map, 64, 64)).toBe(true);
    expect(isSolidAt(map, 63.99, 63.99)).toBe(false);
  });
  it('counts everything outside the map as wall', () => {
    for (const [x, y] of [
      [-0.001, 50],
      [50, -1],
      [160, 50],
      [50, 160],
    ] as const)
      expect(isSolidAt(map, x, y)).toBe(true);
  });
});
