// Capacity search, the pure part: which bot count to try next given the steps so far, whether a
// step held, and what the search concludes. Called once per step; the runner is capacityRun.ts.
import { MAX_WHOLE_VIEW_PLAYERS } from '../../server/src/rooms/matchmakeRequest.js';
import { OTHER_LOAD_CPU, type ProfileResult } from './result.js';

export interface CapacityPlan {
  /** Counts tried first, in order, while every step holds. @default [50, 100, 200] */
  ladder: readonly number[];
  /** After the ladder, each next count adds this many bots. @default 100 */
  increment: number;
  /** The largest count tried (the server's --max-players ceiling). @default 1024 */
  maxBots: number;
  /**
   * Bisection stops once the largest count that held and the smallest that failed are this close,
   * or within 10 % of the failed count if that is closer (so a search below 50 still ends on a count). @default 20 bots
   */
  resolution: number;
  /** At most this many steps. @default 12 */
  maxSteps: number;
}

/** See CapacityPlan.resolution. @default 0.1 */
const RELATIVE_RESOLUTION = 0.1;

export const DEFAULT_PLAN: Readonly<CapacityPlan> = {
  ladder: [50, 100, 200],
  increment: 100,
  maxBots: MAX_WHOLE_VIEW_PLAYERS,
  resolution: 20,
  maxSteps: 12,
};

/** One step's outcome and the figures the conclusion quotes. */
export interface StepVerdict {
  bots: number;
  held: boolean;
  /** The bots process was saturated: its figures then say as much about the bots as about the server. */
  botsSaturated: boolean;
  /** Why it did not hold (empty when it held). */
  reasons: string[];
  /** Why the bots count as saturated, or null. */
  saturation: string | null;
  budgetMs: number;
  tickP99Ms: number | null;
  tickMaxMs: number | null;
  serverCpu: number | null;
  botsCpu: number | null;
  /** CPU s/s other processes on the machine used during the window. */
  otherCpu: number | null;
  disconnects: number | null;
}

/** Held: tick p99 within the budget, every bot joined and stayed connected. */
export function judgeStep(r: ProfileResult): StepVerdict {
  const reasons: string[] = [];
  if (r.tickMs.p99 > r.budgetMs) reasons.push(`tick p99 ${r.tickMs.p99} ms > budget ${r.budgetMs} ms`);
  if ((r.bots.disconnects ?? 0) > 0) reasons.push(`${r.bots.disconnects} bots disconnected`);
  if (r.bots.connectedAtEnd !== null && r.bots.connectedAtEnd < r.settings.bots) {
    reasons.push(`only ${r.bots.connectedAtEnd} of ${r.settings.bots} bots connected`);
  }
  return {
    bots: r.settings.bots,
    held: reasons.length === 0,
    botsSaturated: r.bots.saturated,
    reasons,
    saturation: r.bots.saturation,
    budgetMs: r.budgetMs,
    tickP99Ms: r.tickMs.p99,
    tickMaxMs: r.tickMs.maxMs,
    serverCpu: r.server.cpuSecondsPerSecond,
    botsCpu: r.bots.cpuSecondsPerSecond,
    otherCpu: r.host.otherCpuSecondsPerSecond,
    disconnects: r.bots.disconnects,
  };
}

/** A step that could not be measured (bots never all joined, a process died): it did not hold. */
export function failedStep(bots: number, budgetMs: number, reason: string): StepVerdict {
  return {
    bots,
    held: false,
    botsSaturated: false,
    reasons: [reason],
    saturation: null,
    budgetMs,
    tickP99Ms: null,
    tickMaxMs: null,
    serverCpu: null,
    botsCpu: null,
    otherCpu: null,
    disconnects: null,
  };
}

/** The largest count that held, and the smallest count above it that failed (Infinity if none). */
export function bounds(steps: readonly StepVerdict[]): { lo: number; hi: number } {
  const lo = Math.max(0, ...steps.filter((s) => s.held).map((s) => s.bots));
  const hi = Math.min(Number.POSITIVE_INFINITY, ...steps.filter((s) => !s.held && s.bots > lo).map((s) => s.bots));
  return { lo, hi };
}

/**
 * The next count to try, or null to stop: climb the ladder, then by `increment`, until a step
 * fails; then bisect between the largest count that held and the smallest that failed. Stops at
 * maxSteps, at maxBots, and as soon as a step saturated the bots (more bots would measure the bots).
 */
export function nextBotCount(plan: CapacityPlan, steps: readonly StepVerdict[]): number | null {
  if (steps.length >= plan.maxSteps) return null;
  if (steps.at(-1)?.botsSaturated) return null;
  const { lo, hi } = bounds(steps);
  const tried = new Set(steps.map((s) => s.bots));
  let next: number;
  if (hi === Number.POSITIVE_INFINITY) {
    if (lo >= plan.maxBots) return null;
    next = plan.ladder.find((n) => n > lo) ?? lo + plan.increment;
    next = Math.min(next, plan.maxBots);
  } else {
    if (hi - lo <= Math.min(plan.resolution, Math.max(1, Math.ceil(hi * RELATIVE_RESOLUTION)))) return null;
    next = Math.round((lo + hi) / 2);
    const rounded = Math.round(next / 5) * 5; // counts people read: 275, not 273
    if (rounded > lo && rounded < hi) next = rounded;
  }
  return tried.has(next) || next < 1 ? null : next;
}

/** server: tick p99 passed the budget; disconnects: bots were dropped or could not join; bots: the bots process saturated. */
export type Limit = 'server' | 'disconnects' | 'bots' | 'max-bots' | 'steps' | 'time' | 'none-held';

export interface CapacityConclusion {
  /** The largest count that held, or null if none did. */
  capacity: number | null;
  limit: Limit;
  /** The step at the capacity. */
  at: StepVerdict | null;
  /** What stopped the search, in plain words. */
  sentence: string;
}

/**
 * What the steps show; `stoppedBy` is 'time' when the runner ran out of its time budget. Steps that
 * shared the cores with other busy processes are named: their figures are disturbed.
 */
export function conclude(plan: CapacityPlan, steps: readonly StepVerdict[], stoppedBy?: 'time'): CapacityConclusion {
  const conclusion = whatStepsShow(plan, steps, stoppedBy);
  const disturbed = steps.filter((s) => (s.otherCpu ?? 0) > OTHER_LOAD_CPU);
  if (disturbed.length === 0) return conclusion;
  const worst = Math.max(...disturbed.map((s) => s.otherCpu!));
  const at = disturbed.map((s) => s.bots).join(', ');
  return {
    ...conclusion,
    sentence: `${conclusion.sentence} Other processes used up to ${worst.toFixed(2)} CPU s/s during the steps at ${at} bots: those figures are disturbed; search again on a quiet machine.`,
  };
}

function whatStepsShow(plan: CapacityPlan, steps: readonly StepVerdict[], stoppedBy?: 'time'): CapacityConclusion {
  const { lo, hi } = bounds(steps);
  const at = steps.find((s) => s.held && s.bots === lo) ?? null;
  const capacity = at === null ? null : lo;
  const held = at === null ? 'no count held' : `the largest count that held is ${lo} bots (${figures(at)})`;
  const last = steps.at(-1);
  if (last?.botsSaturated) {
    const sentence = last.held
      ? `The bots were the limit, not the server: at ${last.bots} bots the bots process was saturated (${last.saturation}) while the server still held (${figures(last)}). The server's capacity is at least ${last.bots} bots; it needs more bot processes or cores to find out more.`
      : `At ${last.bots} bots the bots process was saturated (${last.saturation}) and the step failed (${last.reasons.join('; ')}); with the cores shared, the bots rather than the server may be the limit. ${capitalize(held)}.`;
    return { capacity, limit: 'bots', at, sentence };
  }
  if (stoppedBy === 'time') return { capacity, limit: 'time', at, sentence: `Stopped at the time limit; ${held}.` };
  if (hi !== Number.POSITIVE_INFINITY) {
    const failed = steps.find((s) => s.bots === hi)!;
    const serverLimit = failed.reasons.some((r) => r.startsWith('tick p99'));
    const limit: Limit = at === null ? 'none-held' : serverLimit ? 'server' : 'disconnects';
    return {
      capacity,
      limit,
      at,
      sentence: `Capacity ${capacity ?? 0} bots: ${held}; at ${hi} bots ${failed.reasons.join('; ')}.`,
    };
  }
  if (lo >= plan.maxBots) {
    return {
      capacity,
      limit: 'max-bots',
      at,
      sentence: `Held at the largest count tried, ${lo} bots (${at ? figures(at) : ''}): the server's player limit, not its tick budget, ended the search.`,
    };
  }
  return { capacity, limit: 'steps', at, sentence: `Stopped after ${steps.length} steps; ${held}.` };
}

function figures(s: StepVerdict): string {
  const p99 = s.tickP99Ms === null ? 'p99 unknown' : `tick p99 ${s.tickP99Ms} ms of ${round(s.budgetMs)} ms`;
  const cpu = s.serverCpu === null ? '' : `, server CPU ${s.serverCpu.toFixed(2)} s/s`;
  const bots = s.botsCpu === null ? '' : `, bots CPU ${s.botsCpu.toFixed(2)} s/s`;
  return `${p99}${cpu}${bots}`;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
