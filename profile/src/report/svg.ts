// Inline SVG charts as strings: a line chart over time, a histogram and a bar list of shares.
// Built once per report; pure, no scripts and no external resources (every style is inline).

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#65a30d', '#db2777'];

const WIDTH = 760;
const HEIGHT = 280;
/** Plot area margins in px: left holds the y labels, bottom the x labels. */
const M = { left: 64, right: 16, top: 28, bottom: 44 };

export interface LineSeries {
  name: string;
  color: string;
  /** Drawn dashed, so a line it covers (p99 under max at 30 samples a second) still shows. */
  dashed?: boolean;
  /** [x, y]; a null y breaks the line. */
  points: readonly (readonly [number, number | null])[];
}

export interface LineChartOptions {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  /** A horizontal reference line (the tick budget); drawn only if it fits within 1.5 × the data's top. */
  reference?: { y: number; label: string };
  /** A shaded x range (the measured window). */
  band?: { x0: number; x1: number; label: string };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A round step near range / count: 1, 2 or 5 × 10^k. */
export function niceStep(range: number, count = 5): number {
  if (!(range > 0)) return 1;
  const raw = range / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

function f(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

function label(v: number, step: number): string {
  const digits = Math.max(0, Math.min(4, -Math.floor(Math.log10(step))));
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

interface Frame {
  x: (v: number) => number;
  y: (v: number) => number;
  svg: string[];
}

/** Axes, grid and labels for [x0, x1] × [0, yTop]; returns the scales and the SVG so far. */
function frame(
  id: string,
  title: string,
  xLabel: string,
  yLabel: string,
  x0: number,
  x1: number,
  yTop: number,
  xTicks = true,
): Frame {
  const pw = WIDTH - M.left - M.right;
  const ph = HEIGHT - M.top - M.bottom;
  const xs = x1 > x0 ? x1 - x0 : 1;
  const x = (v: number) => M.left + ((v - x0) / xs) * pw;
  const y = (v: number) => M.top + ph - (v / yTop) * ph;
  const svg = [
    `<svg id="${escapeHtml(id)}" class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">`,
    `<text x="${M.left}" y="18" class="title">${escapeHtml(title)}</text>`,
  ];
  const yStep = niceStep(yTop);
  for (let v = 0; v <= yTop + yStep * 1e-9; v += yStep) {
    svg.push(`<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${f(y(v))}" y2="${f(y(v))}" class="grid"/>`);
    svg.push(`<text x="${M.left - 6}" y="${f(y(v) + 4)}" class="ylab">${label(v, yStep)}</text>`);
  }
  if (xTicks) {
    const xStep = niceStep(xs, 8);
    for (let v = Math.ceil(x0 / xStep) * xStep; v <= x1 + xStep * 1e-9; v += xStep) {
      svg.push(`<text x="${f(x(v))}" y="${HEIGHT - M.bottom + 16}" class="xlab">${label(v, xStep)}</text>`);
    }
  }
  svg.push(`<text x="${M.left + pw / 2}" y="${HEIGHT - 8}" class="axis">${escapeHtml(xLabel)}</text>`);
  svg.push(`<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" class="axis">${escapeHtml(yLabel)}</text>`);
  svg.push(
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + ph}" class="axisline"/>`,
    `<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${M.top + ph}" y2="${M.top + ph}" class="axisline"/>`,
  );
  return { x, y, svg };
}

function legend(items: readonly { name: string; color: string; dashed?: boolean }[]): string {
  let x = WIDTH - M.right;
  const parts: string[] = [];
  for (const item of [...items].reverse()) {
    const width = 30 + item.name.length * 6.4; // 11 px text: about 6.4 px a character
    x -= width;
    parts.push(
      `<line x1="${f(x)}" x2="${f(x + 16)}" y1="14" y2="14" stroke="${item.color}" stroke-width="2"${item.dashed ? ' stroke-dasharray="4 3"' : ''}/>`,
      `<text x="${f(x + 20)}" y="18" class="legend">${escapeHtml(item.name)}</text>`,
    );
  }
  return parts.join('');
}

function noData(svg: string[], text: string): string {
  svg.push(`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" class="nodata">${escapeHtml(text)}</text>`, '</svg>');
  return svg.join('\n');
}

/** The top of the y axis: a round number at or above the largest value. */
function yTopOf(max: number): number {
  if (!(max > 0)) return 1;
  const step = niceStep(max);
  return Math.ceil((max * 1.0001) / step) * step;
}

export function lineChart(o: LineChartOptions): string {
  const xsAll = o.series.flatMap((s) => s.points.map(([x]) => x));
  const ysAll = o.series.flatMap((s) => s.points.flatMap(([, y]) => (y === null ? [] : [y])));
  if (xsAll.length === 0 || ysAll.length === 0) {
    return noData(frame(o.id, o.title, o.xLabel, o.yLabel, 0, 1, 1, false).svg, 'no data');
  }
  const x0 = Math.min(...xsAll, o.band?.x0 ?? Number.POSITIVE_INFINITY);
  const x1 = Math.max(...xsAll, o.band?.x1 ?? Number.NEGATIVE_INFINITY);
  const dataTop = Math.max(...ysAll);
  const showReference = o.reference !== undefined && o.reference.y <= Math.max(dataTop, 1e-9) * 1.5;
  const top = yTopOf(showReference ? Math.max(dataTop, o.reference!.y) : dataTop);
  const { x, y, svg } = frame(o.id, o.title, o.xLabel, o.yLabel, x0, x1, top);
  if (o.band) {
    svg.push(
      `<rect x="${f(x(o.band.x0))}" y="${M.top}" width="${f(x(o.band.x1) - x(o.band.x0))}" height="${HEIGHT - M.top - M.bottom}" class="band"/>`,
      `<text x="${f((x(o.band.x0) + x(o.band.x1)) / 2)}" y="${M.top + 12}" class="bandlab">${escapeHtml(o.band.label)}</text>`,
    );
  }
  const legendItems: { name: string; color: string; dashed?: boolean }[] = [];
  for (const s of o.series) {
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
    svg.push(
      `<path d="${linePath(s.points, x, y)}" fill="none" stroke="${s.color}" stroke-width="1.8"${dash} class="line"/>`,
    );
    legendItems.push({ name: s.name, color: s.color, dashed: s.dashed === true });
  }
  if (o.reference) {
    if (showReference) {
      svg.push(
        `<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${f(y(o.reference.y))}" y2="${f(y(o.reference.y))}" stroke="#111" stroke-dasharray="4 3"/>`,
      );
      legendItems.push({ name: o.reference.label, color: '#111', dashed: true });
    } else {
      legendItems.push({ name: `${o.reference.label} (above the chart)`, color: '#111', dashed: true });
    }
  }
  svg.push(legend(legendItems), '</svg>');
  return svg.join('\n');
}

/** "M x y L x y …", starting a new subpath after each null. */
export function linePath(
  points: readonly (readonly [number, number | null])[],
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  const parts: string[] = [];
  let pen = false;
  for (const [px, py] of points) {
    if (py === null) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${f(x(px))} ${f(y(py))}`);
    pen = true;
  }
  return parts.join(' ');
}

export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

export interface HistogramChartOptions {
  id: string;
  title: string;
  xLabel: string;
  bins: readonly Bin[];
  /** Vertical marker lines (p50, p99…). */
  markers: readonly { x: number; label: string; color: string }[];
  /** Samples to the right of the last bin, named in the legend. */
  beyond?: { count: number; label: string };
}

export function histogramChart(o: HistogramChartOptions): string {
  const counts = o.bins.map((b) => b.count);
  if (o.bins.length === 0 || Math.max(...counts) === 0) {
    return noData(frame(o.id, o.title, o.xLabel, 'ticks', 0, 1, 1, false).svg, 'no ticks in the window');
  }
  const x0 = o.bins[0]!.x0;
  const x1 = o.bins.at(-1)!.x1;
  const top = yTopOf(Math.max(...counts));
  const { x, y, svg } = frame(o.id, o.title, o.xLabel, 'ticks', x0, x1, top);
  const bars = o.bins
    .filter((b) => b.count > 0)
    .map((b) => {
      const left = x(b.x0) + 0.5;
      const w = Math.max(1, x(b.x1) - x(b.x0) - 1);
      return `M${f(left)} ${f(y(0))} V${f(y(b.count))} h${f(w)} V${f(y(0))} Z`;
    })
    .join(' ');
  svg.push(`<path d="${bars}" fill="${PALETTE[0]}" fill-opacity="0.75" class="bars"/>`);
  const legendItems: { name: string; color: string; dashed?: boolean }[] = [];
  for (const m of o.markers) {
    if (m.x < x0 || m.x > x1) continue;
    svg.push(
      `<line x1="${f(x(m.x))}" x2="${f(x(m.x))}" y1="${M.top}" y2="${f(y(0))}" stroke="${m.color}" stroke-dasharray="4 3"/>`,
    );
    legendItems.push({ name: m.label, color: m.color, dashed: true });
  }
  if (o.beyond && o.beyond.count > 0) legendItems.push({ name: o.beyond.label, color: '#777' });
  svg.push(legend(legendItems), '</svg>');
  return svg.join('\n');
}

export interface ShareItem {
  label: string;
  /** 0..1 */
  share: number;
  detail: string;
}

/** One horizontal bar per item, longest first as given, with its share and a detail text. */
export function shareChart(id: string, title: string, items: readonly ShareItem[]): string {
  const rowHeight = 26;
  const height = Math.max(80, M.top + 10 + items.length * rowHeight);
  const labelWidth = 190;
  const barMax = WIDTH - labelWidth - 260;
  const svg = [
    `<svg id="${escapeHtml(id)}" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<text x="${M.left}" y="18" class="title">${escapeHtml(title)}</text>`,
  ];
  if (items.length === 0) return noData(svg, 'no breakdown in /stats');
  items.forEach((item, i) => {
    const top = M.top + 6 + i * rowHeight;
    const w = Math.max(1, item.share * barMax);
    const color = PALETTE[i % PALETTE.length]!;
    svg.push(
      `<text x="${labelWidth - 8}" y="${top + 15}" class="ylab">${escapeHtml(item.label)}</text>`,
      `<path d="M${labelWidth} ${top + 3} h${f(w)} v16 h${f(-w)} Z" fill="${color}" class="share"/>`,
      `<text x="${f(labelWidth + w + 6)}" y="${top + 15}" class="legend">${(item.share * 100).toFixed(1)} %  ${escapeHtml(item.detail)}</text>`,
    );
  });
  svg.push('</svg>');
  return svg.join('\n');
}
