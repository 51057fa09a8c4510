// raycastWalls: where a segment first enters a wall, exactly, at faces, seams and corners; and against
// a brute-force reference (each wall tile's open square, clipped) on random maps and segments.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GameMap } from '../../src/map/gameMap.js';
import { raycastWalls } from '../../src/map/raycast.js';
import { gridMap, mapOf } from './tiledMaps.js';

// Tiles are 32 units. Tile (3, 2) is the square [96, 128] × [64, 96]; tiles (5, 4) and (6, 4) make
// [160, 224] × [128, 160], with a seam at x = 192.
// biome-ignore format: a drawing of the map
const ROOM = mapOf([
  '##########',
  '#S.......#',
  '#..#.....#',
  '#........#',
  '#....##..#',
  '#........#',
  '##########',
]);
// Tiles (2, 2) and (3, 3) meet only at their corner (96, 96).
// biome-ignore format: a drawing of the map
const DIAGONAL = mapOf([
  '######',
  '#S...#',
  '#.#..#',
  '#..#.#',
  '#....#',
  '######',
]);
// No border: the map's edge is the wall.
const OPEN = mapOf(['S..', '...']);

describe('raycastWalls on the axis', () => {
  it('is 1 for a segment that meets no wall', () => {
    expect(raycastWalls(ROOM, 48, 48, 80, 48)).toBe(1);
  });
  it("stops where the segment enters a wall's face", () => {
    expect(raycastWalls(ROOM, 48, 80, 200, 80)).toBe(48 / 152);
    expect(raycastWalls(ROOM, 200, 80, 48, 80)).toBe(72 / 152);
    expect(raycastWalls(ROOM, 112, 40, 112, 200)).toBe(24 / 160);
  });
  it('is 1 for a segment that ends flush against a wall, and stops one that ends just inside', () => {
    expect(raycastWalls(ROOM, 48, 80, 96, 80)).toBe(1);
    expect(raycastWalls(ROOM, 48, 80, 96.5, 80)).toBe(48 / 48.5);
  });
  it('is 0 from inside a wall, or from its face heading in; 1 from its face heading out', () => {
    expect(raycastWalls(ROOM, 100, 80, 48, 80)).toBe(0);
    expect(raycastWalls(ROOM, 128, 80, 100, 80)).toBe(0);
    expect(raycastWalls(ROOM, 128, 80, 200, 80)).toBe(1);
    expect(raycastWalls(ROOM, 96, 80, 48, 80)).toBe(1);
  });
  it("grazes a wall's face: running along it is not entering it", () => {
    expect(raycastWalls(ROOM, 48, 64, 200, 64)).toBe(1); // along the top face of (3, 2)
    expect(raycastWalls(ROOM, 48, 96, 200, 96)).toBe(1); // along its bottom face
    expect(raycastWalls(ROOM, 160, 100, 160, 180)).toBe(1); // down the west face of (5, 4)
    expect(raycastWalls(ROOM, 224, 180, 224, 100)).toBe(1); // up the east face of (6, 4)
  });
  it('stops on the seam between two wall tiles: the seam is inside the wall', () => {
    expect(raycastWalls(ROOM, 192, 100, 192, 180)).toBe(28 / 80);
    expect(raycastWalls(ROOM, 192, 140, 192, 180)).toBe(0);
  });
  it('runs along the edge of an open map and stops where the map ends', () => {
    expect(raycastWalls(OPEN, 16, 16, 200, 16)).toBe(80 / 184);
    expect(raycastWalls(OPEN, 0, 10, 0, 50)).toBe(1); // along the west edge, inside
    expect(raycastWalls(OPEN, 10, 0, 200, 0)).toBe(86 / 190); // along the north edge up to the corner
    expect(raycastWalls(OPEN, 10, 30, 10, 64)).toBe(1); // ends on the south edge
    expect(raycastWalls(OPEN, 10, 64, 10, 30)).toBe(1); // starts on it, heading in
    expect(raycastWalls(OPEN, 10, 64, 10, 100)).toBe(0); // starts on it, heading out
    expect(raycastWalls(OPEN, -5, 16, 50, 16)).toBe(0); // starts outside
  });
});

describe('raycastWalls at corners', () => {
  it('enters a wall through its corner', () => {
    expect(raycastWalls(ROOM, 64, 32, 128, 96)).toBe(0.5);
  });
  it('passes a corner it only touches', () => {
    expect(raycastWalls(ROOM, 64, 96, 128, 32)).toBe(1); // touches (96, 64), the top-left of (3, 2)
    expect(raycastWalls(ROOM, 80, 48, 112, 64)).toBe(1); // ends on the top face of (3, 2)
    expect(raycastWalls(ROOM, 224, 176, 256, 144)).toBe(1); // from the bottom-right corner of (6, 4) outwards
  });
  it('passes between two walls that meet only at a corner, and stops in either one', () => {
    expect(raycastWalls(DIAGONAL, 80, 112, 112, 80)).toBe(1);
    expect(raycastWalls(DIAGONAL, 112, 80, 80, 112)).toBe(1);
    expect(raycastWalls(DIAGONAL, 88, 56, 104, 136)).toBe(8 / 80); // into (2, 2) through its top face
    expect(raycastWalls(DIAGONAL, 56, 56, 136, 136)).toBe(0.1); // into (2, 2) at (64, 64)
  });
  it('is exact for a shallow segment that crosses many tiles', () => {
    // From (40, 40) to (296, 72), slope 1/8: over the wall (3, 2) in row 1 (y is 47 to 51 there), into
    // row 2 at x = 232, and on to the east border at x = 288.
    expect(raycastWalls(ROOM, 40, 40, 296, 72)).toBe(248 / 256);
  });
});

describe('raycastWalls on a point', () => {
  it('is 0 inside a wall or on a seam between walls, 1 on the floor or on a face', () => {
    expect(raycastWalls(ROOM, 100, 70, 100, 70)).toBe(0);
    expect(raycastWalls(ROOM, 192, 140, 192, 140)).toBe(0);
    expect(raycastWalls(ROOM, 48, 48, 48, 48)).toBe(1);
    expect(raycastWalls(ROOM, 96, 80, 96, 80)).toBe(1);
    expect(raycastWalls(ROOM, 96, 64, 96, 64)).toBe(1);
  });
});

/**
 * The reference: the smallest t at which the segment is strictly inside one wall tile's square or
 * strictly outside the map (Liang–Barsky on each), 1 if none. It differs from the real rule only
 * along seams (a segment on a grid line between two walls), which the properties leave out.
 */
function referenceRaycast(map: GameMap, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  let best = 1;
  // The open interval of t in [0, 1] over which min < p(t) < max along one axis.
  const slab = (p0: number, d: number, min: number, max: number): [number, number] => {
    if (d === 0) return p0 > min && p0 < max ? [0, 1] : [1, 0];
    const a = (min - p0) / d;
    const b = (max - p0) / d;
    return [Math.max(0, Math.min(a, b)), Math.min(1, Math.max(a, b))];
  };
  const T = map.tileSize;
  for (let row = 0; row < map.rows; row++) {
    for (let col = 0; col < map.cols; col++) {
      if (map.solid[row * map.cols + col] !== 1) continue;
      const [ax, bx] = slab(x0, dx, col * T, (col + 1) * T);
      const [ay, by] = slab(y0, dy, row * T, (row + 1) * T);
      const enter = Math.max(ax, ay);
      if (enter < Math.min(bx, by)) best = Math.min(best, enter);
    }
  }
  // Leaving the map: the first t where x or y passes an edge.
  for (const [p0, d, max] of [
    [x0, dx, map.width],
    [y0, dy, map.height],
  ] as const) {
    if (d > 0 && p0 + d > max) best = Math.min(best, (max - p0) / d);
    if (d < 0 && p0 + d < 0) best = Math.min(best, -p0 / d);
  }
  return best;
}

describe('raycastWalls against the reference (properties)', () => {
  // A value strictly inside (min, max) with 30 random bits: off the grid lines, so the segments go
  // everywhere, crossing tile corners almost never exactly (the next test covers exact corners).
  const coordinate = (min: number, max: number) =>
    fc.integer({ min: 0, max: 2 ** 30 - 1 }).map((n) => min + ((max - min) * (n + 0.5)) / 2 ** 30);
  const drawing = (cols: number, rows: number) =>
    fc
      .array(fc.boolean(), { minLength: cols * rows, maxLength: cols * rows })
      .map((walls) =>
        Array.from({ length: rows }, (_, r) =>
          Array.from({ length: cols }, (_, c) => (r === 0 && c === 0 ? 'S' : walls[r * cols + c] ? '#' : '.')).join(''),
        ),
      );
  const world = fc
    .record({ cols: fc.integer({ min: 2, max: 12 }), rows: fc.integer({ min: 2, max: 12 }) })
    .chain(({ cols, rows }) =>
      fc.record({
        map: drawing(cols, rows).map((rowsDrawn) => gridMap(rowsDrawn, 16)),
        x0: coordinate(0, cols * 16),
        y0: coordinate(0, rows * 16),
        x1: coordinate(-20, cols * 16 + 20),
        y1: coordinate(-20, rows * 16 + 20),
      }),
    );

  it('agrees with the reference on random maps and segments', () => {
    fc.assert(
      fc.property(world, ({ map, x0, y0, x1, y1 }) => {
        // Along a grid line the seams count as wall, which the tile-by-tile reference cannot see.
        fc.pre(!(x0 === x1 && x0 % map.tileSize === 0) && !(y0 === y1 && y0 % map.tileSize === 0));
        // Within rounding of a tile corner, which side the segment passes on is decided by rounded
        // products (exact only for grid coordinates, the next test), and so is the reference's answer.
        fc.pre(distanceToNearestCorner(map, x0, y0, x1, y1) > 1e-6);
        const t = raycastWalls(map, x0, y0, x1, y1);
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(1);
        expect(Math.abs(t - referenceRaycast(map, x0, y0, x1, y1))).toBeLessThan(1e-9);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees exactly with the reference between points of the 1/16 grid, through corners and from faces', () => {
    const onGrid = (max: number) => fc.integer({ min: 0, max: max * 16 }).map((q) => q / 16);
    const gridWorld = fc
      .record({ cols: fc.integer({ min: 2, max: 8 }), rows: fc.integer({ min: 2, max: 8 }) })
      .chain(({ cols, rows }) =>
        fc.record({
          map: drawing(cols, rows).map((rowsDrawn) => gridMap(rowsDrawn, 2)),
          x0: onGrid(cols * 2),
          y0: onGrid(rows * 2),
          x1: onGrid(cols * 2),
          y1: onGrid(rows * 2),
        }),
      );
    fc.assert(
      fc.property(gridWorld, ({ map, x0, y0, x1, y1 }) => {
        fc.pre(x0 !== x1 && y0 !== y1); // off the axes: never along a seam
        expect(raycastWalls(map, x0, y0, x1, y1)).toBe(referenceRaycast(map, x0, y0, x1, y1));
      }),
      { numRuns: 3000 },
    );
  });
});

/** The distance from the segment to the nearest tile corner of the map (corners on its edges included). */
function distanceToNearestCorner(map: GameMap, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const length2 = dx * dx + dy * dy;
  let nearest = Number.POSITIVE_INFINITY;
  for (let row = 0; row <= map.rows; row++) {
    for (let col = 0; col <= map.cols; col++) {
      const px = col * map.tileSize;
      const py = row * map.tileSize;
      const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / length2));
      nearest = Math.min(nearest, Math.hypot(x0 + t * dx - px, y0 + t * dy - py));
    }
  }
  return nearest;
}
