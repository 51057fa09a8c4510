// GET /metrics: the server's figures in Prometheus text format (prom-client's registry and
// formatter). Nothing here runs per tick: every metric is read from the room's own counters and
// histograms when Prometheus scrapes, so scraping more often costs nothing between scrapes.

import { type Metric, Registry } from 'prom-client';
import { ENTRY_POINTS, type Faults } from '../faults.js';
import { type HistogramSnapshot, overflowIndex } from '../stats/histogramSnapshot.js';
import type { ProcessMonitor } from './processMonitor.js';
import type { RoomFigureSource as Room } from './roomFigureSource.js';
import { readCounters } from './statsReport.js';

type Labels = Record<string, string | number>;
interface Sample {
  value: number;
  labels?: Labels;
  /** For histograms: the series name (`<name>_bucket`, `_sum`, `_count`). */
  metricName?: string;
}
type MetricType = 'counter' | 'gauge' | 'histogram';

/** Bucket bounds of the whole-tick histograms, ms (the tick period is added). */
const TICK_BOUNDS_MS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000];
/** Bucket bounds of the phase histograms (systems, snapshot), ms. */
const PHASE_BOUNDS_MS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

const seconds = (ms: number) => Number((ms / 1000).toPrecision(6));

/**
 * A histogram snapshot as Prometheus series: cumulative `_bucket{le}` at each bound (rounded down to
 * a bucket edge, so a bound never splits a bucket), `+Inf`, `_sum` and `_count`, in seconds.
 */
export function histogramSamples(
  name: string,
  h: HistogramSnapshot,
  boundsMs: number[],
  labels: Labels = {},
): Sample[] {
  const edges = [
    ...new Set(boundsMs.map((ms) => Math.floor(ms / h.resolutionMs + 1e-9) * h.resolutionMs).filter((ms) => ms > 0)),
  ]
    .filter((ms) => ms <= h.ceilingMs)
    .sort((a, b) => a - b);
  const overflow = overflowIndex(h);
  const samples: Sample[] = [];
  let cumulative = 0;
  let next = 0;
  for (const edgeMs of edges) {
    // Buckets whose upper edge (i + 1) · resolution is at or below this bound.
    const lastIndex = Math.round(edgeMs / h.resolutionMs) - 1;
    while (next < h.buckets.length && h.buckets[next]![0] <= lastIndex && h.buckets[next]![0] < overflow) {
      cumulative += h.buckets[next]![1];
      next++;
    }
    samples.push({ metricName: `${name}_bucket`, labels: { ...labels, le: seconds(edgeMs) }, value: cumulative });
  }
  samples.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: h.count });
  samples.push({ metricName: `${name}_sum`, labels, value: h.sumMs / 1000 });
  samples.push({ metricName: `${name}_count`, labels, value: h.count });
  return samples;
}

/** Mean, median, p99 and max of a list of per-client figures (empty: no series). */
function spread(values: number[], scale: number): Sample[] {
  if (values.length === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return [
    { labels: { stat: 'min' }, value: sorted[0]! * scale },
    { labels: { stat: 'mean' }, value: mean * scale },
    { labels: { stat: 'p50' }, value: at(0.5) * scale },
    { labels: { stat: 'p99' }, value: at(0.99) * scale },
    { labels: { stat: 'max' }, value: sorted.at(-1)! * scale },
  ];
}

export interface MetricsSources {
  room: Room;
  clock: { tick: number; droppedTicks: number };
  process: ProcessMonitor;
  /** 1 while /healthz would answer overloaded. */
  overloaded: () => boolean;
  /** Unexpected exceptions caught at each entry point (faults.ts); none counted without it. */
  faults?: Faults;
}

export function createMetricsRegistry({ room, clock, process: monitor, overloaded, faults }: MetricsSources): Registry {
  const registry = new Registry();
  const add = (name: string, help: string, type: MetricType, collect: () => Sample[]) => {
    const get = async () => ({
      name,
      help,
      type,
      aggregator: 'sum',
      values: collect().map((s) => ({ labels: {}, ...s })),
    });
    // prom-client formats any object with name, help, type and get(); its Metric type is a class.
    registry.registerMetric({ name, help, type, aggregator: 'sum', get } as unknown as Metric);
  };
  const one = (value: number): Sample[] => [{ value }];
  const timings = room.timings;
  const tickBounds = [...TICK_BOUNDS_MS, timings.periodMs];

  add('tickwire_tick_duration_seconds', 'Duration of each tick, start to end.', 'histogram', () =>
    histogramSamples('tickwire_tick_duration_seconds', timings.tickMs.snapshot(), tickBounds),
  );
  add('tickwire_tick_lateness_seconds', 'How late each tick started against its schedule.', 'histogram', () =>
    histogramSamples('tickwire_tick_lateness_seconds', timings.latenessMs.snapshot(), tickBounds),
  );
  add(
    'tickwire_tick_phase_duration_seconds',
    'Duration of each phase of a tick: world.execute, each ecsy system, snapshot capture, encode and send (--tick-timing).',
    'histogram',
    () => {
      const phases: [string, HistogramSnapshot][] = [
        ['worldExecute', timings.worldExecuteMs.snapshot()],
        ['snapshotCapture', timings.snapshotCaptureMs.snapshot()],
        ['snapshotEncode', timings.snapshotEncodeMs.snapshot()],
        ['snapshotSend', timings.snapshotSendMs.snapshot()],
        ...[...timings.systems].map(([system, h]): [string, HistogramSnapshot] => [`system.${system}`, h.snapshot()]),
      ];
      return phases.flatMap(([phase, h]) =>
        histogramSamples('tickwire_tick_phase_duration_seconds', h, PHASE_BOUNDS_MS, { phase }),
      );
    },
  );
  add('tickwire_ticks_total', 'Ticks run.', 'counter', () => one(clock.tick));
  add('tickwire_ticks_dropped_total', 'Ticks skipped after stalls longer than --max-catch-up ticks.', 'counter', () =>
    one(clock.droppedTicks),
  );
  add('tickwire_tick_overruns_total', 'Ticks whose duration exceeded the tick period.', 'counter', () =>
    one(timings.overruns),
  );
  add('tickwire_overloaded', '1 while /healthz answers overloaded (see README), else 0.', 'gauge', () =>
    one(overloaded() ? 1 : 0),
  );
  add('tickwire_rooms', 'Rooms running.', 'gauge', () => one(room.failed ? 0 : 1));
  add(
    'tickwire_faults_total',
    'Unexpected exceptions caught at an entry point (http, upgrade, frame, close, timer, tick), each closing only what it served.',
    'counter',
    () => ENTRY_POINTS.map((entry) => ({ labels: { entry }, value: faults?.counts[entry] ?? 0 })),
  );
  add('tickwire_players', 'Players in rooms.', 'gauge', () => one(room.playerCount));
  add('tickwire_connections', 'Open game connections, joined or not.', 'gauge', () => one(room.sessionCount));

  const counter = (name: string, help: string, read: (c: ReturnType<typeof readCounters>) => number) =>
    add(name, help, 'counter', () => one(read(readCounters(room))));
  counter('tickwire_bytes_out_total', 'Payload bytes sent to clients.', (c) => c.bytesOut);
  counter('tickwire_messages_out_total', 'Messages sent to clients.', (c) => c.messagesOut);
  counter('tickwire_bytes_in_total', 'Payload bytes received from clients.', (c) => c.bytesIn);
  counter('tickwire_messages_in_total', 'Messages received from clients.', (c) => c.messagesIn);
  counter('tickwire_snapshots_sent_total', 'SNAPSHOT frames sent.', (c) => c.snapshotsSent);
  counter(
    'tickwire_snapshot_full_fallbacks_total',
    "Full snapshots because a client's baseline had left the ring.",
    (c) => c.fullFallbacks,
  );
  counter(
    'tickwire_snapshot_full_on_join_total',
    'Full snapshots to clients with no baseline yet.',
    (c) => c.fullOnJoin,
  );
  counter(
    'tickwire_snapshot_backpressure_skips_total',
    'Snapshots skipped for a client whose socket was backed up.',
    (c) => c.backpressureSkips,
  );
  counter('tickwire_inputs_dropped_total', "Inputs dropped because a player's queue was full.", (c) => c.droppedInputs);
  counter(
    'tickwire_inputs_starved_ticks_total',
    "Ticks that found a player's input queue empty and repeated its latest input.",
    (c) => c.starvedTicks,
  );

  add('tickwire_input_queue_depth', "Inputs waiting in each player's queue, across players.", 'gauge', () =>
    spread(room.clientFigures().inputQueueDepth, 1),
  );
  add(
    'tickwire_client_rtt_seconds',
    "Each player's smoothed snapshot-to-ack round trip (includes the wait for its next input), across players.",
    'gauge',
    () => spread(room.clientFigures().rttMs, 1 / 1000),
  );
  add(
    'tickwire_client_clock_offset_seconds',
    "Each player's INPUT.tick minus the tick the server applies it at, smoothed: + ahead, - behind, across players.",
    'gauge',
    () => spread(room.clientFigures().clockOffsetMs, 1 / 1000),
  );

  add('process_cpu_user_seconds_total', 'User CPU time of the process.', 'counter', () =>
    one(monitor.read().cpuUserUs / 1e6),
  );
  add('process_cpu_system_seconds_total', 'System CPU time of the process.', 'counter', () =>
    one(monitor.read().cpuSystemUs / 1e6),
  );
  add('process_resident_memory_bytes', 'Resident memory of the process.', 'gauge', () => one(monitor.read().rssBytes));
  add('nodejs_heap_size_used_bytes', 'V8 heap in use.', 'gauge', () => one(monitor.read().heapUsedBytes));
  add('nodejs_heap_size_total_bytes', 'V8 heap allocated.', 'gauge', () => one(monitor.read().heapTotalBytes));
  add(
    'tickwire_eventloop_delay_seconds',
    'How late the event loop ran a 20 ms timer, since start: p50, p99, max.',
    'gauge',
    () => {
      const delay = monitor.read().eventLoopDelayMs;
      return [
        { labels: { stat: 'p50' }, value: delay.p50 / 1000 },
        { labels: { stat: 'p99' }, value: delay.p99 / 1000 },
        { labels: { stat: 'max' }, value: delay.max / 1000 },
      ];
    },
  );
  add('tickwire_gc_pauses_total', 'Garbage collections, by kind.', 'counter', () =>
    Object.entries(monitor.read().gcPauses.byKind).map(([kind, gc]) => ({ labels: { kind }, value: gc.count })),
  );
  add('tickwire_gc_pause_seconds_total', 'Time spent in garbage collection, by kind.', 'counter', () =>
    Object.entries(monitor.read().gcPauses.byKind).map(([kind, gc]) => ({
      labels: { kind },
      value: gc.totalMs / 1000,
    })),
  );
  return registry;
}
