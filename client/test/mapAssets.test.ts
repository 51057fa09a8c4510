// The map files render/mapLayer.ts hands to Phaser agree with each other: the tileset image is the
// size the map's embedded tileset says, and every tile id the layers use is in it. (mapLayer.ts itself
// imports Phaser, which cannot load in a node test.)
import { readFileSync } from 'node:fs';
import { GAME_MAP_TILED } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';

interface Tiled {
  tilewidth: number;
  tilesets: {
    name: string;
    image: string;
    firstgid: number;
    tilecount: number;
    columns: number;
    imagewidth: number;
    imageheight: number;
    tilewidth: number;
  }[];
  layers: { name: string; type: string; data?: number[] }[];
}

const tiled = GAME_MAP_TILED as Tiled;
const png = readFileSync(new URL('../../assets/maps/tiles.png', import.meta.url));

describe('the map files the client ships', () => {
  it('has one embedded tileset "tiles" whose image is tiles.png at the size it states', () => {
    expect(tiled.tilesets).toHaveLength(1);
    const tileset = tiled.tilesets[0]!;
    expect([tileset.name, tileset.image]).toEqual(['tiles', 'tiles.png']);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([tileset.imagewidth, tileset.imageheight]);
    expect(tileset.columns * tileset.tilewidth).toBe(tileset.imagewidth);
    expect(tileset.tilewidth).toBe(tiled.tilewidth);
  });

  it('uses only tile ids of that tileset in the layers mapLayer.ts draws', () => {
    const { firstgid, tilecount } = tiled.tilesets[0]!;
    for (const name of ['Ground', 'Walls']) {
      const layer = tiled.layers.find((l) => l.name === name)!;
      expect(layer.type).toBe('tilelayer');
      expect(layer.data!.every((gid) => gid === 0 || (gid >= firstgid && gid < firstgid + tilecount))).toBe(true);
    }
  });
});
