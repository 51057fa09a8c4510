// The spatial index's invariant as a helper every grid test calls (STYLE 12): a query answers exactly what
// a brute-force scan of the same entities answers, and so does the rebuilt quadtree baseline.
import { expect } from 'vitest';
import { IdList } from '../../src/interest/idList.js';
import { bruteForceQuery, type PointSet, RebuiltQuadtree } from '../../src/interest/spatialBaselines.js';
import type { SpatialGrid } from '../../src/interest/spatialGrid.js';

/** What the grid should hold: id → position, kept beside it by the test. */
export class SpatialModel {
  readonly positions = new Map<number, { x: number; y: number }>();

  points(): PointSet {
    const entries = [...this.positions];
    return {
      ids: entries.map(([id]) => id),
      xs: entries.map(([, p]) => p.x),
      ys: entries.map(([, p]) => p.y),
      count: entries.length,
    };
  }
}

const gridOut = new IdList(4);
const oracleOut = new IdList(4);
const quadOut = new IdList(4);
const quadtree = new RebuiltQuadtree();

function sorted(list: IdList): number[] {
  return list.toArray().sort((a, b) => a - b);
}

/** Query grid, brute force and a freshly built quadtree at (x, y, radius); all three must agree. */
export function expectSameAnswers(
  grid: SpatialGrid,
  model: SpatialModel,
  x: number,
  y: number,
  radius: number,
): number[] {
  const points = model.points();
  const count = grid.query(x, y, radius, gridOut);
  expect(count).toBe(gridOut.length);
  bruteForceQuery(points, x, y, radius, oracleOut);
  const expected = sorted(oracleOut);
  const context = `query (${x}, ${y}) r ${radius} over ${points.count} entities`;
  expect(sorted(gridOut), context).toEqual(expected);
  quadtree.build(points);
  quadtree.query(x, y, radius, quadOut);
  expect(sorted(quadOut), `quadtree ${context}`).toEqual(expected);
  return expected;
}
