// A room's tick timings: one histogram per phase of the tick, filled once per tick (snapshot
// phases once per snapshot tick), read by /stats, /metrics and the dashboard. Created once per room.
//
//   tick start ─┬─ world.execute ─┬─ system.InputSystem ─┬─ system.MovementSystem ─┐
//               │                 └──────────────────────┴────────────────────────┘
//               └─ snapshot (on snapshot ticks): capture ─ encode (bodies) ─ send (headers, sockets)
//                  with interest management: capture ─ grid ─ views ─ encode (pieces) ─ send (gather, sockets)
//   tickMs = start to end; latenessMs = start − when the schedule wanted it.

import { MsHistogram } from './histogram.js';
import type { HistogramSnapshot } from './histogramSnapshot.js';

/** Ceiling of the whole-tick histograms: a tick or a lateness past it is counted, with an exact max. @default 1000 ms */
const TICK_CEILING_MS = 1000;
/** Ceiling of the phase histograms (systems, encode, send): up to 10 001 buckets, 40 kB each, allocated as samples need them. @default 100 ms */
const PHASE_CEILING_MS = 100;
/** Bucket width of every histogram. @default 0.01 ms */
const RESOLUTION_MS = 0.01;

export class TickTimings {
  /** Start to end of Room.runTick. Always recorded. */
  readonly tickMs: MsHistogram;
  /** How late each tick started against its due time. Always recorded. */
  readonly latenessMs: MsHistogram;
  /** world.execute: every ecsy system plus ecsy's own bookkeeping. Only when `phases` is on. */
  readonly worldExecuteMs = new MsHistogram(PHASE_CEILING_MS, RESOLUTION_MS);
  /** Copying the world into the snapshot ring. Only when `phases` is on. */
  readonly snapshotCaptureMs = new MsHistogram(PHASE_CEILING_MS, RESOLUTION_MS);
  /** Encoding snapshot bodies (one per distinct baseline). Only when `phases` is on. */
  readonly snapshotEncodeMs = new MsHistogram(PHASE_CEILING_MS, RESOLUTION_MS);
  /** Per-client headers and socket writes, i.e. the send loop without body encodes. Only when `phases` is on. */
  readonly snapshotSendMs = new MsHistogram(PHASE_CEILING_MS, RESOLUTION_MS);
  /** Interest management: keeping the spatial grid in step with the captured world. Only with `phases` and a view radius. */
  readonly interestGridMs = new MsHistogram(PHASE_CEILING_MS, RESOLUTION_MS);
  /** Interest management: choosing every client's view and what entered and left it. Only with `phases` and a view radius. */
  readonly interestViewsMs = new MsHistogram(PHASE_CEILING_MS, RESOLUTION_MS);
  /**
   * Byte budget: per snapshot, the longest any entity sent had waited to be sent (to enter a view,
   * or with a change), ms. Not a phase of the tick: a figure of the budget (its max is the figure
   * "no entity in view unsent for more than 1 s"). Only with `phases` and a budget.
   */
  readonly budgetWaitMs = new MsHistogram(TICK_CEILING_MS, RESOLUTION_MS);
  /** One histogram per ecsy system, by class name, in execution order. Only when `phases` is on. */
  readonly systems = new Map<string, MsHistogram>();
  /** Ticks whose duration exceeded the tick period. */
  overruns = 0;

  constructor(
    /** Whether the phases inside the tick are timed (--tick-timing). */
    readonly phases: boolean,
    /** The tick period, 1000 / tickRate ms: the budget a tick overruns. */
    readonly periodMs: number,
    /**
     * Bucket width of the whole-tick histograms. A room the process hosts keeps its own at 0.1 ms
     * (40 bytes per ms of its worst lateness, so a stall costs each of hundreds of rooms little); the
     * process's pooled timings keep 0.01 ms. @default 0.01 ms
     */
    tickResolutionMs = RESOLUTION_MS,
    /**
     * The process's timings pooled over its rooms: every tick start and end recorded here is
     * recorded there too, and the phases are timed there only (see phaseTimings).
     */
    private readonly pool?: TickTimings,
  ) {
    this.tickMs = new MsHistogram(TICK_CEILING_MS, tickResolutionMs);
    this.latenessMs = new MsHistogram(TICK_CEILING_MS, tickResolutionMs);
  }

  /** Where the phases inside a tick are timed: the pool when there is one (one set per process). */
  get phaseTimings(): TickTimings {
    return this.pool ?? this;
  }

  /** A tick started `latenessMs` after it was due. */
  startTick(latenessMs: number): void {
    this.latenessMs.record(latenessMs);
    this.pool?.latenessMs.record(latenessMs);
  }

  /** The histogram of one ecsy system, created on first use. */
  system(name: string): MsHistogram {
    let histogram = this.systems.get(name);
    if (histogram === undefined) {
      histogram = new MsHistogram(PHASE_CEILING_MS, RESOLUTION_MS);
      this.systems.set(name, histogram);
    }
    return histogram;
  }

  /** A tick ended after `durationMs`; an overrun is judged against this tick's own period. */
  endTick(durationMs: number): void {
    const overran = durationMs > this.periodMs;
    this.tickMs.record(durationMs);
    if (overran) this.overruns++;
    if (this.pool === undefined) return;
    this.pool.tickMs.record(durationMs);
    if (overran) this.pool.overruns++;
  }

  /** Every histogram as JSON, under the names /stats uses ('system.<ClassName>' per system). */
  snapshots(): Record<string, HistogramSnapshot> {
    const out: Record<string, HistogramSnapshot> = {
      tickMs: this.tickMs.snapshot(),
      latenessMs: this.latenessMs.snapshot(),
      worldExecuteMs: this.worldExecuteMs.snapshot(),
      snapshotCaptureMs: this.snapshotCaptureMs.snapshot(),
      snapshotEncodeMs: this.snapshotEncodeMs.snapshot(),
      snapshotSendMs: this.snapshotSendMs.snapshot(),
    };
    // The interest phases only where a room has a view radius: a process without one shows none.
    if (this.interestGridMs.count > 0) out.interestGridMs = this.interestGridMs.snapshot();
    if (this.interestViewsMs.count > 0) out.interestViewsMs = this.interestViewsMs.snapshot();
    if (this.budgetWaitMs.count > 0) out.budgetWaitMs = this.budgetWaitMs.snapshot();
    for (const [name, histogram] of this.systems) out[`system.${name}`] = histogram.snapshot();
    return out;
  }
}
