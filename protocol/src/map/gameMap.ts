// A game map: the solid grid and spawn points read from a Tiled JSON file. Parsed once per process
// (server) or page (client); isSolidTile/isSolidAt are called per tile a movement or a ray crosses.
//
// What is read from the Tiled file (everything else, such as a "Ground" layer, is for the eyes only):
//   - the map: orthogonal, finite, square tiles of `tilewidth` units (1 Tiled pixel = 1 world unit);
//   - the tile layer "Walls": every non-empty cell is a wall, and must hold a tile whose tileset entry
//     has the property collides = true (a non-colliding tile there would look solid and not be);
//   - the object layer "Spawns": each object's (x, y) is a spawn point in units, rounded to the
//     position grid, where a player's box (half-size PLAYER_RADIUS) touches no wall.
// Tilesets must be embedded, and tile layer data a plain array (Tiled's CSV layer format).
import { POSITION_SCALE, toPositionQ } from '../quantize.js';
import { boxHitsWall, isSolidTile, PLAYER_RADIUS } from './collide.js';

// isSolidTile is defined in collide.ts, its per-tick caller; it is part of this module's API.
export { isSolidTile };

export interface GameMap {
  /** What the map is called in logs and errors (the file's name, without .json). */
  name: string;
  /** Side of a square tile, in world units. */
  tileSize: number;
  /** Size in tiles. */
  cols: number;
  rows: number;
  /** Size in world units: cols × tileSize by rows × tileSize. */
  width: number;
  height: number;
  /** cols × rows, row-major (index row × cols + col): 1 = wall, 0 = floor. */
  solid: Uint8Array;
  /** Spawn points in world units, on the position grid (multiples of 1/POSITION_SCALE). */
  spawns: readonly { x: number; y: number }[];
}

/** Largest world side in units: WELCOME's worldWidth and worldHeight are at most 4095. */
const MAX_SIDE_UNITS = 4095;
/** Tiled keeps flip and rotation flags in the top four bits of a cell's gid. */
const GID_MASK = 0x0fffffff;

/** Is the point (x, y), in world units, in a wall tile (or outside the map)? Tiles are half-open: [c·T, (c+1)·T). */
export function isSolidAt(map: GameMap, xUnits: number, yUnits: number): boolean {
  return isSolidTile(map, Math.floor(xUnits / map.tileSize), Math.floor(yUnits / map.tileSize));
}

/** Parse and check a Tiled JSON map. Throws an Error that names the map and what is wrong. */
export function parseTiledMap(json: unknown, name: string): GameMap {
  const fail = (why: string): never => {
    throw new Error(`map ${name}: ${why}`);
  };
  const root = asRecord(json) ?? fail('not a JSON object (expected a Tiled JSON map)');
  if (root.orientation !== 'orthogonal') fail(`orientation is ${JSON.stringify(root.orientation)}, not "orthogonal"`);
  if (root.infinite === true) fail('is infinite; save it as a fixed-size map (Tiled: Map > Map Properties)');
  const cols = positiveInteger(root.width) ?? fail(`width ${JSON.stringify(root.width)} is not a positive integer`);
  const rows = positiveInteger(root.height) ?? fail(`height ${JSON.stringify(root.height)} is not a positive integer`);
  const tileSize =
    positiveInteger(root.tilewidth) ?? fail(`tilewidth ${JSON.stringify(root.tilewidth)} is not a positive integer`);
  if (root.tileheight !== tileSize)
    fail(`tiles are ${tileSize} × ${JSON.stringify(root.tileheight)}; they must be square`);
  const width = cols * tileSize;
  const height = rows * tileSize;
  if (width > MAX_SIDE_UNITS || height > MAX_SIDE_UNITS) {
    fail(`is ${width} × ${height} units; each side must be at most ${MAX_SIDE_UNITS}`);
  }

  const colliding = collidingTiles(root.tilesets, fail);
  const layers = Array.isArray(root.layers) ? root.layers.map(asRecord) : fail('has no "layers" array');
  const layer = (layerName: string, type: string) => {
    const found = layers.find((candidate) => candidate?.name === layerName);
    if (found === undefined) return fail(`has no layer named "${layerName}"`);
    if (found.type !== type) fail(`layer "${layerName}" is a ${JSON.stringify(found.type)}, not a ${type}`);
    return found;
  };

  const walls = layer('Walls', 'tilelayer');
  if (walls.width !== cols || walls.height !== rows) {
    fail(
      `layer "Walls" is ${JSON.stringify(walls.width)} × ${JSON.stringify(walls.height)} tiles, the map ${cols} × ${rows}`,
    );
  }
  const cells = layerCells(walls, cols * rows, fail);
  const solid = new Uint8Array(cols * rows);
  for (let i = 0; i < cells.length; i++) {
    const gid = cells[i]! & GID_MASK;
    if (gid === 0) continue;
    const status = colliding.get(gid);
    const where = `layer "Walls" at tile (${i % cols}, ${Math.floor(i / cols)})`;
    if (status === undefined) fail(`${where} holds gid ${gid}, which is in no tileset`);
    if (status === false) fail(`${where} holds gid ${gid}, a tile without the property collides = true`);
    solid[i] = 1;
  }

  const map: GameMap = { name, tileSize, cols, rows, width, height, solid, spawns: [] };
  const spawnLayer = layer('Spawns', 'objectgroup');
  const objects = Array.isArray(spawnLayer.objects)
    ? spawnLayer.objects
    : fail('layer "Spawns" has no "objects" array');
  if (objects.length === 0) fail('layer "Spawns" has no spawn points');
  const spawns = objects.map((object, index) => {
    const record = asRecord(object);
    const x = record?.x;
    const y = record?.y;
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      return fail(`spawn ${index} has no finite x and y`);
    }
    const xQ = toPositionQ(x);
    const yQ = toPositionQ(y);
    if (boxHitsWall(map, xQ, yQ)) {
      fail(
        `spawn ${index} at (${x}, ${y}): a player there (box ±${PLAYER_RADIUS} units) would be in a wall or off the map`,
      );
    }
    return { x: xQ / POSITION_SCALE, y: yQ / POSITION_SCALE };
  });
  return { ...map, spawns };
}

/** gid → whether its tile collides, for every tile of every (embedded) tileset. */
function collidingTiles(tilesets: unknown, fail: (why: string) => never): Map<number, boolean> {
  if (!Array.isArray(tilesets) || tilesets.length === 0) fail('has no tilesets');
  const result = new Map<number, boolean>();
  for (const [index, entry] of (tilesets as unknown[]).entries()) {
    const tileset = asRecord(entry) ?? fail(`tileset ${index} is not an object`);
    const label = `tileset ${JSON.stringify(tileset.name ?? index)}`;
    if (typeof tileset.source === 'string') {
      fail(`${label} is external (${tileset.source}); embed it (Tiled: Map > Embed Tilesets)`);
    }
    const firstGid = positiveInteger(tileset.firstgid) ?? fail(`${label} has no positive integer firstgid`);
    const tileCount = positiveInteger(tileset.tilecount) ?? fail(`${label} has no positive integer tilecount`);
    for (let id = 0; id < tileCount; id++) result.set(firstGid + id, false);
    const tiles = tileset.tiles === undefined ? [] : tileset.tiles;
    if (!Array.isArray(tiles)) fail(`${label}: "tiles" is not an array`);
    for (const tileEntry of tiles as unknown[]) {
      const tile = asRecord(tileEntry);
      const id = tile?.id;
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= tileCount) {
        fail(`${label} describes tile id ${JSON.stringify(id)}, outside 0..${tileCount - 1}`);
      }
      const properties = Array.isArray(tile!.properties) ? tile!.properties : [];
      const collides = properties.some((property) => {
        const p = asRecord(property);
        return p?.name === 'collides' && p.value === true;
      });
      result.set(firstGid + (id as number), collides);
    }
  }
  return result;
}

/** A tile layer's gids: a plain array (Tiled's "CSV" tile layer format, in a JSON map). */
function layerCells(layer: Record<string, unknown>, count: number, fail: (why: string) => never): readonly number[] {
  const label = `layer ${JSON.stringify(layer.name)}`;
  const data = layer.data;
  if (!Array.isArray(data)) {
    return fail(`${label} has no "data" array; save tile layers in the CSV format, not base64 or compressed`);
  }
  if (data.length !== count) fail(`${label} has ${data.length} cells, not ${count}`);
  if (!data.every((gid) => typeof gid === 'number' && Number.isInteger(gid) && gid >= 0 && gid <= 0xffffffff)) {
    fail(`${label} has a cell that is not a gid (an integer 0..4294967295)`);
  }
  return data as number[];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
