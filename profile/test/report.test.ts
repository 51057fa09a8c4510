// The HTML report: one self-contained page with a chart per series, nothing fetched from anywhere.

import { describe, expect, it } from 'vitest';
import { MsHistogram } from '../../server/src/stats/histogram.js';
import { binsOf, CHART_IDS, renderReport } from '../src/report/html.js';
import { escapeHtml, linePath, niceStep } from '../src/report/svg.js';
import { fakeResult } from './fixtures.js';

/** The <svg id=…> element's markup. */
function chart(html: string, id: string): string {
  const start = html.indexOf(`<svg id="${id}"`);
  expect(start, `chart ${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</svg>', start) + 6);
}

function paths(svg: string): string[] {
  return [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);
}

describe('renderReport', () => {
  const result = fakeResult({ windowSecond: (i) => (i === 3 ? { tickMs: (k) => (k === 0 ? 9 : 1) } : {}) });
  const html = renderReport(result);

  it.each(CHART_IDS)('draws %s with a non-empty path', (id) => {
    const drawn = paths(chart(html, id));
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.every((d) => /^M[\d.]+ [\d.]+/.test(d))).toBe(true);
  });

  it('draws one line per tick figure over every second, and the window as a band', () => {
    const svg = chart(html, 'chart-tick-time');
    const lines = paths(svg);
    expect(lines).toHaveLength(3);
    for (const d of lines) expect(d.match(/[ML]/g)).toHaveLength(result.series.length);
    expect(svg).toContain('class="band"');
    expect(svg).toContain('measured window');
    // 9 ms is far under the 33 ms budget: the budget line is named but left off the scale.
    expect(svg).toContain('budget 33.33 ms (above the chart)');
  });

  it('draws the server and the bots bytes per client', () => {
    const svg = chart(html, 'chart-bytes');
    expect(paths(svg)).toHaveLength(2);
    expect(svg).toContain('sent by the server');
    expect(svg).toContain('received by the bots');
  });

  it('draws one bar per part of the tick with its share', () => {
    const svg = chart(html, 'chart-tick-breakdown');
    expect(paths(svg)).toHaveLength(result.breakdown.length);
    expect(svg).toContain('MovementSystem');
    expect(svg).toMatch(/30\.0 %/);
  });

  it('fetches nothing: no URL, no src or href, no script, a CSP that forbids loading', () => {
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/\b(src|href|xlink:href)\s*=/i);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
  });

  it('lists the figures and the problems', () => {
    expect(html).toContain('<title>Tickwire profile: arena, 50 bots, 30 Hz</title>');
    expect(html).toMatch(/tick p50 \/ p95 \/ p99 \/ max<\/td><td>1\.\d+ \/ 1\.\d+ \/ 1\.\d+ \/ 9\.000 ms/);
    expect(html).toContain('No problems');
    const withProblem = renderReport(fakeResult({ disconnects: 1 }));
    expect(withProblem).toContain('<ul class="problems"><li>1 bots disconnected</li></ul>');
  });

  it("lists the bots' prediction corrections by kind when they predicted", () => {
    const corrections = {
      mispredictions: 1,
      maxMispredictionUnits: 6.688,
      droppedInputCorrections: 0,
      starvedInputCorrections: 2,
      unpredictable: 2,
      unpredictableCauses: { death: 1, respawn: 1, resume: 0, move: 0, teleport: 0 },
      maxUnpredictableUnits: 900,
    };
    expect(renderReport(fakeResult({ corrections }))).toContain(
      '<td>bots&#39; prediction corrections</td><td>1 mispredictions (max 6.688 u), 0 dropped-input, 2 starved-input, 2 unpredictable (death ×1, respawn ×1; max 900 u)</td>',
    );
    expect(html).not.toContain('prediction corrections');
  });

  it('escapes text it did not write', () => {
    const r = fakeResult();
    r.command = 'npm run profile -- --out "<b>&x"';
    expect(renderReport(r)).toContain('--out &#34;&#60;b&#62;&#38;x&#34;');
  });

  it('says "no data" rather than failing on a run without samples', () => {
    const r = fakeResult();
    r.series = [];
    r.breakdown = [];
    r.histograms = {};
    const empty = renderReport(r);
    for (const id of CHART_IDS) expect(chart(empty, id)).toMatch(/class="nodata"/);
  });
});

describe('binsOf', () => {
  it('re-bins the histogram into whole-bucket bars from 0 to max, counting every sample', () => {
    const h = new MsHistogram();
    for (let i = 0; i < 1000; i++) h.record(0.5 + (i % 100) / 100);
    const { bins, beyond } = binsOf(h.snapshot(), 40);
    expect(bins.length).toBeLessThanOrEqual(40);
    expect(bins[0]!.x0).toBe(0);
    expect(bins.at(-1)!.x1).toBeGreaterThanOrEqual(1.49);
    expect(bins.reduce((n, b) => n + b.count, 0) + beyond).toBe(1000);
    expect(beyond).toBe(0);
  });

  it('ends at 4 × p99 when max is further out, counting the rest apart', () => {
    const h = new MsHistogram();
    for (let i = 0; i < 999; i++) h.record(1);
    h.record(500);
    h.record(2000); // overflow bucket
    const { bins, beyond } = binsOf(h.snapshot(), 40);
    // p99 is 1.01 (a bucket's upper edge); the last bar ends on the first bucket edge at or past 4.04.
    expect(bins.at(-1)!.x1).toBeGreaterThanOrEqual(4.04);
    expect(bins.at(-1)!.x1).toBeLessThan(4.04 + bins[0]!.x1);
    expect(beyond).toBe(2);
  });

  it("keeps the max's own bucket in the last bar", () => {
    const h = new MsHistogram();
    for (let i = 0; i < 297; i++) h.record(1.1);
    for (let i = 0; i < 3; i++) h.record(4);
    const { bins, beyond } = binsOf(h.snapshot(), 40);
    expect(beyond).toBe(0);
    expect(bins.at(-1)!.count).toBe(3);
    expect(bins.at(-1)!.x1).toBeGreaterThan(4);
  });

  it('is empty for an empty histogram', () => {
    expect(binsOf(new MsHistogram().snapshot())).toEqual({ bins: [], beyond: 0 });
  });
});

describe('svg helpers', () => {
  it('picks round steps', () => {
    expect(niceStep(10)).toBe(2);
    expect(niceStep(0.9)).toBe(0.2);
    expect(niceStep(7000)).toBe(2000);
  });
  it('breaks a line at a missing value', () => {
    const id = (v: number) => v;
    expect(
      linePath(
        [
          [0, 1],
          [1, null],
          [2, 3],
          [3, 4],
        ],
        id,
        id,
      ),
    ).toBe('M0 1 M2 3 L3 4');
  });
  it('escapes markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});
