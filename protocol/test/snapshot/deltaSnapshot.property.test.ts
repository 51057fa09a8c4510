// Property: after every applied snapshot a client's world equals the server's at that tick, field
// for field, over random histories; and a client whose predictions disagree with the server's is caught.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_POSITION_Q } from '../../src/quantize.js';
import { ENTITY_FIELDS, type EntityFieldName } from '../../src/snapshot/entityFields.js';
import { PREDICTORS, type Predictor } from '../../src/snapshot/predict.js';
import { type HistoryParams, type HistoryReport, runHistory } from './deltaModel.js';

const historyParams: fc.Arbitrary<HistoryParams> = fc.record({
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
  ticks: fc.integer({ min: 8, max: 40 }),
  maxEntities: fc.integer({ min: 1, max: 200 }),
  ringSize: fc.integer({ min: 2, max: 8 }),
  clients: fc.integer({ min: 1, max: 3 }),
  // Up to the world scenario's edge: positions past 65,535 quanta take a wider integer on the wire.
  worldMax: fc.oneof(
    fc.integer({ min: 0, max: 400 }),
    fc.integer({ min: 400, max: 65535 }),
    fc.integer({ min: 65535, max: MAX_POSITION_Q }),
  ),
  spawnChance: fc.double({ min: 0, max: 0.5, noNaN: true }),
  despawnChance: fc.double({ min: 0, max: 0.1, noNaN: true }),
  velocityChangeChance: fc.double({ min: 0, max: 0.5, noNaN: true }),
  teleportChance: fc.double({ min: 0, max: 0.2, noNaN: true }),
  skipChance: fc.double({ min: 0, max: 0.5, noNaN: true }),
  stallChance: fc.double({ min: 0.02, max: 0.3, noNaN: true }),
  reconnectChance: fc.double({ min: 0, max: 0.05, noNaN: true }),
});

const RUNS = 1000;

describe('delta snapshots over random histories', () => {
  // CPU-bound (a few seconds on a quiet machine): the timeout only keeps a busy CI machine from cutting it short.
  it(`give every client the server's exact state after every snapshot (${RUNS} histories, up to 200 entities)`, {
    timeout: 60_000,
  }, () => {
    const reports: HistoryReport[] = [];
    fc.assert(
      fc.property(historyParams, (params) => {
        const report = runHistory(params);
        reports.push(report);
        expect(report.mismatch).toBeUndefined();
      }),
      { numRuns: RUNS, seed: 20261121 },
    );
    // The generator must reach the hard cases often enough to mean something.
    const share = (predicate: (r: HistoryReport) => boolean) => reports.filter(predicate).length / reports.length;
    expect(share((r) => r.clampedPredictions > 0)).toBeGreaterThanOrEqual(0.1);
    expect(share((r) => r.evictions > 0)).toBeGreaterThanOrEqual(0.1);
    expect(share((r) => r.lateJoinChecks > 0)).toBeGreaterThanOrEqual(0.1);
    expect(reports.reduce((sum, r) => sum + r.deltasApplied, 0)).toBeGreaterThan(reports.length * 5);
    // protocol/ has no DOM or Node types; the report line is for people reading the test output.
    (globalThis as unknown as { console: { log(line: string): void } }).console.log(
      `coverage: clamped predictions in ${share((r) => r.clampedPredictions > 0) * 100}% of runs, ring evictions in ${share((r) => r.evictions > 0) * 100}%, late-join checks in ${share((r) => r.lateJoinChecks > 0) * 100}%`,
    );
  });

  const broken: [EntityFieldName, string, Predictor][] = [
    ...ENTITY_FIELDS.map((field): [EntityFieldName, string, Predictor] => [
      field.name,
      'off by one',
      (...args) => PREDICTORS[field.name](...args) + 1,
    ]),
    ['x', 'not clamped at the edge', (b, at, c, cAt, ticks) => b[at + 2]! + ticks * c[cAt + 0]!],
    [
      'y',
      'from the baseline velocity',
      (b, at, _c, _cAt, ticks, bounds) => Math.min(bounds.maxY, Math.max(0, b[at + 3]! + ticks * b[at + 1]!)),
    ],
  ];
  it.each(broken)('catch a client whose %s prediction is %s', (name, _how, predictor) => {
    const predictors = { ...PREDICTORS, [name]: predictor };
    const result = fc.check(
      fc.property(historyParams, (params) => runHistory(params, predictors).mismatch === undefined),
      { numRuns: 300, seed: 7 },
    );
    expect(result.failed).toBe(true);
  });
});
