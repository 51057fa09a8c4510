// Test maps drawn in ASCII and written out as Tiled JSON, so tests go through the real parser.
// Used by the map, raycast and step tests; builds a map per call.
import { type GameMap, parseTiledMap } from '../../src/map/gameMap.js';

/** One character per tile: '#' wall, '.' floor, 'S' floor with a spawn point at the tile's centre. */
export type Drawing = readonly string[];

/** The Tiled JSON map of `drawing`: tileset "tiles" (gid 1 floor, gid 2 wall with collides = true). */
export function tiledJson(drawing: Drawing, tileSize = 32): Record<string, unknown> {
  const cols = drawing[0]!.length;
  const rows = drawing.length;
  const cells = drawing.flatMap((row) => [...row]);
  const spawns = cells.flatMap((cell, i) =>
    cell === 'S'
      ? [
          {
            id: i + 1,
            name: '',
            point: true,
            x: ((i % cols) + 0.5) * tileSize,
            y: (Math.floor(i / cols) + 0.5) * tileSize,
          },
        ]
      : [],
  );
  return {
    orientation: 'orthogonal',
    infinite: false,
    width: cols,
    height: rows,
    tilewidth: tileSize,
    tileheight: tileSize,
    tilesets: [
      {
        firstgid: 1,
        name: 'tiles',
        tilecount: 2,
        tiles: [{ id: 1, properties: [{ name: 'collides', type: 'bool', value: true }] }],
      },
    ],
    layers: [
      { name: 'Ground', type: 'tilelayer', width: cols, height: rows, data: cells.map(() => 1) },
      { name: 'Walls', type: 'tilelayer', width: cols, height: rows, data: cells.map((c) => (c === '#' ? 2 : 0)) },
      { name: 'Spawns', type: 'objectgroup', objects: spawns },
    ],
  };
}

/** The parsed map of `drawing` (it needs at least one 'S'). */
export function mapOf(drawing: Drawing, tileSize = 32): GameMap {
  return parseTiledMap(tiledJson(drawing, tileSize), 'test');
}

/** A GameMap built directly, without the parser's checks: tiles of any size, no spawn points needed. */
export function gridMap(drawing: Drawing, tileSize: number): GameMap {
  const cols = drawing[0]!.length;
  const rows = drawing.length;
  const solid = Uint8Array.from(drawing.flatMap((row) => [...row].map((cell) => (cell === '#' ? 1 : 0))));
  return { name: 'grid', tileSize, cols, rows, width: cols * tileSize, height: rows * tileSize, solid, spawns: [] };
}
