// The profile's HTML report: one self-contained file (inline CSS and SVG, no scripts, no fonts,
// no links out), written once per run beside the JSON result. A CSP meta tag forbids any fetch.
import { formatCorrections } from '../../../client/src/bot/report.js';
import type { HistogramSnapshot } from '../../../server/src/stats/histogramSnapshot.js';
import { overflowIndex, quantileOf } from '../../../server/src/stats/histogramSnapshot.js';
import { type ProfileResult, partLabel } from '../result.js';
import { roomRows, roomsLine } from '../roomTable.js';
import type { Summary } from '../statsReader.js';
import { ms, num, percent } from '../textTable.js';
import { type Bin, escapeHtml, histogramChart, lineChart, PALETTE, shareChart } from './svg.js';

/** Bars in the tick-time histogram. @default 40 */
const HISTOGRAM_BINS = 40;
/** The histogram's x axis ends at max, or at this many × p99 when max is further out (the rest is counted). @default 4 */
const HISTOGRAM_SPAN_OF_P99 = 4;

/** The ids of the report's charts, in page order: the e2e test and the unit tests look for each. */
export const CHART_IDS = ['chart-tick-time', 'chart-tick-histogram', 'chart-tick-breakdown', 'chart-bytes'] as const;

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 800px; color: #111; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; }
.meta { color: #555; margin: 0 0 2px; }
table { border-collapse: collapse; margin: 8px 0; } td, th { padding: 2px 10px; text-align: right; }
th { font-weight: 600; border-bottom: 1px solid #ccc; } td:first-child, th:first-child { text-align: left; }
.problems { color: #b91c1c; } .ok { color: #15803d; }
svg.chart { display: block; margin: 8px 0 4px; background: #fafafa; border: 1px solid #e5e5e5; }
svg .title { font-size: 13px; font-weight: 600; } svg .grid { stroke: #e5e5e5; } svg .axisline { stroke: #888; }
svg .ylab { font-size: 11px; text-anchor: end; fill: #444; } svg .xlab { font-size: 11px; text-anchor: middle; fill: #444; }
svg .axis { font-size: 12px; text-anchor: middle; fill: #333; } svg .legend { font-size: 11px; fill: #333; }
svg .band { fill: #16a34a; fill-opacity: 0.07; } svg .bandlab { font-size: 11px; text-anchor: middle; fill: #15803d; }
svg .nodata { font-size: 14px; text-anchor: middle; fill: #999; }
`;

export function renderReport(r: ProfileResult): string {
  const s = r.settings;
  const rooms = s.rooms === undefined ? '' : ` in ${s.rooms} rooms of ${s.roomSize}`;
  const title = `Tickwire profile: ${s.scenario}, ${s.bots} bots${rooms}, ${s.tickRate} Hz`;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(r.createdAt)} · ${escapeHtml(r.machine)}</p>`,
    `<p class="meta">window ${num(r.window.seconds, 2)} s after ${s.warmupSeconds} s warm-up · snapshots ${s.snapshotRate} Hz · tick budget ${num(r.budgetMs, 2)} ms · <code>${escapeHtml(r.command)}</code></p>`,
    r.problems.length === 0
      ? '<p class="ok">No problems: every bot stayed connected, no tick dropped, the bots kept up.</p>'
      : `<ul class="problems">${r.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`,
    '<h2>Figures</h2>',
    figuresTable(r),
    '<h2>Tick time</h2>',
    tickTimeChart(r),
    tickHistogram(r),
    '<h2>Where the tick goes</h2>',
    breakdownChart(r),
    timingTable(r),
    '<h2>Traffic</h2>',
    bytesChart(r),
    ...roomsSection(r),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

function figuresTable(r: ProfileResult): string {
  const { server, traffic, bots, ticks } = r;
  const rows: [string, string][] = [
    [
      'tick p50 / p95 / p99 / max',
      `${ms(r.tickMs.p50)} / ${ms(r.tickMs.p95)} / ${ms(r.tickMs.p99)} / ${ms(r.tickMs.maxMs)} ms`,
    ],
    [
      'tick lateness p50 / p99 / max',
      `${ms(r.latenessMs.p50)} / ${ms(r.latenessMs.p99)} / ${ms(r.latenessMs.maxMs)} ms`,
    ],
    ['ticks run / expected', `${num(ticks.run)} / ${num(ticks.expected, 1)}`],
    ['dropped ticks, overruns', `${num(ticks.dropped)}, ${num(ticks.overruns)}`],
    ['server CPU', `${num(server.cpuSecondsPerSecond, 3)} s/s`],
    ['bots CPU', `${num(bots.cpuSecondsPerSecond, 3)} s/s${bots.saturated ? ' (saturated)' : ''}`],
    ['server RSS / heap', `${num(server.rssMiB, 1)} / ${num(server.heapUsedMiB, 1)} MiB`],
    ['GC pauses', `${num(server.gcPauses.count)}, ${num(server.gcPauses.totalMs, 1)} ms`],
    [
      'bytes per client per second (sent / received)',
      `${num(traffic.serverBytesPerClientPerSecond)} / ${num(traffic.clientBytesPerClientPerSecond)}`,
    ],
    ['bytes per player per update', num(traffic.bytesPerPlayerPerUpdate, 3)],
    [
      'snapshot interval at bot 0, p50 / p99',
      `${num(traffic.snapshotIntervalMs.p50, 2)} / ${num(traffic.snapshotIntervalMs.p99, 2)} ms`,
    ],
    ['bots connected / disconnects', `${num(bots.connectedAtEnd)} / ${num(bots.disconnects)}`],
    ...(bots.corrections
      ? [["bots' prediction corrections", formatCorrections(bots.corrections)] as [string, string]]
      : []),
    ['other processes on the machine', `${num(r.host.otherCpuSecondsPerSecond, 2)} CPU s/s of ${r.host.cores} cores`],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

/** The rooms: a line on them and the bots' matchmaking, and a table per room; nothing for a result without either. */
function roomsSection(r: ProfileResult): string[] {
  const line = roomsLine(r);
  const rows = roomRows(r);
  if (line === null && rows.length === 0) return [];
  const [header, ...body] = rows;
  const table =
    header === undefined
      ? ''
      : `<table id="rooms"><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${body
          .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
          .join('')}</table>`;
  return ['<h2>Rooms</h2>', line === null ? '' : `<p>${escapeHtml(line)}</p>`, table];
}

function timingTable(r: ProfileResult): string {
  const header = '<tr><th>part</th><th>count</th><th>mean ms</th><th>p99 ms</th><th>max ms</th><th>of tick</th></tr>';
  const row = (name: string, s: Summary | undefined, share: string) =>
    `<tr><td>${escapeHtml(name)}</td><td>${s && s.count > 0 ? num(s.count) : ''}</td><td>${s && s.count > 0 ? ms(s.meanMs) : ''}</td><td>${s && s.count > 0 ? ms(s.p99) : ''}</td><td>${s && s.count > 0 ? ms(s.maxMs) : ''}</td><td>${share}</td></tr>`;
  const rows = r.breakdown.map((p) => row(partLabel(p), p.summary, percent(p.share)));
  return `<table>${header}${row('whole tick', r.tickMs, '100 %')}${rows.join('')}</table>`;
}

function tickTimeChart(r: ProfileResult): string {
  const point = (key: 'tickP50Ms' | 'tickP99Ms' | 'tickMaxMs') =>
    r.series.map((p) => [p.t, p.ticks > 0 ? p[key] : null] as const);
  return lineChart({
    id: 'chart-tick-time',
    title: 'Tick time per second of the run',
    xLabel: 'seconds since start',
    yLabel: 'ms',
    series: [
      { name: 'p50', color: PALETTE[0]!, points: point('tickP50Ms') },
      { name: 'p99', color: PALETTE[4]!, points: point('tickP99Ms') },
      { name: 'max', color: PALETTE[1]!, points: point('tickMaxMs'), dashed: true },
    ],
    reference: { y: r.budgetMs, label: `budget ${num(r.budgetMs, 2)} ms` },
    band: { x0: r.window.startT, x1: r.window.endT, label: 'measured window' },
  });
}

/** The window's tick histogram re-binned into ≤ `bins` equal bars from 0; what lies past the last bar is counted apart. */
export function binsOf(h: HistogramSnapshot, bins = HISTOGRAM_BINS): { bins: Bin[]; beyond: number } {
  if (h.count === 0) return { bins: [], beyond: 0 };
  const overflow = overflowIndex(h);
  const spanMs = HISTOGRAM_SPAN_OF_P99 * quantileOf(h, 0.99);
  // Source buckets shown, [0, end): through max's own bucket, or up to span × p99 when max is further out.
  const end =
    h.maxMs <= spanMs
      ? Math.min(overflow, Math.floor(h.maxMs / h.resolutionMs + 1e-9) + 1)
      : Math.max(1, Math.ceil(spanMs / h.resolutionMs - 1e-9));
  // Whole source buckets per bar, so no bucket is split between two bars.
  const perBar = Math.max(1, Math.ceil(end / bins));
  const n = Math.ceil(end / perBar);
  const width = perBar * h.resolutionMs;
  const out: Bin[] = Array.from({ length: n }, (_, i) => ({ x0: i * width, x1: (i + 1) * width, count: 0 }));
  let beyond = 0;
  for (const [index, count] of h.buckets) {
    const bar = index >= overflow ? n : Math.floor(index / perBar);
    if (bar >= n) beyond += count;
    else out[bar]!.count += count;
  }
  return { bins: out, beyond };
}

function tickHistogram(r: ProfileResult): string {
  const h = r.histograms.tickMs;
  const { bins, beyond } = h ? binsOf(h) : { bins: [], beyond: 0 };
  return histogramChart({
    id: 'chart-tick-histogram',
    title: `Tick time over the window (${num(r.tickMs.count)} ticks)`,
    xLabel: 'tick time, ms',
    bins,
    markers: [
      { x: r.tickMs.p50, label: `p50 ${ms(r.tickMs.p50)}`, color: PALETTE[2]! },
      { x: r.tickMs.p99, label: `p99 ${ms(r.tickMs.p99)}`, color: PALETTE[4]! },
      { x: r.budgetMs, label: `budget ${num(r.budgetMs, 2)}`, color: '#111' },
    ],
    beyond: { count: beyond, label: `${num(beyond)} beyond, max ${ms(r.tickMs.maxMs)} ms` },
  });
}

function breakdownChart(r: ProfileResult): string {
  return shareChart(
    'chart-tick-breakdown',
    'Share of tick time over the window',
    r.breakdown.map((p) => ({
      label: p.name,
      share: p.share,
      detail: `${num(p.totalMs, 1)} ms${p.summary.count > 0 ? `, mean ${ms(p.summary.meanMs)} ms` : ''}`,
    })),
  );
}

function bytesChart(r: ProfileResult): string {
  return lineChart({
    id: 'chart-bytes',
    title: 'Payload bytes per client per second',
    xLabel: 'seconds since start',
    yLabel: 'bytes / client / s',
    series: [
      {
        name: 'sent by the server',
        color: PALETTE[0]!,
        points: r.series.map((p) => [p.t, p.players > 0 ? p.serverBytesPerClient : null] as const),
      },
      {
        name: 'received by the bots',
        color: PALETTE[2]!,
        points: r.series.map((p) => [p.t, p.clientBytesPerClient] as const),
      },
    ],
    band: { x0: r.window.startT, x1: r.window.endT, label: 'measured window' },
  });
}
