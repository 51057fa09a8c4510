// The last seconds of the tick: one window per second of ticks (sampled every tickRate ticks),
// kept for two minutes. The dashboard pushes each new window; /healthz judges overload on the
// last ten. Cumulative readings are diffed once per second, so only small windows are kept.
import { diffHistograms, type HistogramSnapshot, mergeHistograms, quantileOf } from '../stats/histogramSnapshot.js';
import type { StatsCounters } from './statsReport.js';

/** Windows kept for a dashboard that connects late. @default 120 (two minutes at one a second) */
export const HISTORY_WINDOWS = 120;

/** The room's cumulative figures at one moment. */
export interface Reading {
  timeMs: number;
  tick: number;
  ticksRun: number;
  droppedTicks: number;
  overruns: number;
  players: number;
  connections: number;
  tickMs: HistogramSnapshot;
  latenessMs: HistogramSnapshot;
  counters: StatsCounters;
}

/** What happened between two readings (the same figures, differenced); players and connections as at the end. */
export type Window = Omit<Reading, 'timeMs'> & { startMs: number; endMs: number };

/** A window as the figures people read: what the dashboard draws, one per second. */
export interface WindowFigures {
  /** End of the window on the server's monotonic clock, ms. */
  timeMs: number;
  seconds: number;
  tick: number;
  players: number;
  connections: number;
  ticks: number;
  droppedTicks: number;
  overruns: number;
  tickMs: { p50: number; p99: number; max: number };
  latenessMs: { p50: number; p99: number; max: number };
  /** Payload bytes per player per second, out of and into the server. */
  bytesOutPerClientPerS: number;
  bytesInPerClientPerS: number;
  messagesOutPerClientPerS: number;
  backpressureSkips: number;
  fullFallbacks: number;
}

/** Each counter of `a` plus `sign` × the same counter of `b`. */
function combineCounters(a: StatsCounters, b: StatsCounters, sign: 1 | -1): StatsCounters {
  const out = { ...a };
  for (const key of Object.keys(out) as (keyof StatsCounters)[]) out[key] = a[key] + sign * b[key];
  return out;
}

export function diffReadings(later: Reading, earlier: Reading): Window {
  return {
    startMs: earlier.timeMs,
    endMs: later.timeMs,
    tick: later.tick,
    ticksRun: later.ticksRun - earlier.ticksRun,
    droppedTicks: later.droppedTicks - earlier.droppedTicks,
    overruns: later.overruns - earlier.overruns,
    players: later.players,
    connections: later.connections,
    tickMs: diffHistograms(later.tickMs, earlier.tickMs),
    latenessMs: diffHistograms(later.latenessMs, earlier.latenessMs),
    counters: combineCounters(later.counters, earlier.counters, -1),
  };
}

/** Two consecutive windows as one (`earlier` first). */
export function joinWindows(earlier: Window, later: Window): Window {
  return {
    startMs: earlier.startMs,
    endMs: later.endMs,
    tick: later.tick,
    ticksRun: earlier.ticksRun + later.ticksRun,
    droppedTicks: earlier.droppedTicks + later.droppedTicks,
    overruns: earlier.overruns + later.overruns,
    players: later.players,
    connections: later.connections,
    tickMs: mergeHistograms(earlier.tickMs, later.tickMs),
    latenessMs: mergeHistograms(earlier.latenessMs, later.latenessMs),
    counters: combineCounters(earlier.counters, later.counters, 1),
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const quantiles = (h: HistogramSnapshot) => ({
  p50: round3(quantileOf(h, 0.5)),
  p99: round3(quantileOf(h, 0.99)),
  max: round3(h.maxMs),
});

export function windowFigures(w: Window): WindowFigures {
  const seconds = Math.max(1e-3, (w.endMs - w.startMs) / 1000);
  const perClientPerS = (n: number) => (w.players === 0 ? 0 : Math.round((n / seconds / w.players) * 10) / 10);
  return {
    timeMs: Math.round(w.endMs),
    seconds: round3(seconds),
    tick: w.tick,
    players: w.players,
    connections: w.connections,
    ticks: w.ticksRun,
    droppedTicks: w.droppedTicks,
    overruns: w.overruns,
    tickMs: quantiles(w.tickMs),
    latenessMs: quantiles(w.latenessMs),
    bytesOutPerClientPerS: perClientPerS(w.counters.bytesOut),
    bytesInPerClientPerS: perClientPerS(w.counters.bytesIn),
    messagesOutPerClientPerS: perClientPerS(w.counters.messagesOut),
    backpressureSkips: w.counters.backpressureSkips,
    fullFallbacks: w.counters.fullFallbacks,
  };
}

export class RecentStats {
  private previous: Reading;
  private readonly windows: Window[] = [];

  /** @param start the reading at server start: the first window begins there. */
  constructor(
    start: Reading,
    private readonly capacity = HISTORY_WINDOWS,
  ) {
    this.previous = start;
  }

  /** Close the window since the last sample at `reading`, keep it, and return it. */
  sample(reading: Reading): Window {
    const window = diffReadings(reading, this.previous);
    this.previous = reading;
    this.windows.push(window);
    if (this.windows.length > this.capacity) this.windows.shift();
    return window;
  }

  /** The kept windows, oldest first. */
  history(): readonly Window[] {
    return this.windows;
  }

  /** The last `count` windows plus what happened since the last sample, up to `live`, as one window. */
  recent(live: Reading, count: number): Window {
    let window = diffReadings(live, this.previous);
    for (let i = this.windows.length - 1; i >= Math.max(0, this.windows.length - count); i--) {
      window = joinWindows(this.windows[i]!, window);
    }
    return window;
  }
}
