// When the server calls itself overloaded: the rule /healthz answers by (503) and the dashboard
// shows. Evaluated per /healthz request and once a second; pure, on a window of recent ticks.
import { quantileOf } from '../stats/histogramSnapshot.js';
import type { Window } from './recentStats.js';

/** Seconds of ticks the rule looks at (plus the part of the current second). @default 10 s */
export const OVERLOAD_WINDOW_S = 10;
/** Ticks a window needs before its p99 counts, so one slow tick at start-up is no verdict. @default 100 */
export const OVERLOAD_MIN_TICKS = 100;

export type HealthStatus = 'ok' | 'overloaded';

export interface OverloadVerdict {
  status: HealthStatus;
  /** Why it is overloaded; empty when ok. */
  reasons: string[];
  windowSeconds: number;
  ticks: number;
  droppedTicks: number;
  periodMs: number;
  tickP99Ms: number;
  latenessP99Ms: number;
}

/**
 * Overloaded when, over the window: any tick was dropped (the loop fell more than --max-catch-up
 * ticks behind), or, once the window holds OVERLOAD_MIN_TICKS ticks, the p99 of tick duration or of
 * tick-start lateness exceeds the tick period (1000 / tickRate ms).
 */
export function judgeOverload(window: Window, periodMs: number): OverloadVerdict {
  const tickP99Ms = quantileOf(window.tickMs, 0.99);
  const latenessP99Ms = quantileOf(window.latenessMs, 0.99);
  const reasons: string[] = [];
  const period = Math.round(periodMs * 100) / 100;
  if (window.droppedTicks > 0) reasons.push(`${window.droppedTicks} ticks dropped`);
  if (window.tickMs.count >= OVERLOAD_MIN_TICKS) {
    if (tickP99Ms > periodMs) reasons.push(`tick duration p99 ${tickP99Ms} ms > period ${period} ms`);
    if (latenessP99Ms > periodMs) reasons.push(`tick lateness p99 ${latenessP99Ms} ms > period ${period} ms`);
  }
  return {
    status: reasons.length === 0 ? 'ok' : 'overloaded',
    reasons,
    windowSeconds: Math.round(window.endMs - window.startMs) / 1000,
    ticks: window.tickMs.count,
    droppedTicks: window.droppedTicks,
    periodMs: period,
    tickP99Ms,
    latenessP99Ms,
  };
}
