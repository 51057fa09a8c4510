// The figures a profile is judged by, in one table: compare reads them from two results.
// Each figure says its unit and which way is better; per-system figures come from the result itself.
import { type ProfileResult, partLabel } from './result.js';

export interface Figure {
  key: string;
  label: string;
  unit: string;
  /** true: lower is better; false: higher is better; null: neither (a count that should not change). */
  lowerIsBetter: boolean | null;
  /** Digits printed after the point. */
  digits: number;
  value: number | null;
}

type Spec = Omit<Figure, 'value'> & { get(r: ProfileResult): number | null | undefined };

const FIGURES: readonly Spec[] = [
  { key: 'tick.p50', label: 'tick p50', unit: 'ms', lowerIsBetter: true, digits: 3, get: (r) => r.tickMs.p50 },
  { key: 'tick.p95', label: 'tick p95', unit: 'ms', lowerIsBetter: true, digits: 3, get: (r) => r.tickMs.p95 },
  { key: 'tick.p99', label: 'tick p99', unit: 'ms', lowerIsBetter: true, digits: 3, get: (r) => r.tickMs.p99 },
  { key: 'tick.max', label: 'tick max', unit: 'ms', lowerIsBetter: true, digits: 3, get: (r) => r.tickMs.maxMs },
  { key: 'tick.mean', label: 'tick mean', unit: 'ms', lowerIsBetter: true, digits: 3, get: (r) => r.tickMs.meanMs },
  {
    key: 'lateness.p99',
    label: 'tick lateness p99',
    unit: 'ms',
    lowerIsBetter: true,
    digits: 3,
    get: (r) => r.latenessMs.p99,
  },
  {
    key: 'lateness.max',
    label: 'tick lateness max',
    unit: 'ms',
    lowerIsBetter: true,
    digits: 3,
    get: (r) => r.latenessMs.maxMs,
  },
  {
    key: 'ticks.overruns',
    label: 'overruns',
    unit: 'ticks',
    lowerIsBetter: true,
    digits: 0,
    get: (r) => r.ticks.overruns,
  },
  {
    key: 'ticks.dropped',
    label: 'dropped ticks',
    unit: 'ticks',
    lowerIsBetter: true,
    digits: 0,
    get: (r) => r.ticks.dropped,
  },
  {
    key: 'server.cpu',
    label: 'server CPU',
    unit: 's/s',
    lowerIsBetter: true,
    digits: 3,
    get: (r) => r.server.cpuSecondsPerSecond,
  },
  { key: 'server.rss', label: 'server RSS', unit: 'MiB', lowerIsBetter: true, digits: 1, get: (r) => r.server.rssMiB },
  {
    key: 'server.heap',
    label: 'server heap',
    unit: 'MiB',
    lowerIsBetter: true,
    digits: 1,
    get: (r) => r.server.heapUsedMiB,
  },
  {
    key: 'server.gcMs',
    label: 'GC pause time',
    unit: 'ms',
    lowerIsBetter: true,
    digits: 1,
    get: (r) => r.server.gcPauses.totalMs,
  },
  {
    key: 'server.eventLoopP99',
    label: 'event loop delay p99',
    unit: 'ms',
    lowerIsBetter: true,
    digits: 2,
    get: (r) => r.server.eventLoopDelayMs.p99,
  },
  {
    key: 'traffic.serverBytes',
    label: 'server bytes out per client',
    unit: 'B/s',
    lowerIsBetter: true,
    digits: 0,
    get: (r) => r.traffic.serverBytesPerClientPerSecond,
  },
  {
    key: 'traffic.serverMessages',
    label: 'server messages per client',
    unit: '/s',
    lowerIsBetter: null,
    digits: 1,
    get: (r) => r.traffic.serverMessagesPerClientPerSecond,
  },
  {
    key: 'traffic.clientBytes',
    label: 'bytes received per client',
    unit: 'B/s',
    lowerIsBetter: true,
    digits: 0,
    get: (r) => r.traffic.clientBytesPerClientPerSecond,
  },
  {
    key: 'traffic.bytesPerPlayerPerUpdate',
    label: 'bytes per player per update',
    unit: 'B',
    lowerIsBetter: true,
    digits: 3,
    get: (r) => r.traffic.bytesPerPlayerPerUpdate,
  },
  {
    key: 'traffic.intervalP50',
    label: 'snapshot interval p50 (bot 0)',
    unit: 'ms',
    lowerIsBetter: null,
    digits: 2,
    get: (r) => r.traffic.snapshotIntervalMs.p50,
  },
  {
    key: 'traffic.intervalP99',
    label: 'snapshot interval p99 (bot 0)',
    unit: 'ms',
    lowerIsBetter: true,
    digits: 2,
    get: (r) => r.traffic.snapshotIntervalMs.p99,
  },
  {
    key: 'bots.cpu',
    label: 'bots CPU',
    unit: 's/s',
    lowerIsBetter: true,
    digits: 3,
    get: (r) => r.bots.cpuSecondsPerSecond,
  },
  {
    key: 'host.otherCpu',
    label: 'other processes CPU',
    unit: 's/s',
    lowerIsBetter: true,
    digits: 3,
    get: (r) => r.host.otherCpuSecondsPerSecond,
  },
  {
    key: 'bots.disconnects',
    label: 'bot disconnects',
    unit: '',
    lowerIsBetter: true,
    digits: 0,
    get: (r) => r.bots.disconnects,
  },
];

/** Every figure of a result: the fixed table, then mean and p99 of each part of the tick. */
export function figuresOf(r: ProfileResult): Figure[] {
  const figures: Figure[] = FIGURES.map(({ get, ...spec }) => ({ ...spec, value: finite(read(get, r)) }));
  for (const part of r.breakdown ?? []) {
    const name = partLabel(part);
    if (part.summary.count > 0) {
      figures.push({
        key: `part.${part.name}.mean`,
        label: `${name} mean`,
        unit: 'ms',
        lowerIsBetter: true,
        digits: 4,
        value: part.summary.meanMs,
      });
      figures.push({
        key: `part.${part.name}.p99`,
        label: `${name} p99`,
        unit: 'ms',
        lowerIsBetter: true,
        digits: 3,
        value: part.summary.p99,
      });
    }
    figures.push({
      key: `part.${part.name}.share`,
      label: `${name} share of tick`,
      unit: '%',
      lowerIsBetter: null,
      digits: 1,
      value: part.share * 100,
    });
  }
  return figures;
}

/** A figure a result lacks (a file written before that figure existed) reads as missing, not as an error. */
function read(get: Spec['get'], r: ProfileResult): number | null | undefined {
  try {
    return get(r);
  } catch {
    return null;
  }
}

function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
