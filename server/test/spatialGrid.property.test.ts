// The grid's contract under random histories (fast-check): after any sequence of inserts, small moves,
// teleports (in and out of the world) and removes, every query equals the brute-force answer, for
// random centres and radii and for centres and radii that sit on cell and world edges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpatialGrid } from '../src/interest/spatialGrid.js';
import { expectSameAnswers, SpatialModel } from './support/spatialOracle.js';

interface World {
  width: number;
  height: number;
  cellSize: number;
}

/** Worlds of 1 to 64 cells a side (a cell bigger than the world included), whole or fractional cell sizes. */
const worldArb: fc.Arbitrary<World> = fc
  .record({
    width: fc.integer({ min: 1, max: 5000 }),
    height: fc.integer({ min: 1, max: 5000 }),
    cellsAcross: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.double({ min: 0.5, max: 64, noNaN: true })),
    whole: fc.boolean(),
  })
  .map(({ width, height, cellsAcross, whole }) => {
    const size = Math.max(width, height) / cellsAcross;
    return { width, height, cellSize: whole ? Math.max(1, Math.round(size)) : size };
  });

/** A coordinate on one axis: anywhere near the world, on a cell edge, just either side of one, or a world edge. */
function coordinate(extent: number, cellSize: number): fc.Arbitrary<number> {
  const edges = Math.ceil(extent / cellSize) + 1;
  return fc.oneof(
    fc.double({ min: -0.2 * extent - 10, max: 1.2 * extent + 10, noNaN: true }),
    fc.integer({ min: 0, max: edges }).map((k) => k * cellSize),
    fc
      .tuple(fc.integer({ min: 0, max: edges }), fc.constantFrom(-1e-9, 1e-9))
      .map(([k, nudge]) => k * cellSize + nudge),
    fc.constantFrom(0, extent),
  );
}

type Op =
  | { kind: 'insert'; id: number; x: number; y: number }
  | { kind: 'step'; pick: number; dx: number; dy: number }
  | { kind: 'teleport'; pick: number; x: number; y: number }
  | { kind: 'remove'; pick: number }
  | { kind: 'query'; x: number; y: number; radius: number; towards: number };

function opArb(w: World): fc.Arbitrary<Op> {
  const x = coordinate(w.width, w.cellSize);
  const y = coordinate(w.height, w.cellSize);
  const step = fc.double({ min: -w.cellSize, max: w.cellSize, noNaN: true });
  const radius = fc.oneof(
    fc.constant(0),
    fc.double({ min: 0, max: 1.5 * Math.max(w.width, w.height), noNaN: true }),
    fc.integer({ min: 1, max: 3 }).map((k) => k * w.cellSize),
    // Negative: "nearest entity's distance" below, so the circle passes exactly through an entity.
    fc.constant(-1),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), id: fc.nat(40), x, y }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('step' as const), pick: fc.nat(), dx: step, dy: step }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('teleport' as const), pick: fc.nat(), x, y }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }) },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('query' as const), x, y, radius, towards: fc.nat() }),
    },
  );
}

const historyArb = worldArb.chain((w) => fc.tuple(fc.constant(w), fc.array(opArb(w), { maxLength: 80 })));

describe('SpatialGrid (property)', () => {
  it('answers every query exactly as a brute-force scan does, after any history of inserts, moves and removes', () => {
    fc.assert(
      fc.property(historyArb, ([w, ops]) => {
        const grid = new SpatialGrid(w);
        const model = new SpatialModel();
        const pick = (n: number): number | undefined => [...model.positions.keys()][n % model.positions.size];
        for (const op of ops) {
          if (op.kind === 'insert') {
            if (grid.has(op.id)) {
              expect(() => grid.insert(op.id, op.x, op.y)).toThrow();
              continue;
            }
            grid.insert(op.id, op.x, op.y);
            model.positions.set(op.id, { x: op.x, y: op.y });
          } else if (op.kind === 'query') {
            let radius = op.radius;
            if (radius < 0) {
              const target = pick(op.towards);
              if (target === undefined) continue;
              const p = model.positions.get(target)!;
              radius = Math.hypot(p.x - op.x, p.y - op.y);
            }
            expectSameAnswers(grid, model, op.x, op.y, radius);
          } else {
            const id = pick(op.pick);
            if (id === undefined) continue;
            const p = model.positions.get(id)!;
            if (op.kind === 'remove') {
              expect(grid.remove(id)).toBe(true);
              model.positions.delete(id);
            } else {
              const to = op.kind === 'step' ? { x: p.x + op.dx, y: p.y + op.dy } : { x: op.x, y: op.y };
              grid.move(id, to.x, to.y);
              model.positions.set(id, to);
            }
          }
          expect(grid.size).toBe(model.positions.size);
        }
        // And after the whole history: centred on every entity and on the four world corners.
        for (const p of model.positions.values()) expectSameAnswers(grid, model, p.x, p.y, w.cellSize);
        for (const [cx, cy] of [
          [0, 0],
          [w.width, 0],
          [0, w.height],
          [w.width, w.height],
        ] as const) {
          expectSameAnswers(grid, model, cx, cy, w.cellSize * 1.5);
        }
      }),
      { numRuns: 300 },
    );
  });
});
