// The incremental uniform grid (interest/spatialGrid.ts): exact radius queries, O(1) moves that do no
// structural work inside a cell, clamping at the world's edges, hostile arguments, and no allocation per query.
import { describe, expect, it } from 'vitest';
import { IdList } from '../src/interest/idList.js';
import { MAX_GRID_ID, SpatialGrid } from '../src/interest/spatialGrid.js';
import { expectSameAnswers, SpatialModel } from './support/spatialOracle.js';

/** A 1,000 × 1,000 world of 100-unit cells, with the model the oracle compares it to. */
function world(): { grid: SpatialGrid; model: SpatialModel; put: (id: number, x: number, y: number) => void } {
  const grid = new SpatialGrid({ width: 1000, height: 1000, cellSize: 100 });
  const model = new SpatialModel();
  const put = (id: number, x: number, y: number): void => {
    if (grid.has(id)) grid.move(id, x, y);
    else grid.insert(id, x, y);
    model.positions.set(id, { x, y });
  };
  return { grid, model, put };
}

describe('SpatialGrid', () => {
  it('returns the entities within the radius, counting one exactly at the radius and not one just past it', () => {
    const { grid, model, put } = world();
    put(1, 500, 500);
    put(2, 530, 540); // distance 50
    put(3, 500, 650); // distance 150, two cells down
    put(4, 500, 650.000001);
    expect(expectSameAnswers(grid, model, 500, 500, 150)).toEqual([1, 2, 3]);
    expect(expectSameAnswers(grid, model, 500, 500, 50)).toEqual([1, 2]);
    expect(expectSameAnswers(grid, model, 500, 500, 0)).toEqual([1]);
  });

  it('checks the exact distance, so an entity in an overlapped cell corner outside the circle is left out', () => {
    const { grid, model, put } = world();
    put(1, 190, 190); // same 3 × 3 cells as the centre, but 127 units away diagonally
    expect(expectSameAnswers(grid, model, 100, 100, 100)).toEqual([]);
    expect(expectSameAnswers(grid, model, 100, 100, 128)).toEqual([1]);
  });

  it('finds entities across cell borders and at the cell and world edges', () => {
    const { grid, model, put } = world();
    put(1, 100, 100); // a cell corner
    put(2, 99.999, 100);
    put(3, 0, 0);
    put(4, 1000, 1000);
    put(5, 1000, 0);
    for (const [x, y, r] of [
      [100, 100, 0],
      [100, 100, 0.01],
      [0, 0, 142],
      [1000, 1000, 1],
      [999.5, 0.5, 1],
      [500, 500, 708],
    ] as const) {
      expectSameAnswers(grid, model, x, y, r);
    }
  });

  it('keeps positions outside the world in the edge cells and judges them at their true position', () => {
    const { grid, model, put } = world();
    put(1, -50, 500);
    put(2, 1200, 1200);
    put(3, 500, -1e9);
    expect(expectSameAnswers(grid, model, 0, 500, 49)).toEqual([]);
    expect(expectSameAnswers(grid, model, 0, 500, 50)).toEqual([1]);
    expect(expectSameAnswers(grid, model, -60, 500, 10)).toEqual([1]);
    expect(expectSameAnswers(grid, model, 1000, 1000, 283)).toEqual([2]);
    expect(expectSameAnswers(grid, model, 500, 0, 1e9)).toEqual([1, 2, 3]);
    expect(expectSameAnswers(grid, model, 500, -1e9, 1000)).toEqual([3]);
  });

  it('does no structural work when an entity moves inside its cell, and one swap when it changes cell', () => {
    const { grid, model, put } = world();
    put(1, 10, 10);
    put(2, 20, 20);
    put(3, 30, 30);
    for (let step = 1; step <= 60; step++) put(1, 10 + step, 10 + step);
    expect(grid.counters.cellChanges).toBe(0);
    expectSameAnswers(grid, model, 70, 70, 5);
    put(1, 150, 10); // into the next cell: 2 and 3 stay findable after the swap-remove
    expect(grid.counters.cellChanges).toBe(1);
    expect(expectSameAnswers(grid, model, 25, 25, 10)).toEqual([2, 3]);
    expect(expectSameAnswers(grid, model, 150, 10, 1)).toEqual([1]);
  });

  it('forgets a removed entity, answers false for one not in the grid, and takes its id back later', () => {
    const { grid, model, put } = world();
    put(1, 10, 10);
    put(2, 12, 12);
    expect(grid.remove(1)).toBe(true);
    model.positions.delete(1);
    expect(grid.remove(1)).toBe(false);
    expect(grid.remove(77)).toBe(false);
    expect(grid.size).toBe(1);
    expect(expectSameAnswers(grid, model, 10, 10, 5)).toEqual([2]);
    put(1, 900, 900);
    expect(expectSameAnswers(grid, model, 900, 900, 1)).toEqual([1]);
  });

  it('refuses bad ids, a second insert of an id, a move of an absent id and non-finite positions', () => {
    const { grid } = world();
    grid.insert(5, 1, 1);
    expect(() => grid.insert(5, 2, 2)).toThrow(/already/);
    expect(() => grid.move(6, 2, 2)).toThrow(/not in the grid/);
    for (const id of [-1, 1.5, Number.NaN, MAX_GRID_ID + 1]) expect(() => grid.insert(id, 1, 1)).toThrow(RangeError);
    expect(() => grid.insert(7, Number.NaN, 1)).toThrow(RangeError);
    expect(() => grid.move(5, 1, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(grid.has(1.5)).toBe(false);
    expect(grid.has(-1)).toBe(false);
    expect(grid.size).toBe(1);
    expect(() => new SpatialGrid({ width: 0, height: 10, cellSize: 1 })).toThrow(RangeError);
    expect(() => new SpatialGrid({ width: 10, height: 10, cellSize: Number.NaN })).toThrow(RangeError);
    expect(() => new SpatialGrid({ width: 1e9, height: 1e9, cellSize: 1 })).toThrow(/cells/);
  });

  it('finds nothing for a negative or NaN radius or a non-finite centre', () => {
    const { grid, put } = world();
    put(1, 10, 10);
    const out = new IdList();
    for (const [x, y, r] of [
      [10, 10, -1],
      [10, 10, Number.NaN],
      [Number.NaN, 10, 5],
      [10, Number.POSITIVE_INFINITY, 5],
    ] as const) {
      expect(grid.query(x, y, r, out)).toBe(0);
      expect(out.length).toBe(0);
    }
  });

  it('reuses the caller’s list and its own arrays: steady ticks of moves and queries allocate nothing', () => {
    const grid = new SpatialGrid({ width: 16384, height: 16384, cellSize: 1000 });
    const n = 500;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    let seed = 1;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let id = 0; id < n; id++) {
      xs[id] = random() * 16384;
      ys[id] = random() * 16384;
      grid.insert(id, xs[id]!, ys[id]!);
    }
    const out = new IdList();
    const tick = (sign: number): void => {
      for (let id = 0; id < n; id++) {
        xs[id]! += sign * 7;
        grid.move(id, xs[id]!, ys[id]!);
      }
      for (let id = 0; id < n; id++) grid.query(xs[id]!, ys[id]!, 1000, out);
    };
    // Warm-up: out reaches its high-water mark; one step right and back visits every cell an entity uses.
    tick(1);
    tick(-1);
    const ids = out.ids;
    const growths = out.growths;
    const allocations = grid.counters.allocations;
    for (let t = 0; t < 40; t++) tick(t % 2 === 0 ? 1 : -1);
    expect(out.ids).toBe(ids);
    expect(out.growths).toBe(growths);
    expect(grid.counters.allocations).toBe(allocations);
  });
});
