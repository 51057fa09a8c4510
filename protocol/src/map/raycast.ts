// Segments against a map's walls, in world units: how far a shot or a line of sight gets. Runs per
// hitscan shot, per projectile per tick and per bot line-of-sight check; visits only the tiles crossed.
//
// The rule: the walls are the interior of the union of the wall tiles (closed squares) and of
// everything outside the map. A segment is stopped where it first enters that interior, so
//   - a segment that grazes a wall's face, or runs along it, is not stopped;
//   - one that runs along the seam between two wall tiles is (the seam is inside the wall);
//   - one through a corner point shared only by two diagonal wall tiles passes between them;
//   - one that starts inside a wall, or on its face heading in, is stopped at once (0).
// Tile crossings are computed from the start point each time (never accumulated), and two crossings
// are ordered by a cross-multiplied comparison: exact for segments between points on the position
// grid, so a segment through a tile corner is seen to cross both lines there at once.
import { type GameMap, isSolidTile } from './gameMap.js';

/**
 * The fraction t in [0, 1] of the segment (x0, y0) → (x1, y1), in world units, travelled before it
 * enters a wall: 1 when it reaches (x1, y1) (ending flush against a wall included), 0 when it starts in one.
 */
export function raycastWalls(map: GameMap, x0: number, y0: number, x1: number, y1: number): number {
  const tile = map.tileSize;
  const dx = x1 - x0;
  const dy = y1 - y0;
  if (dx === 0 && dy === 0) return pointInWall(map, x0, y0) ? 0 : 1;
  // A segment on a grid line runs between two lines of tiles: it is in the wall only where both are.
  if (dy === 0 && isGridLine(y0, tile)) return alongGridLine(map, x0, dx, tileIndex(y0, tile, 1), true);
  if (dx === 0 && isGridLine(x0, tile)) return alongGridLine(map, y0, dy, tileIndex(x0, tile, 1), false);

  const stepX = Math.sign(dx);
  const stepY = Math.sign(dy);
  // The tile the segment is in just after t = 0 (on a grid line, the one it heads into).
  let col = tileIndex(x0, tile, stepX);
  let row = tileIndex(y0, tile, stepY);
  if (isSolidTile(map, col, row)) return 0;
  const absDx = Math.abs(dx);
  const absDy = Math.abs(dy);
  for (;;) {
    // Distances from the start to the next vertical and horizontal grid lines ahead.
    const distX = stepX === 0 ? 0 : Math.abs((stepX > 0 ? col + 1 : col) * tile - x0);
    const distY = stepY === 0 ? 0 : Math.abs((stepY > 0 ? row + 1 : row) * tile - y0);
    // Which comes first: distX / absDx against distY / absDy, compared without dividing.
    const order = stepX === 0 ? 1 : stepY === 0 ? -1 : Math.sign(distX * absDy - distY * absDx);
    let t: number;
    if (order < 0) {
      t = distX / absDx;
      col += stepX;
    } else if (order > 0) {
      t = distY / absDy;
      row += stepY;
    } else {
      // Through a tile corner: straight into the diagonal tile, between the two beside it.
      t = distX / absDx;
      col += stepX;
      row += stepY;
    }
    if (t >= 1) return 1;
    if (isSolidTile(map, col, row)) return t;
  }
}

/**
 * Along the grid line between tile lines `line − 1` and `line` (rows when the segment is horizontal):
 * stopped in the first tile span where both sides are wall.
 */
function alongGridLine(map: GameMap, from: number, delta: number, line: number, horizontal: boolean): number {
  const tile = map.tileSize;
  const walled = (index: number) =>
    horizontal
      ? isSolidTile(map, index, line - 1) && isSolidTile(map, index, line)
      : isSolidTile(map, line - 1, index) && isSolidTile(map, line, index);
  const step = Math.sign(delta);
  let index = tileIndex(from, tile, step);
  if (walled(index)) return 0;
  for (;;) {
    const t = Math.abs((step > 0 ? index + 1 : index) * tile - from) / Math.abs(delta);
    if (t >= 1) return 1;
    index += step;
    if (walled(index)) return t;
  }
}

/** Is the point inside the walls (every tile whose closed square holds it is a wall)? */
function pointInWall(map: GameMap, x: number, y: number): boolean {
  const tile = map.tileSize;
  const col = tileIndex(x, tile, 1);
  const row = tileIndex(y, tile, 1);
  const cols = isGridLine(x, tile) ? [col - 1, col] : [col];
  const rows = isGridLine(y, tile) ? [row - 1, row] : [row];
  return cols.every((c) => rows.every((r) => isSolidTile(map, c, r)));
}

/**
 * The tile index along one axis of a point at `v` moving in direction `step`: the tile it is in, or,
 * on a grid line while moving backwards, the tile behind the line. Checked by exact products, since
 * v / tile may round onto (or off) a whole number.
 */
function tileIndex(v: number, tile: number, step: number): number {
  let index = Math.floor(v / tile);
  if (index * tile > v) index--;
  else if ((index + 1) * tile <= v) index++;
  return step < 0 && index * tile === v ? index - 1 : index;
}

function isGridLine(v: number, tile: number): boolean {
  return tileIndex(v, tile, 1) * tile === v;
}
