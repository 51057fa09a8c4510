// The world under the players, drawn once per join when WELCOME arrives: the game map's tile layers
// (render/mapLayer.ts) for the game scenario, a grid for the arena (no map file, only its size).
import { GAME_MAP_HASH, type WelcomeMessage } from '@tickwire/protocol';
import type Phaser from 'phaser';
import { createMapLayer } from '../render/mapLayer.js';

const GRID_STEP = 128;

export interface WorldView {
  width: number;
  height: number;
}

export function drawWorld(scene: Phaser.Scene, welcome: WelcomeMessage): WorldView {
  const width = welcome.worldWidth;
  const height = welcome.worldHeight;
  if (welcome.mapHash === GAME_MAP_HASH) {
    createMapLayer(scene);
  } else {
    const grid = scene.add.graphics();
    grid.lineStyle(1, 0x263044, 1);
    for (let x = 0; x <= width; x += GRID_STEP) grid.lineBetween(x, 0, x, height);
    for (let y = 0; y <= height; y += GRID_STEP) grid.lineBetween(0, y, width, y);
    grid.lineStyle(3, 0x5b6b8c, 1).strokeRect(0, 0, width, height);
  }
  // The camera stops at the world's edges (a world smaller than the window is centred).
  scene.cameras.main.setBounds(0, 0, width, height);
  return { width, height };
}
