// The game map drawn with Phaser's tilemap API: preloadMap() once per page (in the boot scene's
// preload), createMapLayer() once per scene that shows the map. Draws what the server collides with:
// the same file (assets/maps/arena.json, bundled through the protocol package, which parsed it for
// step()) and its tileset image (assets/maps/tiles.png, emitted by vite as an asset).
// Imports Phaser, so no unit test imports this file.
import { GAME_MAP_TILED } from '@tickwire/protocol';
import Phaser from 'phaser';
import tilesUrl from '../../../../assets/maps/tiles.png';

/** Cache key of the map data (Phaser's tilemap cache). */
export const MAP_KEY = 'game-map';
/** Texture key of the tileset image. */
export const TILES_KEY = 'game-tiles';
/** The tileset's name as written in the map file. */
const TILESET_NAME = 'tiles';
/** Tile layers drawn, bottom first: the floor (looks only), then the walls step() collides with. */
const LAYERS = ['Ground', 'Walls'] as const;

/** Queue the map's data and tileset image on the scene's loader (call from preload). */
export function preloadMap(scene: Phaser.Scene): void {
  // The JSON is already in the bundle: hand the parsed object to the loader (Phaser deep-copies it).
  scene.load.tilemapTiledJSON(MAP_KEY, GAME_MAP_TILED as object);
  scene.load.image(TILES_KEY, tilesUrl);
}

export interface MapLayers {
  map: Phaser.Tilemaps.Tilemap;
  ground: Phaser.Tilemaps.TilemapLayer;
  walls: Phaser.Tilemaps.TilemapLayer;
}

/**
 * Draw the map at the world's origin (1 tile pixel = 1 world unit, as positions are), under
 * everything else at `depth`. Throws if the map file and this renderer disagree on names.
 */
export function createMapLayer(scene: Phaser.Scene, depth = -10): MapLayers {
  const map = scene.make.tilemap({ key: MAP_KEY });
  const tileset = map.addTilesetImage(TILESET_NAME, TILES_KEY);
  if (tileset === null) throw new Error(`map: no tileset "${TILESET_NAME}", or texture "${TILES_KEY}" not loaded`);
  // Pixel tiles: sample the nearest texel, so zoomed tiles stay crisp and no neighbour bleeds into a seam.
  scene.textures.get(TILES_KEY).setFilter(Phaser.Textures.FilterMode.NEAREST);
  const [ground, walls] = LAYERS.map((name) => {
    const layer = map.createLayer(name, tileset, 0, 0);
    // createLayer returns null for a missing layer, although its types say otherwise.
    if (!(layer instanceof Phaser.Tilemaps.TilemapLayer)) throw new Error(`map: no tile layer "${name}"`);
    return layer.setDepth(depth);
  }) as [Phaser.Tilemaps.TilemapLayer, Phaser.Tilemaps.TilemapLayer];
  return { map, ground, walls };
}
