// The result built from per-second samples: window figures from two /stats reads, the tick's
// breakdown, per-client rates, and the problems it reports.
import { describe, expect, it } from 'vitest';
import { botsSaturation, buildResult, phaseLabel } from '../src/result.js';
import { fakeMeasurements, fakeResult } from './fixtures.js';

describe('buildResult', () => {
  it('counts exactly the window: ticks run = rate × window seconds, warm-up excluded', () => {
    const r = fakeResult({ windowSeconds: 10 });
    expect(r.window.seconds).toBe(10);
    expect(r.ticks).toEqual({ run: 300, expected: 300, dropped: 0, overruns: 0 });
    expect(r.tickMs.count).toBe(300);
    // Quantiles are bucket upper edges: exact to the histogram's 0.01 ms.
    expect(r.tickMs.p50).toBeGreaterThanOrEqual(1.2);
    expect(r.tickMs.p50).toBeLessThanOrEqual(1.21);
    expect(r.tickMs.maxMs).toBeCloseTo(1.4, 5);
    expect(r.budgetMs).toBeCloseTo(33.333, 3);
  });

  it('leaves out a slow warm-up', () => {
    const r = fakeResult({ warmupSeconds: 3, windowSeconds: 4, warmupSecond: () => ({ tickMs: () => 9 }) });
    expect(r.tickMs.maxMs).toBeLessThan(2);
    expect(r.series.filter((p) => p.phase === 'warmup').every((p) => p.tickMaxMs === 9)).toBe(true);
    expect(r.series.filter((p) => p.phase === 'window')).toHaveLength(4);
  });

  it('splits the tick into its systems, ecsy, the snapshot phases and the rest, shares summing to 1', () => {
    const r = fakeResult();
    expect(r.breakdown.map((p) => p.name)).toEqual([
      'InputSystem',
      'MovementSystem',
      'world beyond systems',
      'snapshot encode',
      'snapshot send',
      'rest of tick',
    ]);
    const share = Object.fromEntries(r.breakdown.map((p) => [p.name, p.share]));
    expect(share.InputSystem).toBeCloseTo(0.2, 2);
    expect(share.MovementSystem).toBeCloseTo(0.3, 2);
    expect(share['world beyond systems']).toBeCloseTo(0.1, 2);
    expect(share['rest of tick']).toBeCloseTo(0.1, 2);
    expect(r.breakdown.reduce((sum, p) => sum + p.share, 0)).toBeCloseTo(1, 3);
    expect(Object.keys(r.phases)).toEqual(['worldExecuteMs', 'snapshotEncodeMs', 'snapshotSendMs']);
  });

  it('gives per-client rates from the server counters and the bots progress lines', () => {
    const r = fakeResult({ bots: 40 });
    expect(r.traffic.serverBytesPerClientPerSecond).toBe(1600);
    expect(r.traffic.serverMessagesPerClientPerSecond).toBe(30);
    expect(r.traffic.clientBytesPerClientPerSecond).toBe(1600);
    expect(r.traffic.bytesPerPlayerPerUpdate).toBeCloseTo(1600 / 30 / 40, 3);
    expect(r.traffic.snapshotIntervalMs).toEqual({ p50: 33.35, p99: 36.95 });
  });

  it('takes CPU from /proc and from the server, RSS in MiB, GC pauses within the window', () => {
    const r = fakeResult({ botsCpu: 0.3 });
    expect(r.server.cpuSecondsPerSecond).toBeCloseTo(0.1, 4);
    expect(r.server.reportedCpuSecondsPerSecond).toBeCloseTo(0.1, 4);
    expect(r.server.rssMiB).toBe(97);
    expect(r.server.gcPauses).toEqual({ count: 10, totalMs: 5 });
    expect(r.bots.cpuSecondsPerSecond).toBeCloseTo(0.3, 4);
    expect(r.problems).toEqual([]);
  });

  it('has one series point per second of the run, with its phase', () => {
    const r = fakeResult({ joinSeconds: 2, warmupSeconds: 3, windowSeconds: 10 });
    expect(r.series).toHaveLength(15);
    expect(r.series.map((p) => p.phase)).toEqual([
      ...Array(2).fill('join'),
      ...Array(3).fill('warmup'),
      ...Array(10).fill('window'),
    ]);
    expect(r.series.every((p) => p.ticks === 30)).toBe(true);
    expect(r.window).toMatchObject({ startT: 5, endT: 15 });
  });

  it('reports a slow second in the series and in the window figures', () => {
    const r = fakeResult({ windowSecond: (i) => (i === 4 ? { tickMs: (k) => (k === 0 ? 40 : 1) } : {}) });
    const slow = r.series.filter((p) => p.phase === 'window')[4]!;
    expect(slow.tickMaxMs).toBe(40);
    expect(r.tickMs.maxMs).toBe(40);
    expect(r.tickMs.p99).toBeLessThan(2);
  });

  it('names saturated bots and disconnects as problems', () => {
    const r = fakeResult({ botsCpu: 0.95, disconnects: 2 });
    expect(r.bots.saturated).toBe(true);
    expect(r.problems).toEqual(['2 bots disconnected', expect.stringMatching(/^bots saturated: bots CPU 0.95/)]);
  });

  it('tells other load on the machine from the run itself, and calls it a problem past 0.2 s/s', () => {
    const quiet = fakeResult({ otherCpu: 0.05 });
    expect(quiet.host).toEqual({ cores: 2, busyCpuSecondsPerSecond: 0.36, otherCpuSecondsPerSecond: 0.05 });
    expect(quiet.problems).toEqual([]);
    const busy = fakeResult({ otherCpu: 0.9 });
    expect(busy.host.otherCpuSecondsPerSecond).toBe(0.9);
    expect(busy.series.at(-1)!.otherCpu).toBe(0.9);
    expect(busy.problems).toEqual(['other processes used 0.90 CPU s/s of the 2 cores: figures disturbed']);
  });

  it('counts the bots CPU of the second they started in from zero, not as other load', () => {
    const r = fakeResult({ botsCpu: 0.3, otherCpu: 0 });
    expect(r.series[0]).toMatchObject({ botsCpu: 0.3, otherCpu: 0 });
  });

  it('counts dropped ticks with the ticks run against rate × window, and names them', () => {
    const r = fakeResult({ windowSecond: (i) => (i === 2 ? { dropTicks: 5 } : {}) });
    expect(r.ticks).toMatchObject({ run: 295, dropped: 5, expected: 300 });
    expect(r.problems).toEqual(['5 ticks dropped (the server fell behind)']);
  });

  it('gives expected ticks as rate × the window seconds it prints, so the two agree to the 0.1-tick rounding', () => {
    const m = fakeMeasurements({ windowSeconds: 3 });
    // The server's clock read 1.66 ms late at the window's end: 3.00166 s, printed as 3.002.
    m.samples[m.windowEnd]!.stats.timeMs += 1.66;
    const r = buildResult(m);
    expect(r.window.seconds).toBe(3.002);
    expect(r.ticks.expected).toBe(90.1);
  });

  it('refuses a window without a start before its end', () => {
    const m = fakeMeasurements();
    expect(() => buildResult({ ...m, windowEnd: m.windowStart })).toThrow(RangeError);
  });
});

describe('botsSaturation', () => {
  it('is null while the bots keep up', () => {
    expect(botsSaturation(0.5, 10_000, 10)).toBeNull();
    expect(botsSaturation(null, null, null)).toBeNull();
  });
  it('names a full core and a slipping send schedule', () => {
    expect(botsSaturation(0.92, 1000, 0)).toMatch(/CPU 0.92 s\/s/);
    expect(botsSaturation(0.5, 1000, 50)).toMatch(/50 of 1000 inputs due were sent late or skipped/);
  });
});

describe('phaseLabel', () => {
  it('turns /stats keys into words', () => {
    expect(phaseLabel('snapshotEncodeMs')).toBe('snapshot encode');
    expect(phaseLabel('worldExecuteMs')).toBe('world execute');
  });
});
