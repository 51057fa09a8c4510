// A player's box against a map's walls, in integer quanta: step() sweeps it once per axis per player
// per tick, on the server and in every replayed prediction, so it uses integers only and agrees exactly.
//
// The rule (PROTOCOL.md, "The map"): a player at (x, y) quanta is the box [x − R, x + R) × [y − R, y + R)
// with R = PLAYER_RADIUS × POSITION_SCALE; a wall tile (col, row) is [col·T, (col+1)·T) × [row·T, (row+1)·T)
// with T = tileSize × POSITION_SCALE; everything outside the map is wall. Touching is not overlapping.
// Moving along one axis by d quanta, the box stops at the first wall tile its leading edge would enter,
// touching it; the tiles it already overlaps (only possible if it was put there) never stop it.
import { POSITION_SCALE } from '../quantize.js';
import type { GameMap } from './gameMap.js';

/** Half the side of a player's collision box against walls, in world units (a 24 × 24 box). */
export const PLAYER_RADIUS = 12;

/** Does a player's box centred at (xQ, yQ) quanta overlap a wall tile or leave the map? */
export function boxHitsWall(map: GameMap, xQ: number, yQ: number): boolean {
  const tileQ = map.tileSize * POSITION_SCALE;
  const radiusQ = PLAYER_RADIUS * POSITION_SCALE;
  const col0 = Math.floor((xQ - radiusQ) / tileQ);
  const col1 = Math.floor((xQ + radiusQ - 1) / tileQ);
  const row0 = Math.floor((yQ - radiusQ) / tileQ);
  const row1 = Math.floor((yQ + radiusQ - 1) / tileQ);
  for (let row = row0; row <= row1; row++) {
    for (let col = col0; col <= col1; col++) if (isSolidTile(map, col, row)) return true;
  }
  return false;
}

/** The box at (x, y) moved `dx` quanta along x: x + dx, or where it first touches a wall column ahead. */
export function sweepX(map: GameMap, x: number, y: number, dx: number): number {
  return sweep(map, x, y, dx, true);
}

/** The box at (x, y) moved `dy` quanta along y: y + dy, or where it first touches a wall row ahead. */
export function sweepY(map: GameMap, x: number, y: number, dy: number): number {
  return sweep(map, y, x, dy, false);
}

/**
 * `along` is the moving coordinate, `across` the other one. The lines of tiles ahead (columns when
 * moving along x) are visited nearest first, over the tiles the box spans across; the first line
 * holding a wall stops the box flush against it. Integer division by floor: exact for these integers.
 */
function sweep(map: GameMap, along: number, across: number, delta: number, alongX: boolean): number {
  if (delta === 0) return along;
  const tileQ = map.tileSize * POSITION_SCALE;
  const radiusQ = PLAYER_RADIUS * POSITION_SCALE;
  const first = Math.floor((across - radiusQ) / tileQ);
  const last = Math.floor((across + radiusQ - 1) / tileQ);
  const blocked = (line: number) => {
    for (let other = first; other <= last; other++) {
      if (alongX ? isSolidTile(map, line, other) : isSolidTile(map, other, line)) return true;
    }
    return false;
  };
  if (delta > 0) {
    const end = Math.floor((along + delta + radiusQ - 1) / tileQ);
    for (let line = Math.floor((along + radiusQ - 1) / tileQ) + 1; line <= end; line++) {
      if (blocked(line)) return line * tileQ - radiusQ;
    }
  } else {
    const end = Math.floor((along + delta - radiusQ) / tileQ);
    for (let line = Math.floor((along - radiusQ) / tileQ) - 1; line >= end; line--) {
      if (blocked(line)) return (line + 1) * tileQ + radiusQ;
    }
  }
  return along + delta;
}

/**
 * Is tile (col, row) a wall? Everything outside the map is. Defined here, not in gameMap.ts (which
 * re-exports it), because gameMap.ts imports this module: the one definition needs no import cycle.
 */
export function isSolidTile(map: GameMap, col: number, row: number): boolean {
  if (col < 0 || row < 0 || col >= map.cols || row >= map.rows) return true;
  return map.solid[row * map.cols + col] === 1;
}
