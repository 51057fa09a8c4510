// Bench: the incremental uniform grid (server/src/interest/spatialGrid.ts) against a quadtree rebuilt every
// tick and a brute-force scan, in one process and one run. Run by hand (npm run bench:grid); prints one
// line per figure: µs per tick for each index (update + one query per entity), and what the queries found.
//
//   npm run bench:grid -- [--counts 400,2000,4000] [--ticks 300] [--warmup 30] [--radius 1000] [--cell 1000] [--world 16384]
//
// World: --world² units, no walls; N entities spawned uniformly from mulberry32 (seed 1) and moved
// exactly like arena bots (docs/scenarios.md): entity i follows ArenaSchedule(i), 200 units/s through the
// shared step() on the 1/16-unit grid, clamped at the edges. Each tick: the simulation moves everyone
// (not timed), then each index, in an order that rotates every tick, is timed doing what interest
// management needs: bring the index up to date (grid: move every entity; quadtree: rebuild; brute force:
// nothing) and answer one radius query centred on every entity. The three answers are compared count by
// count, so a faster index that answers wrong stops the run.
import { parseArgs } from 'node:util';
import {
  ArenaSchedule,
  ArenaSpawner,
  fromPositionQ,
  type MovementRules,
  type PlayerState,
  step,
  toPositionQ,
} from '@tickwire/protocol';
import { IdList } from '../server/src/interest/idList.js';
import { bruteForceQuery, type PointSet, RebuiltQuadtree } from '../server/src/interest/spatialBaselines.js';
import { SpatialGrid } from '../server/src/interest/spatialGrid.js';
import { machine } from './support.js';

const { values } = parseArgs({
  options: {
    counts: { type: 'string', default: '400,2000,4000' },
    ticks: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
    radius: { type: 'string', default: '1000' },
    cell: { type: 'string' },
    world: { type: 'string', default: '16384' },
  },
});
const counts = values.counts.split(',').map(Number);
const ticks = Number(values.ticks);
const warmupTicks = Number(values.warmup);
const radius = Number(values.radius);
const cellSize = Number(values.cell ?? values.radius);
const worldSize = Number(values.world);
const TICK_HZ = 30;
const TICK_MS = 1000 / TICK_HZ;
const rules: MovementRules = { width: worldSize, height: worldSize, speed: 200 };

interface Phase {
  /** Per measured tick: µs bringing the index up to date, µs answering the N queries. */
  update: number[];
  queries: number[];
  found: number;
}

function newPhase(): Phase {
  return { update: [], queries: [], found: 0 };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function run(n: number): void {
  const spawner = new ArenaSpawner(1);
  const schedules = Array.from({ length: n }, (_, i) => new ArenaSchedule(i));
  const states: PlayerState[] = Array.from({ length: n }, () => {
    const spawn = spawner.next(rules);
    return { x: toPositionQ(spawn.x), y: toPositionQ(spawn.y), vx: 0, vy: 0, angle: 0 };
  });
  const ids = Int32Array.from({ length: n }, (_, i) => i + 1);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const points: PointSet = { ids, xs, ys, count: n };
  const writePositions = (): void => {
    for (let i = 0; i < n; i++) {
      xs[i] = fromPositionQ(states[i]!.x);
      ys[i] = fromPositionQ(states[i]!.y);
    }
  };
  writePositions();

  const grid = new SpatialGrid({ width: worldSize, height: worldSize, cellSize });
  for (let i = 0; i < n; i++) grid.insert(ids[i]!, xs[i]!, ys[i]!);
  const quadtree = new RebuiltQuadtree();
  const out = new IdList();
  const phases = { grid: newPhase(), quadtree: newPhase(), brute: newPhase() };

  const timeGrid = (record: boolean): number => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) grid.move(ids[i]!, xs[i]!, ys[i]!);
    const t1 = performance.now();
    let found = 0;
    for (let i = 0; i < n; i++) found += grid.query(xs[i]!, ys[i]!, radius, out);
    const t2 = performance.now();
    if (record) push(phases.grid, t0, t1, t2, found);
    return found;
  };
  const timeQuadtree = (record: boolean): number => {
    const t0 = performance.now();
    quadtree.build(points);
    const t1 = performance.now();
    let found = 0;
    for (let i = 0; i < n; i++) found += quadtree.query(xs[i]!, ys[i]!, radius, out);
    const t2 = performance.now();
    if (record) push(phases.quadtree, t0, t1, t2, found);
    return found;
  };
  const timeBrute = (record: boolean): number => {
    const t0 = performance.now();
    let found = 0;
    for (let i = 0; i < n; i++) found += bruteForceQuery(points, xs[i]!, ys[i]!, radius, out);
    const t2 = performance.now();
    if (record) push(phases.brute, t0, t0, t2, found);
    return found;
  };
  const orders = [
    [timeGrid, timeQuadtree, timeBrute],
    [timeQuadtree, timeBrute, timeGrid],
    [timeBrute, timeGrid, timeQuadtree],
  ];

  let cellChangesAtStart = 0;
  for (let tick = 1; tick <= warmupTicks + ticks; tick++) {
    const elapsedMs = tick * TICK_MS;
    for (let i = 0; i < n; i++) {
      const [moveX, moveY] = schedules[i]!.directionAt(elapsedMs);
      states[i] = step(states[i]!, { moveX, moveY }, 1 / TICK_HZ, rules);
    }
    writePositions();
    const record = tick > warmupTicks;
    if (tick === warmupTicks + 1) cellChangesAtStart = grid.counters.cellChanges;
    const answers = orders[tick % orders.length]!.map((time) => time(record));
    if (answers.some((a) => a !== answers[0])) {
      throw new Error(`tick ${tick}, N=${n}: the indexes disagree (found ${answers.join(' / ')})`);
    }
  }

  const label = `world-${n} r=${radius} cell=${cellSize}`;
  const perTick = (p: Phase): number[] => p.update.map((u, i) => u + p.queries[i]!);
  const line = (name: string, p: Phase, updateName?: string): number => {
    const total = perTick(p);
    const update = updateName === undefined ? '' : `${updateName} ${mean(p.update).toFixed(0)} + `;
    console.log(
      `${label}: ${name} ${mean(total).toFixed(0)} µs/tick (${update}${n} queries ${mean(p.queries).toFixed(0)}), ` +
        `p50 ${median(total).toFixed(0)}`,
    );
    return mean(total);
  };
  const gridMean = line('grid', phases.grid, 'update');
  const quadMean = line('quadtree rebuilt per tick', phases.quadtree, 'build');
  const bruteMean = line('brute force', phases.brute);
  console.log(
    `${label}: grid ${(quadMean / gridMean).toFixed(1)}× faster than the rebuilt quadtree, ` +
      `${(bruteMean / gridMean).toFixed(1)}× faster than brute force (means)`,
  );
  console.log(
    `${label}: ${(phases.grid.found / ticks / n).toFixed(1)} entities found per query (itself included); ` +
      `${((100 * (grid.counters.cellChanges - cellChangesAtStart)) / ticks / n).toFixed(2)} % of entities change cell per tick`,
  );
}

function push(phase: Phase, t0: number, t1: number, t2: number, found: number): void {
  phase.update.push((t1 - t0) * 1000);
  phase.queries.push((t2 - t1) * 1000);
  phase.found += found;
}

console.log(`machine: ${machine()}`);
console.log(
  `world ${worldSize}² units, radius ${radius}, cell ${cellSize}, ${ticks} ticks measured after ${warmupTicks} of warm-up, ` +
    'arena-bot movement at 200 units/s, one query per entity per tick',
);
for (const n of counts) run(n);
