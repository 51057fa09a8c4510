// Test fixtures: a fake server whose /stats advance one second at a time (real MsHistograms,
// cumulative, as the server keeps them), and whole runs and results built from it.
import { type CorrectionTotals, emptyCorrectionTotals } from '../../client/src/bot/corrections.js';
import type { ProgressRecord, SummaryRecord } from '../../client/src/bot/summary.js';
import { STATS_SCHEMA } from '../../server/src/metrics/statsReport.js';
import { MsHistogram } from '../../server/src/stats/histogram.js';
import { buildResult, type Phase, type ProfileResult, type RunMeasurements, type Sample } from '../src/result.js';
import type { ServerStats } from '../src/statsReader.js';

export interface SecondOptions {
  /** Tick time of the i-th tick of this second, ms. @default 1 + 0.1 × (i % 5) */
  tickMs?: (i: number) => number;
  players?: number;
  /** Payload bytes the server sends each player this second. @default 1600 */
  bytesPerClient?: number;
  /** Server CPU this second, s. @default 0.1 */
  cpu?: number;
  /** Ticks of this second the server drops after a stall instead of running. @default 0 */
  dropTicks?: number;
}

export class FakeServer {
  timeMs = 0;
  players = 0;
  private run = 0;
  private dropped = 0;
  private cpuUs = 0;
  private gc = { count: 0, totalMs: 0 };
  readonly counters: Record<string, number> = { bytesOut: 0, messagesOut: 0, backpressureSkips: 0, fullFallbacks: 0 };
  readonly histograms: Record<string, MsHistogram> = {
    tickMs: new MsHistogram(),
    latenessMs: new MsHistogram(),
    worldExecuteMs: new MsHistogram(),
    snapshotEncodeMs: new MsHistogram(),
    snapshotSendMs: new MsHistogram(),
    'system.InputSystem': new MsHistogram(),
    'system.MovementSystem': new MsHistogram(),
  };

  constructor(readonly tickRate = 30) {}

  /** One second: tickRate ticks, each split 20 % input, 30 % movement, 10 % ecsy, 10 % encode, 20 % send, 10 % rest. */
  second(o: SecondOptions = {}): void {
    if (o.players !== undefined) this.players = o.players;
    const tickMs = o.tickMs ?? ((i: number) => 1 + 0.1 * (i % 5));
    const drop = o.dropTicks ?? 0;
    for (let i = 0; i < this.tickRate - drop; i++) {
      const t = tickMs(i);
      this.histograms.tickMs!.record(t);
      this.histograms.latenessMs!.record(0.2);
      this.histograms['system.InputSystem']!.record(0.2 * t);
      this.histograms['system.MovementSystem']!.record(0.3 * t);
      this.histograms.worldExecuteMs!.record(0.6 * t);
      this.histograms.snapshotEncodeMs!.record(0.1 * t);
      this.histograms.snapshotSendMs!.record(0.2 * t);
      this.counters.messagesOut! += this.players;
    }
    this.counters.bytesOut! += (o.bytesPerClient ?? 1600) * this.players;
    this.run += this.tickRate - drop;
    this.dropped += drop;
    this.cpuUs += (o.cpu ?? 0.1) * 1e6;
    this.gc = { count: this.gc.count + 1, totalMs: this.gc.totalMs + 0.5 };
    this.timeMs += 1000;
  }

  read(): ServerStats {
    return JSON.parse(
      JSON.stringify({
        schema: STATS_SCHEMA,
        timeMs: this.timeMs,
        wallTime: 1_800_000_000_000 + this.timeMs,
        scenario: 'arena',
        tickRate: this.tickRate,
        snapshotRate: this.tickRate,
        tick: this.run,
        players: this.players,
        connections: this.players,
        rooms: { live: 1, max: 256, created: 1, disposed: 0, failed: 0, byPhase: { running: 1 } },
        roomList: [],
        ticks: { run: this.run, dropped: this.dropped, overruns: 0, wakeUps: this.run },
        histograms: Object.fromEntries(Object.entries(this.histograms).map(([k, h]) => [k, h.snapshot()])),
        counters: this.counters,
        process: {
          cpuUserUs: this.cpuUs * 0.8,
          cpuSystemUs: this.cpuUs * 0.2,
          rssBytes: 100 * 2 ** 20,
          heapUsedBytes: 20 * 2 ** 20,
          eventLoopDelayMs: { p50: 1, p99: 2, max: 3 },
          gcPauses: this.gc,
        },
      }),
    ) as ServerStats;
  }
}

export interface FakeRunOptions {
  bots?: number;
  tickRate?: number;
  joinSeconds?: number;
  warmupSeconds?: number;
  windowSeconds?: number;
  /** Bots CPU per second, s. @default 0.2 */
  botsCpu?: number;
  /** CPU other processes use per second, s. @default 0.02 */
  otherCpu?: number;
  /** Inputs the bots send late per second. @default 0 */
  lateInputsPerSecond?: number;
  disconnects?: number;
  /** Options for warm-up second i (0-based). */
  warmupSecond?: (i: number) => SecondOptions;
  /** Options for window second i (0-based), e.g. a slow tick. */
  windowSecond?: (i: number) => SecondOptions;
  /**
   * --rooms R --room-size P: /healthz lists R rooms "room-k" of P players, each ticking with the
   * server, room k's lateness p99 0.5 + 0.1·k ms; the bots' summary says `botsInRooms` (default R) rooms.
   */
  rooms?: { count: number; size: number; botsInRooms?: number };
  /** The bots predicted (--predict) and their summary reports these corrections. @default not predicting */
  corrections?: CorrectionTotals;
}

/** A whole run as runProfile gathers it: one sample a second through join, warm-up and window. */
export function fakeMeasurements(o: FakeRunOptions = {}): RunMeasurements {
  const bots = o.bots ?? 50;
  const tickRate = o.tickRate ?? 30;
  const joinSeconds = o.joinSeconds ?? 2;
  const warmupSeconds = o.warmupSeconds ?? 3;
  const windowSeconds = o.windowSeconds ?? 10;
  const server = new FakeServer(tickRate);
  const samples: Sample[] = [];
  let botsCpu = 0;
  let profilerCpu = 0;
  let hostBusy = 1000;
  const progress: ProgressRecord = {
    type: 'progress',
    t: 0,
    connected: 0,
    joins: 0,
    disconnects: 0,
    bytesReceived: 0,
    messagesReceived: 0,
    snapshotsApplied: 0,
    inputsSent: 0,
    inputsCaughtUp: 0,
    inputsSkipped: 0,
    ...emptyCorrectionTotals(),
  };
  const push = (phase: Phase) => {
    const stats = server.read();
    const rooms = o.rooms;
    samples.push({
      ...(rooms === undefined
        ? {}
        : {
            rooms: Array.from({ length: rooms.count }, (_, k) => ({
              id: `room-${k}`,
              scenario: 'arena',
              players: rooms.size,
              maxPlayers: rooms.size,
              tickRate,
              ticks: stats.ticks.run,
              latenessMs: { p50: 0.2, p99: 0.5 + 0.1 * k },
              tickMs: { p50: 0.3, p99: 0.9 },
            })),
          }),
      t: server.timeMs / 1000,
      phase,
      stats,
      serverCpuSeconds: (stats.process.cpuUserUs + stats.process.cpuSystemUs) / 1e6,
      botsCpuSeconds: botsCpu,
      botsProgress: { ...progress },
      hostBusySeconds: hostBusy,
      profilerCpuSeconds: profilerCpu,
    });
  };
  const second = (phase: Phase, options: SecondOptions = {}) => {
    const players = phase === 'join' ? Math.min(bots, progress.connected + Math.ceil(bots / joinSeconds)) : bots;
    server.second({ players, ...options });
    botsCpu += o.botsCpu ?? 0.2;
    profilerCpu += 0.01;
    hostBusy += (options.cpu ?? 0.1) + (o.botsCpu ?? 0.2) + 0.01 + (o.otherCpu ?? 0.02);
    progress.t += 1;
    progress.connected = players;
    progress.joins = players;
    progress.bytesReceived += (options.bytesPerClient ?? 1600) * players;
    progress.messagesReceived += tickRate * players;
    progress.inputsSent += 30 * players;
    progress.inputsCaughtUp += o.lateInputsPerSecond ?? 0;
    push(phase);
  };
  push('join');
  samples[0]!.botsCpuSeconds = null; // the bots start after the first sample
  for (let i = 0; i < joinSeconds; i++) second('join');
  for (let i = 0; i < warmupSeconds; i++) second('warmup', o.warmupSecond?.(i));
  const windowStart = samples.length - 1;
  for (let i = 0; i < windowSeconds; i++) second('window', o.windowSecond?.(i));
  const windowEnd = samples.length - 1;
  if (o.disconnects) progress.disconnects = o.disconnects;
  const summary: SummaryRecord = {
    type: 'summary',
    bots,
    seconds: warmupSeconds + windowSeconds,
    bytesPerClientPerSecond: 1600,
    messagesPerClientPerSecond: tickRate,
    snapshotIntervalMs: { bot0: { p50: 33.35, p99: 36.95 }, all: { p50: 33.3, p99: 38 } },
    disconnects: o.disconnects ?? 0,
    closeCodes: {},
    matchmakeErrors: {},
    joins: bots,
    rooms: o.rooms === undefined ? 1 : (o.rooms.botsInRooms ?? o.rooms.count),
    matchmakeMs: { p50: 3.2, p99: 9.5, count: bots, failures: 0 },
    inputsSent: progress.inputsSent,
    inputsCaughtUp: progress.inputsCaughtUp,
    inputsSkipped: 0,
    protocolErrors: 0,
    ...(o.corrections ?? emptyCorrectionTotals()),
    reconnects: 0,
    resumes: 0,
    resumeFailures: 0,
    maxResumeMs: 0,
    // The profiler's arena bots run --load-only: they decode no world.
    entitiesInViewMean: null,
    snapshotBytesPerClientPerSecond: { mean: null, p99: null },
    deferredMean: null,
    maxDeferredMs: null,
  };
  return {
    settings: {
      scenario: 'arena',
      bots,
      tickRate,
      snapshotRate: tickRate,
      warmupSeconds,
      windowSeconds,
      predict: o.corrections !== undefined,
      ...(o.rooms === undefined ? {} : { rooms: o.rooms.count, roomSize: o.rooms.size }),
    },
    createdAt: '2026-11-22T02:00:00.000Z',
    machine: '2 × Test CPU, 24 GiB, Node v20.20.2',
    cores: 2,
    command: `npm run profile -- --bots ${bots}`,
    samples,
    windowStart,
    windowEnd,
    serverRssBytes: 97 * 2 ** 20,
    botsSummary: summary,
  };
}

export function fakeResult(o: FakeRunOptions = {}): ProfileResult {
  return buildResult(fakeMeasurements(o));
}
