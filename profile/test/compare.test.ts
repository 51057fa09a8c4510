// Compare: every figure of two results with its ratio, which changed, and what is missing.
import { describe, expect, it } from 'vitest';
import { asProfileResult, compareResults, formatComparison, NOTICE_RATIO } from '../src/compare.js';
import { figuresOf } from '../src/figures.js';
import { fakeResult } from './fixtures.js';

const slower = () => fakeResult({ windowSecond: () => ({ tickMs: (i) => 2 + 0.2 * (i % 5), cpu: 0.2 }) });

describe('compareResults', () => {
  it('gives after ÷ before for each figure and calls a lower tick time better', () => {
    const before = slower();
    const after = fakeResult();
    const { rows, differences } = compareResults(before, after);
    expect(differences).toEqual([]);
    const p99 = rows.find((r) => r.key === 'tick.p99')!;
    expect(p99.ratio).toBeCloseTo(after.tickMs.p99 / before.tickMs.p99, 9);
    expect(p99.ratio).toBeLessThan(0.6);
    expect(p99.change).toBe('better');
    expect(rows.find((r) => r.key === 'server.cpu')).toMatchObject({
      before: 0.2,
      after: 0.1,
      ratio: 0.5,
      change: 'better',
    });
    expect(compareResults(after, before).rows.find((r) => r.key === 'tick.p99')!.change).toBe('worse');
  });

  it(`calls a figure the same within ${NOTICE_RATIO * 100} %, and 0 against 0 a ratio of 1`, () => {
    const { rows } = compareResults(fakeResult(), fakeResult());
    expect(rows.every((r) => r.change === 'same')).toBe(true);
    expect(rows.find((r) => r.key === 'ticks.overruns')).toMatchObject({ before: 0, after: 0, ratio: 1 });
  });

  it('has one row per figure of either result, per tick part too', () => {
    const r = fakeResult();
    const keys = compareResults(r, r).rows.map((row) => row.key);
    expect(keys).toEqual(figuresOf(r).map((f) => f.key));
    expect(keys).toContain('part.MovementSystem.p99');
    expect(keys).toContain('part.snapshot encode.share');
  });

  it('marks a figure only one result has as missing, with no ratio', () => {
    const before = fakeResult();
    const after = fakeResult();
    after.breakdown = after.breakdown.filter((p) => p.name !== 'InputSystem');
    after.breakdown.push({ ...after.breakdown[0]!, name: 'WeaponSystem' });
    before.traffic.snapshotIntervalMs.p99 = null;
    const { rows } = compareResults(before, after);
    expect(rows.find((r) => r.key === 'part.InputSystem.mean')).toMatchObject({
      after: null,
      ratio: null,
      change: 'missing',
    });
    expect(rows.find((r) => r.key === 'part.WeaponSystem.mean')).toMatchObject({ before: null, change: 'missing' });
    expect(rows.find((r) => r.key === 'traffic.intervalP99')).toMatchObject({ before: null, change: 'missing' });
    const text = formatComparison(compareResults(before, after), 'a.json', 'b.json');
    expect(text).toMatch(/InputSystem mean\s+ms\s+[\d.]+\s+—\s+not in after/);
    expect(text).toMatch(/WeaponSystem mean\s+ms\s+—\s+[\d.]+\s+not in before/);
  });

  it('reads a section an older file lacks as missing figures', () => {
    const older = JSON.parse(JSON.stringify(fakeResult())) as Record<string, unknown>;
    delete older.host;
    const { rows } = compareResults(older as unknown as ReturnType<typeof fakeResult>, fakeResult());
    expect(rows.find((r) => r.key === 'host.otherCpu')).toMatchObject({ before: null, change: 'missing' });
    expect(rows.find((r) => r.key === 'tick.p99')!.change).toBe('same');
  });

  it('has no ratio when before is 0 and after is not', () => {
    const before = fakeResult();
    const after = fakeResult();
    after.ticks.overruns = 3;
    const row = compareResults(before, after).rows.find((r) => r.key === 'ticks.overruns')!;
    expect(row).toMatchObject({ before: 0, after: 3, ratio: null, change: 'worse' });
    expect(formatComparison(compareResults(before, after), 'a', 'b')).toMatch(
      /overruns\s+ticks\s+0\s+3\s+was 0\s+worse/,
    );
  });

  it('says when two runs are not like for like', () => {
    const { differences } = compareResults(fakeResult({ bots: 50 }), fakeResult({ bots: 200 }));
    expect(differences).toEqual(['bots: 50 → 200']);
    expect(formatComparison(compareResults(fakeResult({ bots: 50 }), fakeResult({ bots: 200 })), 'a', 'b')).toContain(
      'NOT LIKE FOR LIKE, the runs differ in: bots: 50 → 200',
    );
  });

  it('prints a ratio per line and a count of what changed', () => {
    const text = formatComparison(compareResults(slower(), fakeResult()), 'before.json', 'after.json');
    expect(text).toMatch(/^before: before\.json\nafter: {2}after\.json\n/);
    expect(text).toMatch(/server CPU\s+s\/s\s+0\.200\s+0\.100\s+×0\.500\s+better/);
    expect(text).toMatch(/\d+ better, 0 worse, \d+ changed, \d+ within 5 %, 0 missing in one of the two$/);
  });
});

describe('asProfileResult', () => {
  it('accepts a profile result and refuses anything else', () => {
    const r = JSON.parse(JSON.stringify(fakeResult())) as unknown;
    expect(asProfileResult(r, 'a.json')).toBe(r);
    expect(() => asProfileResult({ kind: 'capacity', schema: 1 }, 'c.json')).toThrow(/c.json is not a profile result/);
    expect(() => asProfileResult({ kind: 'profile', schema: 99 }, 'd.json')).toThrow(/schema 99/);
    expect(() => asProfileResult(null, 'e.json')).toThrow(/not a profile result/);
  });
});
