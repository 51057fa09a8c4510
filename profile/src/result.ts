// The profile result: what one run measured, as the JSON file holds it, and how it is built from
// the per-second samples. Built once per run (and once per capacity step); pure.

import type { CorrectionTotals } from '../../client/src/bot/corrections.js';
import type { ProgressRecord, SummaryRecord } from '../../client/src/bot/summary.js';
import type { HistogramSnapshot } from '../../server/src/stats/histogramSnapshot.js';
import { quantileOf, summarize } from '../../server/src/stats/histogramSnapshot.js';
import { type RoomFigures, type RoomReading, roomWindow } from './roomsReader.js';
import {
  type ServerStats,
  type StatsWindow,
  type Summary,
  SYSTEM_PREFIX,
  statsWindow,
  systemHistograms,
} from './statsReader.js';

/** Version of the result file's layout; compare refuses other versions. */
export const RESULT_SCHEMA = 1;

/** Bots CPU at or above this many s/s: the bots process (one Node thread) is saturated. @default 0.9 s/s */
export const BOTS_SATURATED_CPU = 0.9;
/** Late inputs (caught up or skipped) above this share of those sent: the bots' send schedule slipped. @default 0.01 */
export const BOTS_LATE_INPUT_SHARE = 0.01;
/** CPU used by other processes above this many s/s disturbs the figures (the cores are shared). @default 0.2 s/s */
export const OTHER_LOAD_CPU = 0.2;
/** Ticks run may differ from rate × window by this share before the run reports it. @default 0.02 */
const TICK_COUNT_TOLERANCE = 0.02;

export type Phase = 'join' | 'warmup' | 'window';

/** One reading, taken once a second on a fixed grid from the run's start. */
export interface Sample {
  /** Seconds since the run started (the profiler's clock). */
  t: number;
  phase: Phase;
  stats: ServerStats;
  /** Server utime + stime from /proc/PID/stat, cumulative, s. */
  serverCpuSeconds: number;
  /** The bots process's utime + stime, cumulative from its start, s; null before it started (read as 0 then). */
  botsCpuSeconds: number | null;
  /** The bots' latest progress line (cumulative counters), if one came yet. */
  botsProgress: ProgressRecord | undefined;
  /** Busy CPU seconds of every core together since boot (/proc/stat). */
  hostBusySeconds: number;
  /** The profiler's own CPU seconds. */
  profilerCpuSeconds: number;
  /** /healthz's rooms at this sample; null (or absent) when the server lists none. */
  rooms?: RoomReading[] | null;
}

export interface RunSettings {
  scenario: string;
  bots: number;
  /** --rooms R: the bots made R rooms of roomSize (absent: every bot joinOrCreate, one room). */
  rooms?: number;
  roomSize?: number;
  tickRate: number;
  snapshotRate: number;
  /** The server's --view-radius, world units (absent: the scenario's default, 1,000 in the world). */
  viewRadius?: number;
  warmupSeconds: number;
  windowSeconds: number;
  /** Bots predicted their own player (off: pure load, as docs/scenarios.md's bots). */
  predict: boolean;
}

/** Everything one run gathered; buildResult turns it into the result. */
export interface RunMeasurements {
  settings: RunSettings;
  createdAt: string;
  machine: string;
  cores: number;
  command: string;
  /** Every sample, in order; the window is from `windowStart` to `windowEnd` (indexes into it). */
  samples: Sample[];
  windowStart: number;
  windowEnd: number;
  /** Server RSS from /proc at the window's end, bytes. */
  serverRssBytes: number;
  /** The bots' summary line (printed when they were stopped), if it came. */
  botsSummary: SummaryRecord | undefined;
}

/** A per-second point of the time series. */
export interface SeriesPoint {
  /** Seconds since the run started, at the end of this second. */
  t: number;
  phase: Phase;
  players: number;
  ticks: number;
  tickP50Ms: number;
  tickP99Ms: number;
  tickMaxMs: number;
  /** Payload bytes the server sent per player per second. */
  serverBytesPerClient: number;
  /** Payload bytes the bots received per connected bot per second; null without two progress lines. */
  clientBytesPerClient: number | null;
  serverCpu: number;
  botsCpu: number | null;
  /** CPU s/s of everything else on the machine (not the server, the bots or the profiler). */
  otherCpu: number;
}

/** One part of the tick: an ecsy system, or a phase around them. */
export interface TickPart {
  name: string;
  kind: 'system' | 'phase';
  summary: Summary;
  /** Total ms over the window. */
  totalMs: number;
  /** Share of the window's total tick time, 0..1. */
  share: number;
}

/** A part's name as the tables, the report and compare show it: a system by its class, a phase in parentheses. */
export function partLabel(p: Pick<TickPart, 'name' | 'kind'>): string {
  return p.kind === 'system' ? p.name : `(${p.name})`;
}

export interface ProfileResult {
  schema: typeof RESULT_SCHEMA;
  kind: 'profile';
  createdAt: string;
  machine: string;
  command: string;
  settings: RunSettings;
  /** 1000 / tick rate, ms. */
  budgetMs: number;
  /** The measured window, by the server's clock. */
  window: { seconds: number; startT: number; endT: number };
  ticks: {
    run: number;
    /** tick rate × window seconds: run + dropped should come to this. */
    expected: number;
    dropped: number;
    /** Ticks that took longer than the budget (the server's count). */
    overruns: number;
  };
  tickMs: Summary;
  latenessMs: Summary;
  /** worldExecuteMs, snapshotEncodeMs, snapshotSendMs and any other non-system histogram but tick and lateness. */
  phases: Record<string, Summary>;
  /** Systems, then the phases around them, then what is left of the tick, by share of tick time. */
  breakdown: TickPart[];
  server: {
    /** From /proc/PID/stat over the window. */
    cpuSecondsPerSecond: number;
    /** From the server's own process.cpuUsage() over the window: a cross-check. */
    reportedCpuSecondsPerSecond: number;
    rssMiB: number;
    heapUsedMiB: number;
    /** The server's own figure since it started (not windowed). */
    eventLoopDelayMs: { p50: number; p99: number; max: number };
    /** GC pauses within the window. */
    gcPauses: { count: number; totalMs: number };
    players: number;
    connections: number;
  };
  traffic: {
    /** Payload bytes the server sent per player per second (its bytesOut counter). */
    serverBytesPerClientPerSecond: number;
    serverMessagesPerClientPerSecond: number;
    /** Payload bytes each bot received per second over the window (the bots' progress lines). */
    clientBytesPerClientPerSecond: number | null;
    clientMessagesPerClientPerSecond: number | null;
    /** clientBytesPerClientPerSecond ÷ snapshot rate ÷ players, as docs/scenarios.md defines it. */
    bytesPerPlayerPerUpdate: number | null;
    /** Snapshot arrival interval at bot 0, from the last join to the end of the window (the bots' summary). */
    snapshotIntervalMs: { p50: number | null; p99: number | null };
  };
  bots: {
    cpuSecondsPerSecond: number | null;
    joins: number | null;
    connectedAtEnd: number | null;
    disconnects: number | null;
    closeCodes: Record<string, number>;
    /** Inputs sent within the window. */
    inputsSent: number | null;
    /** Inputs due within the window: those sent and those skipped because the bots fell behind. */
    inputsDue: number | null;
    /** Of the inputs due, those sent late (caught up) or skipped. */
    inputsLate: number | null;
    saturated: boolean;
    /** Why the bots count as saturated, or null. */
    saturation: string | null;
    /** Distinct rooms the bots played in (their summary); null without one. */
    rooms: number | null;
    /** Their POST /matchmake calls: p50/p99 ms, count and failures (their summary); null without one. */
    matchmakeMs: { p50: number | null; p99: number | null; count: number; failures: number } | null;
    /**
     * Their prediction corrections by kind over the whole run (their summary): mispredictions apart
     * from dropped-input and unpredictable ones. Null when they did not predict or gave no summary
     * (and in results written before this field).
     */
    corrections?: CorrectionTotals | null;
  };
  /**
   * The rooms /healthz listed at the window's end, each with the ticks it ran in the window; its other
   * figures are the server's own (players, lateness and tick time as /healthz keeps them). Null when
   * the server lists no rooms.
   */
  rooms: {
    count: number;
    /** The room with the highest lateness p99, as /healthz gave it. */
    worstLatenessP99: { id: string; p99: number } | null;
    figures: RoomFigures[];
  } | null;
  /** The machine over the window: all cores' busy CPU, and the part no process of this run used. */
  host: { cores: number; busyCpuSecondsPerSecond: number; otherCpuSecondsPerSecond: number };
  /** Every server counter, differenced over the window. */
  counters: Record<string, number>;
  /** Every /stats histogram over the window (tickMs drives the report's histogram). */
  histograms: Record<string, HistogramSnapshot>;
  series: SeriesPoint[];
  /** Reasons the figures may not mean what they seem (lost bots, dropped ticks, saturated bots…). */
  problems: string[];
}

const MIB = 2 ** 20;
const TICK_KEYS = new Set(['tickMs', 'latenessMs']);
/** A histogram a window lacks: the server never recorded into it. */
const EMPTY: HistogramSnapshot = { resolutionMs: 0.01, ceilingMs: 1000, count: 0, sumMs: 0, maxMs: 0, buckets: [] };

/** A /stats histogram timing a phase of the tick (world execute, snapshot encode, send…): not the tick, not a system. */
function isPhaseKey(key: string): boolean {
  return !TICK_KEYS.has(key) && !key.startsWith(SYSTEM_PREFIX);
}

export function buildResult(m: RunMeasurements): ProfileResult {
  const { settings } = m;
  const start = m.samples[m.windowStart];
  const end = m.samples[m.windowEnd];
  if (start === undefined || end === undefined || m.windowEnd <= m.windowStart) {
    throw new RangeError('buildResult: the window needs a start sample before its end sample');
  }
  const w = statsWindow(end.stats, start.stats);
  const profilerSeconds = end.t - start.t;
  const players = end.stats.players;
  const budgetMs = 1000 / settings.tickRate;
  const tick = w.histograms.tickMs ?? EMPTY;

  const phases: Record<string, Summary> = {};
  for (const [key, h] of Object.entries(w.histograms)) {
    if (isPhaseKey(key)) phases[key] = summarize(h);
  }

  const startProgress = start.botsProgress;
  const endProgress = end.botsProgress;
  const clientRates = clientTraffic(startProgress, endProgress);
  const snapshotRate = settings.snapshotRate;
  const botsCpu =
    end.botsCpuSeconds === null ? null : (end.botsCpuSeconds - (start.botsCpuSeconds ?? 0)) / profilerSeconds;
  const inputsSent = startProgress && endProgress ? endProgress.inputsSent - startProgress.inputsSent : null;
  const inputsLate =
    startProgress && endProgress
      ? endProgress.inputsCaughtUp +
        endProgress.inputsSkipped -
        startProgress.inputsCaughtUp -
        startProgress.inputsSkipped
      : null;
  const inputsDue =
    startProgress && endProgress && inputsSent !== null
      ? inputsSent + endProgress.inputsSkipped - startProgress.inputsSkipped
      : null;
  const saturation = botsSaturation(botsCpu, inputsDue, inputsLate);
  const summary = m.botsSummary;
  const gcStart = start.stats.process.gcPauses;
  const gcEnd = end.stats.process.gcPauses;

  // expected is derived from the seconds as printed, so a reader who multiplies them gets it to the rounding.
  const windowSeconds = round(w.seconds, 3);
  const result: ProfileResult = {
    schema: RESULT_SCHEMA,
    kind: 'profile',
    createdAt: m.createdAt,
    machine: m.machine,
    command: m.command,
    settings,
    budgetMs: round(budgetMs, 3),
    window: { seconds: windowSeconds, startT: round(start.t, 3), endT: round(end.t, 3) },
    ticks: { ...w.ticks, expected: round(windowSeconds * settings.tickRate, 1) },
    tickMs: summarize(tick),
    latenessMs: summarize(w.histograms.latenessMs ?? EMPTY),
    phases,
    breakdown: tickBreakdown(w),
    server: {
      cpuSecondsPerSecond: round((end.serverCpuSeconds - start.serverCpuSeconds) / profilerSeconds, 4),
      reportedCpuSecondsPerSecond: round(w.cpuSeconds / w.seconds, 4),
      rssMiB: round(m.serverRssBytes / MIB, 1),
      heapUsedMiB: round(end.stats.process.heapUsedBytes / MIB, 1),
      eventLoopDelayMs: end.stats.process.eventLoopDelayMs,
      gcPauses: { count: gcEnd.count - gcStart.count, totalMs: round(gcEnd.totalMs - gcStart.totalMs, 3) },
      players,
      connections: end.stats.connections,
    },
    traffic: {
      serverBytesPerClientPerSecond: round(perClientSecond(w.counters.bytesOut, players, w.seconds), 1),
      serverMessagesPerClientPerSecond: round(perClientSecond(w.counters.messagesOut, players, w.seconds), 2),
      clientBytesPerClientPerSecond: clientRates && round(clientRates.bytes, 1),
      clientMessagesPerClientPerSecond: clientRates && round(clientRates.messages, 2),
      bytesPerPlayerPerUpdate: clientRates && players > 0 ? round(clientRates.bytes / snapshotRate / players, 3) : null,
      snapshotIntervalMs: {
        p50: summary?.snapshotIntervalMs.bot0.p50 ?? null,
        p99: summary?.snapshotIntervalMs.bot0.p99 ?? null,
      },
    },
    bots: {
      cpuSecondsPerSecond: botsCpu === null ? null : round(botsCpu, 4),
      joins: summary?.joins ?? endProgress?.joins ?? null,
      connectedAtEnd: endProgress?.connected ?? null,
      disconnects: summary?.disconnects ?? endProgress?.disconnects ?? null,
      closeCodes: summary?.closeCodes ?? {},
      inputsSent,
      inputsDue,
      inputsLate,
      saturated: saturation !== null,
      saturation,
      rooms: summary?.rooms ?? null,
      matchmakeMs: summary?.matchmakeMs ?? null,
      corrections: settings.predict && summary !== undefined ? correctionTotalsOf(summary) : null,
    },
    rooms: end.rooms ? roomsFigures(roomWindow(start.rooms ?? null, end.rooms)) : null,
    host: {
      cores: m.cores,
      busyCpuSecondsPerSecond: round((end.hostBusySeconds - start.hostBusySeconds) / profilerSeconds, 3),
      otherCpuSecondsPerSecond: round(otherCpu(start, end) / profilerSeconds, 3),
    },
    counters: w.counters,
    histograms: w.histograms,
    series: series(m.samples),
    problems: [],
  };
  result.problems = problemsOf(result);
  return result;
}

function roomsFigures(figures: RoomFigures[]): NonNullable<ProfileResult['rooms']> {
  let worst: { id: string; p99: number } | null = null;
  for (const room of figures) {
    const p99 = room.latenessMs.p99;
    if (p99 !== null && (worst === null || p99 > worst.p99)) worst = { id: room.id, p99 };
  }
  return { count: figures.length, worstLatenessP99: worst, figures };
}

/** Why the bots process counts as saturated, or null when it kept up. */
export function botsSaturation(cpu: number | null, inputsDue: number | null, inputsLate: number | null): string | null {
  const reasons: string[] = [];
  if (cpu !== null && cpu >= BOTS_SATURATED_CPU) {
    reasons.push(`bots CPU ${cpu.toFixed(2)} s/s ≥ ${BOTS_SATURATED_CPU} (one core)`);
  }
  if (inputsDue !== null && inputsLate !== null && inputsLate > BOTS_LATE_INPUT_SHARE * Math.max(1, inputsDue)) {
    reasons.push(
      `${inputsLate} of ${inputsDue} inputs due were sent late or skipped (> ${BOTS_LATE_INPUT_SHARE * 100} %)`,
    );
  }
  return reasons.length === 0 ? null : reasons.join('; ');
}

function problemsOf(r: ProfileResult): string[] {
  const problems: string[] = [];
  const { bots, settings } = r;
  if (bots.connectedAtEnd !== null && bots.connectedAtEnd < settings.bots) {
    problems.push(`only ${bots.connectedAtEnd} of ${settings.bots} bots connected at the window's end`);
  }
  if (bots.disconnects) problems.push(`${bots.disconnects} bots disconnected`);
  if (settings.rooms !== undefined && bots.rooms !== null && bots.rooms !== settings.rooms) {
    problems.push(`the bots played in ${bots.rooms} rooms, ${settings.rooms} asked for`);
  }
  if (bots.matchmakeMs !== null && bots.matchmakeMs.failures > 0) {
    problems.push(`${bots.matchmakeMs.failures} matchmaking calls failed`);
  }
  if (r.ticks.dropped > 0) problems.push(`${r.ticks.dropped} ticks dropped (the server fell behind)`);
  // The server's clock skips past dropped ticks: run + dropped keep to rate × time.
  if (Math.abs(r.ticks.run + r.ticks.dropped - r.ticks.expected) > TICK_COUNT_TOLERANCE * r.ticks.expected + 1) {
    problems.push(
      `${r.ticks.run} ticks run and ${r.ticks.dropped} dropped in the window, ${r.ticks.expected} expected`,
    );
  }
  const skips = r.counters.backpressureSkips ?? 0;
  if (skips > 0) problems.push(`${skips} snapshots skipped for backpressure`);
  const fallbacks = r.counters.fullFallbacks ?? 0;
  if (fallbacks > 0) problems.push(`${fallbacks} full-snapshot fallbacks`);
  if (bots.saturation !== null) problems.push(`bots saturated: ${bots.saturation}`);
  const other = r.host.otherCpuSecondsPerSecond;
  if (other > OTHER_LOAD_CPU) {
    problems.push(`other processes used ${other.toFixed(2)} CPU s/s of the ${r.host.cores} cores: figures disturbed`);
  }
  return problems;
}

/** CPU seconds between two samples that neither the server, the bots nor the profiler used (≥ 0). */
function otherCpu(a: Sample, b: Sample): number {
  const ours =
    b.serverCpuSeconds -
    a.serverCpuSeconds +
    (b.botsCpuSeconds === null ? 0 : b.botsCpuSeconds - (a.botsCpuSeconds ?? 0)) +
    b.profilerCpuSeconds -
    a.profilerCpuSeconds;
  return Math.max(0, b.hostBusySeconds - a.hostBusySeconds - ours);
}

/**
 * The tick's time split into parts: each system; the world's execute beyond its systems (ecsy's
 * own work); every other phase (snapshot encode, send); and what is left of the tick. Shares are
 * of the tick's total time, or of the parts' sum if the server's phases overlap past it.
 */
function tickBreakdown(w: Pick<StatsWindow, 'histograms'>): TickPart[] {
  const parts: TickPart[] = [];
  const add = (name: string, kind: TickPart['kind'], h: HistogramSnapshot | undefined, totalMs?: number) => {
    if (h === undefined && totalMs === undefined) return;
    const summary = summarize(h ?? EMPTY);
    parts.push({ name, kind, summary, totalMs: totalMs ?? h!.sumMs, share: 0 });
  };
  const systems = systemHistograms(w.histograms);
  for (const [name, h] of systems) add(name, 'system', h);
  const world = w.histograms.worldExecuteMs;
  const systemsMs = systems.reduce((sum, [, h]) => sum + h.sumMs, 0);
  if (world !== undefined) add('world beyond systems', 'phase', undefined, Math.max(0, world.sumMs - systemsMs));
  for (const [key, h] of Object.entries(w.histograms)) {
    if (isPhaseKey(key) && key !== 'worldExecuteMs') add(phaseLabel(key), 'phase', h);
  }
  const partsMs = parts.reduce((sum, p) => sum + p.totalMs, 0);
  const tickMs = w.histograms.tickMs?.sumMs ?? 0;
  if (tickMs > partsMs) add('rest of tick', 'phase', undefined, tickMs - partsMs);
  const whole = Math.max(tickMs, partsMs);
  for (const part of parts) {
    part.totalMs = round(part.totalMs, 3);
    part.share = whole > 0 ? round(part.totalMs / whole, 4) : 0;
  }
  return parts;
}

/** 'snapshotEncodeMs' → 'snapshot encode'. */
export function phaseLabel(key: string): string {
  return key
    .replace(/Ms$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

function series(samples: readonly Sample[]): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let i = 1; i < samples.length; i++) points.push(seriesPoint(samples[i - 1]!, samples[i]!));
  return points;
}

/** The second between two consecutive samples: tick times, rates per client, CPU. */
export function seriesPoint(a: Sample, b: Sample): SeriesPoint {
  const w = statsWindow(b.stats, a.stats);
  const tick = w.histograms.tickMs;
  const dt = b.t - a.t;
  const client = clientTraffic(a.botsProgress, b.botsProgress);
  return {
    t: round(b.t, 3),
    phase: b.phase,
    players: b.stats.players,
    ticks: w.ticks.run,
    tickP50Ms: tick ? round(quantileOf(tick, 0.5), 3) : 0,
    tickP99Ms: tick ? round(quantileOf(tick, 0.99), 3) : 0,
    tickMaxMs: tick ? round(tick.maxMs, 3) : 0,
    serverBytesPerClient: round(perClientSecond(w.counters.bytesOut, b.stats.players, w.seconds), 1),
    clientBytesPerClient: client && round(client.bytes, 1),
    serverCpu: dt > 0 ? round((b.serverCpuSeconds - a.serverCpuSeconds) / dt, 4) : 0,
    botsCpu: dt > 0 && b.botsCpuSeconds !== null ? round((b.botsCpuSeconds - (a.botsCpuSeconds ?? 0)) / dt, 4) : null,
    otherCpu: dt > 0 ? round(otherCpu(a, b) / dt, 3) : 0,
  };
}

/** Per-bot receive rates between two progress lines (the bots' own clock), or null without two distinct lines. */
function clientTraffic(
  a: ProgressRecord | undefined,
  b: ProgressRecord | undefined,
): { bytes: number; messages: number } | null {
  if (a === undefined || b === undefined || b.t <= a.t || b.connected === 0) return null;
  const span = b.t - a.t;
  return {
    bytes: (b.bytesReceived - a.bytesReceived) / b.connected / span,
    messages: (b.messagesReceived - a.messagesReceived) / b.connected / span,
  };
}

function perClientSecond(total: number | undefined, clients: number, seconds: number): number {
  return total === undefined || clients === 0 || seconds <= 0 ? 0 : total / clients / seconds;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The bots' corrections out of their summary line (the bots process runs this same code). */
function correctionTotalsOf(summary: SummaryRecord): CorrectionTotals {
  return {
    mispredictions: summary.mispredictions,
    maxMispredictionUnits: summary.maxMispredictionUnits,
    droppedInputCorrections: summary.droppedInputCorrections,
    starvedInputCorrections: summary.starvedInputCorrections,
    unpredictable: summary.unpredictable,
    unpredictableCauses: { ...summary.unpredictableCauses },
    maxUnpredictableUnits: summary.maxUnpredictableUnits,
  };
}
