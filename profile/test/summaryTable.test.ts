// The summary table printed at the end of a run: every figure the issue lists, in one place.
import { describe, expect, it } from 'vitest';
import { formatSummaryTable } from '../src/summaryTable.js';
import { fakeResult } from './fixtures.js';

describe('formatSummaryTable', () => {
  const text = formatSummaryTable(fakeResult({ bots: 50 }));

  it('states the run: scenario, bots, rate, budget, window and machine', () => {
    expect(text).toMatch(
      /^profile: arena, 50 bots, 30 Hz tick \(budget 33\.33 ms\), 30 Hz snapshots; window 10\.00 s after 3 s warm-up\n/,
    );
    expect(text).toContain('machine: 2 × Test CPU');
  });

  it('has tick p50/p95/p99/max and lateness rows in ms', () => {
    expect(text).toMatch(/ {2}\s+count\s+mean\s+p50\s+p95\s+p99\s+max\n/);
    expect(text).toMatch(/ {2}tick\s+300\s+1\.200\s+1\.21\d\s+1\.4\d\d\s+1\.4\d\d\s+1\.400\n/);
    expect(text).toMatch(/ {2}lateness\s+300\s+0\.200/);
    expect(text).toMatch(/ {2}snapshotEncode\s+300/);
  });

  it('breaks the tick down per system with its share', () => {
    expect(text).toMatch(/InputSystem\s+300\s+0\.240\s+[\d.]+\s+[\d.]+\s+72\.0\s+20\.0 %/);
    expect(text).toMatch(/MovementSystem\s+300\s+.*30\.0 %/);
    expect(text).toMatch(/\(rest of tick\)\s+.*10\.0 %/);
  });

  it('has ticks and overruns, server CPU and RSS, bots CPU, bytes per client, snapshot interval', () => {
    expect(text).toMatch(
      /ticks\s+300 run \(rate × window 300\.0\), 0 dropped, 0 overruns > 33\.33 ms; p99 1\.4\d\d ms\n/,
    );
    expect(text).toMatch(/server\s+CPU 0\.100 s\/s \(its own count 0\.100\), RSS 97\.0 MiB/);
    expect(text).toMatch(
      /bots\s+CPU 0\.200 s\/s, 50\/50 connected, 0 disconnects, 0 of 15,000 inputs due late or skipped\n/,
    );
    expect(text).toMatch(
      /traffic\s+server sent 1,600 B\/client\/s in 30\.0 msg\/client\/s; bots received 1,600 B\/client\/s \(1\.07 B\/player\/update\)/,
    );
    expect(text).toMatch(/snapshot interval at bot 0 p50 33\.35 ms, p99 36\.95 ms/);
    expect(text).toMatch(/problems\s+none$/);
  });

  it('flags a p99 over budget and saturated bots', () => {
    const bad = formatSummaryTable(fakeResult({ botsCpu: 0.97, windowSecond: () => ({ tickMs: () => 40 }) }));
    expect(bad).toMatch(/p99 40\.000 ms {2}OVER BUDGET/);
    expect(bad).toMatch(/bots\s+CPU 0\.970 s\/s.* {2}SATURATED/);
    expect(bad).toMatch(/problems\s+bots saturated: bots CPU 0\.97 s\/s ≥ 0\.9 \(one core\)/);
  });

  it("shows the bots' prediction corrections by kind when they predicted, and nothing when they did not", () => {
    const corrections = {
      mispredictions: 0,
      maxMispredictionUnits: 0,
      droppedInputCorrections: 7,
      starvedInputCorrections: 0,
      unpredictable: 4,
      unpredictableCauses: { death: 2, respawn: 2, resume: 0, move: 0, teleport: 0 },
      maxUnpredictableUnits: 1346.5,
    };
    expect(formatSummaryTable(fakeResult({ bots: 50, corrections }))).toContain(
      'corrections: 0 mispredictions (max 0 u), 7 dropped-input, 0 starved-input, 4 unpredictable (death ×2, respawn ×2; max 1,346.5 u)',
    );
    expect(text).not.toContain('corrections:');
  });
});
