// GET /metrics: the server's figures in Prometheus text format (prom-client's registry and
// formatter). Nothing here runs per tick: every metric is read from the rooms' own counters and
// histograms when Prometheus scrapes, so scraping more often costs nothing between scrapes.
//
// Label sets stay bounded whatever the rooms do: no series carries a room id (rooms come and go, so a
// label per room would make a new series per room, forever, in Prometheus's index). Room series are
// labelled only by values from fixed tables (scenario: SCENARIOS, phase: ROOM_PHASES, stat: SPREAD)
// and every one of them is written on every scrape, zero or not, so the series are the same with
// no room, 100 rooms or after 100 rooms came and went. Per-room figures live in /stats and /healthz.
//
// In a cluster (--redis-url) every series also carries `process="<id>"` (--process-id, or the random
// id the process drew at start): one label, the same on every series and scrape of a process, so
// the processes' series stay apart in one Prometheus and sum() over them reads the whole cluster.

import { type Metric, Registry } from 'prom-client';
import { ENTRY_POINTS, type Faults } from '../faults.js';
import { SCENARIOS } from '../room/roomOptions.js';
import { ROOM_PHASES } from '../rooms/roomLifecycle.js';
import { type HistogramSnapshot, overflowIndex } from '../stats/histogramSnapshot.js';
import type { ProcessMonitor } from './processMonitor.js';
import type { RoomFigureSource as Room, RoomRow, RoomsSource, TickCounts } from './roomFigureSource.js';
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
const one = (value: number): Sample[] => [{ value }];

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

/** The `stat` labels of a spread, in the order written. */
export const SPREAD = ['min', 'mean', 'p50', 'p99', 'max'] as const;

/** Min, mean, median, p99 and max of a list of figures (empty: no series, or zeros when `zeroWhenEmpty`). */
function spread(values: number[], scale: number, zeroWhenEmpty = false): Sample[] {
  if (values.length === 0) return zeroWhenEmpty ? SPREAD.map((stat) => ({ labels: { stat }, value: 0 })) : [];
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  const value: Record<(typeof SPREAD)[number], number> = {
    min: sorted[0]!,
    mean,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1)!,
  };
  return SPREAD.map((stat) => ({ labels: { stat }, value: value[stat] * scale }));
}

/**
 * `read` shared by the series of one scrape: prom-client calls every metric's get() in one
 * synchronous stretch (registry.metrics() maps over them), so a value kept until the next microtask
 * is read once per scrape and never seen by a later one. Over many rooms each read is a pass over
 * every room (and player): once per scrape, not once per series.
 */
export function perScrape<T>(read: () => T): () => T {
  let kept: { value: T } | undefined;
  return () => {
    if (kept === undefined) {
      kept = { value: read() };
      queueMicrotask(() => {
        kept = undefined;
      });
    }
    return kept.value;
  };
}

type AddMetric = (name: string, help: string, type: MetricType, collect: () => Sample[]) => void;

/**
 * The rooms' series: counted by scenario and phase, their lifetimes' totals, and the spread of
 * their p99s, never one series per room (see the top of this file). One pass over the rooms per scrape.
 */
function addRoomSeries(add: AddMetric, rooms: RoomsSource, clock: TickCounts): void {
  const rows = perScrape(() => rooms.rows().rows);
  const byScenario = (read: (row: RoomRow) => number): Sample[] =>
    SCENARIOS.map((scenario) => ({
      labels: { scenario },
      value: rows()
        .filter((row) => row.scenario === scenario)
        .reduce((sum, row) => sum + read(row), 0),
    }));
  add('tickwire_rooms', 'Rooms hosted, by scenario and lifecycle phase.', 'gauge', () => {
    const list = rows();
    return SCENARIOS.flatMap((scenario) =>
      ROOM_PHASES.map((phase) => ({
        labels: { scenario, phase },
        value: list.filter((row) => row.scenario === scenario && row.phase === phase).length,
      })),
    );
  });
  add('tickwire_room_players', 'Players in rooms, by scenario.', 'gauge', () => byScenario((row) => row.players));
  add('tickwire_room_seats', 'Places in rooms (the sum of their maxPlayers), by scenario.', 'gauge', () =>
    byScenario((row) => row.maxPlayers),
  );
  add('tickwire_rooms_created_total', 'Rooms made since start.', 'counter', () => one(rooms.totals().created));
  add('tickwire_rooms_disposed_total', 'Rooms disposed since start (idle, closed or after failing).', 'counter', () =>
    one(rooms.totals().disposed),
  );
  add('tickwire_rooms_failed_total', 'Rooms whose tick threw, since start.', 'counter', () =>
    one(rooms.totals().failed),
  );
  add(
    'tickwire_scheduler_wakeups_total',
    "Times the room scheduler's timer fired; rooms in one phase slot share a wake-up.",
    'counter',
    () => one(clock.wakeUps),
  );
  /** The p99s of the rooms that have ticked, in seconds. */
  const p99s = (read: (row: RoomRow) => { count: number; p99: number }): number[] =>
    rows()
      .map(read)
      .filter((h) => h.count > 0)
      .map((h) => h.p99);
  add(
    'tickwire_room_lateness_p99_worst_seconds',
    "The highest tick-start lateness p99 of any room, each room's since it was made (0 with no room ticking).",
    'gauge',
    () => one(Math.max(0, ...p99s((row) => row.latenessMs)) / 1000),
  );
  add(
    'tickwire_room_lateness_p99_seconds',
    "Spread over the rooms of each room's tick-start lateness p99 since it was made: min, mean, p50, p99, max (0 with no room ticking).",
    'gauge',
    () =>
      spread(
        p99s((row) => row.latenessMs),
        1 / 1000,
        true,
      ),
  );
  add(
    'tickwire_room_tick_duration_p99_seconds',
    "Spread over the rooms of each room's tick duration p99 since it was made: min, mean, p50, p99, max (0 with no room ticking).",
    'gauge',
    () =>
      spread(
        p99s((row) => row.tickMs),
        1 / 1000,
        true,
      ),
  );
}

export interface MetricsSources {
  /** The process's sums over its rooms. */
  room: Room;
  /** The rooms one by one: only counted, or spread, into series without room ids. */
  rooms: RoomsSource;
  clock: TickCounts;
  process: ProcessMonitor;
  /** 1 while /healthz would answer overloaded. */
  overloaded: () => boolean;
  /** Unexpected exceptions caught at each entry point (faults.ts); none counted without it. */
  faults?: Faults;
  /** With --redis-url: this process's id in the cluster, the `process` label of every series; none without. */
  processId?: string | undefined;
}

export function createMetricsRegistry({
  room,
  rooms,
  clock,
  process: monitor,
  overloaded,
  faults,
  processId,
}: MetricsSources): Registry {
  const registry = new Registry();
  // prom-client adds default labels to every value it formats, histogram buckets included.
  if (processId !== undefined && processId !== '') registry.setDefaultLabels({ process: processId });
  const add: AddMetric = (name, help, type, collect) => {
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
    'Duration of each phase of a tick: world.execute, each ecsy system, snapshot capture, encode and send, and with a view radius the interest grid and views (--tick-timing).',
    'histogram',
    () => {
      const phases: [string, HistogramSnapshot][] = [
        ['worldExecute', timings.worldExecuteMs.snapshot()],
        ['snapshotCapture', timings.snapshotCaptureMs.snapshot()],
        ['snapshotEncode', timings.snapshotEncodeMs.snapshot()],
        ['snapshotSend', timings.snapshotSendMs.snapshot()],
        ...(timings.interestGridMs.count > 0
          ? ([
              ['interestGrid', timings.interestGridMs.snapshot()],
              ['interestViews', timings.interestViewsMs.snapshot()],
            ] as [string, HistogramSnapshot][])
          : []),
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
  addRoomSeries(add, rooms, clock);
  add(
    'tickwire_faults_total',
    'Unexpected exceptions caught at an entry point (http, upgrade, frame, close, timer, tick), each closing only what it served.',
    'counter',
    () => ENTRY_POINTS.map((entry) => ({ labels: { entry }, value: faults?.counts[entry] ?? 0 })),
  );
  add('tickwire_players', 'Players in rooms.', 'gauge', () => one(room.playerCount));
  add('tickwire_connections', 'Open game connections, joined or not.', 'gauge', () => one(room.sessionCount));

  const counters = perScrape(() => readCounters(room));
  const clients = perScrape(() => room.clientFigures());
  const counter = (name: string, help: string, read: (c: ReturnType<typeof readCounters>) => number) =>
    add(name, help, 'counter', () => one(read(counters())));
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
  counter(
    'tickwire_snapshot_pieces_encoded_total',
    'Interest management: entity pieces written once per tick and shared by every client that takes them.',
    (c) => c.piecesEncoded,
  );
  counter(
    'tickwire_snapshot_piece_bytes_encoded_total',
    'Interest management: bytes of those pieces, shots and kills lists included.',
    (c) => c.pieceBytesEncoded,
  );
  counter(
    'tickwire_snapshot_lagging_pieces_total',
    'Interest management: pieces one client had of its own (a lagging baseline, or an entity it holds deferred).',
    (c) => c.laggingPieces,
  );
  counter('tickwire_inputs_dropped_total', "Inputs dropped because a player's queue was full.", (c) => c.droppedInputs);
  counter(
    'tickwire_inputs_starved_ticks_total',
    "Ticks that found a player's input queue empty and repeated its latest input.",
    (c) => c.starvedTicks,
  );

  add('tickwire_input_queue_depth', "Inputs waiting in each player's queue, across players.", 'gauge', () =>
    spread(clients().inputQueueDepth, 1),
  );
  add(
    'tickwire_client_rtt_seconds',
    "Each player's smoothed snapshot-to-ack round trip (includes the wait for its next input), across players.",
    'gauge',
    () => spread(clients().rttMs, 1 / 1000),
  );
  add(
    'tickwire_client_clock_offset_seconds',
    "Each player's INPUT.tick minus the tick the server applies it at, smoothed: + ahead, - behind, across players.",
    'gauge',
    () => spread(clients().clockOffsetMs, 1 / 1000),
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
