// The process's own health: event-loop delay, GC pauses, CPU and memory. Started once per server;
// the event-loop monitor samples every EVENT_LOOP_RESOLUTION_MS, GC entries arrive per collection,
// and read() runs per /stats or /metrics request.
import { constants, type IntervalHistogram, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** How often the event-loop delay is sampled: finer costs more wake-ups. @default 20 ms */
const EVENT_LOOP_RESOLUTION_MS = 20;

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export interface GcPauses {
  count: number;
  totalMs: number;
}

/** Cumulative since the monitor started (CPU and memory: since the process started). */
export interface ProcessReading {
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** How late the event loop ran a timer beyond its interval, since start: p50, p99 and max. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  gcPauses: GcPauses & { byKind: Record<string, GcPauses> };
}

export class ProcessMonitor {
  private readonly loopDelay: IntervalHistogram;
  private readonly gcObserver: PerformanceObserver;
  private readonly gc: GcPauses & { byKind: Record<string, GcPauses> } = { count: 0, totalMs: 0, byKind: {} };

  constructor() {
    this.loopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    this.loopDelay.enable();
    this.gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const detail = (entry as { detail?: { kind?: number } }).detail;
        const kind = GC_KINDS[detail?.kind ?? -1] ?? 'other';
        this.gc.count++;
        this.gc.totalMs += entry.duration;
        this.gc.byKind[kind] ??= { count: 0, totalMs: 0 };
        const byKind = this.gc.byKind[kind];
        byKind.count++;
        byKind.totalMs += entry.duration;
      }
    });
    this.gcObserver.observe({ entryTypes: ['gc'] });
  }

  read(): ProcessReading {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    // Node records the time between the monitor's timer callbacks, so the interval itself is in
    // every sample: the delay is what exceeds it.
    const ms = (ns: number) => Math.max(0, Math.round(ns / 1e3) / 1e3 - EVENT_LOOP_RESOLUTION_MS);
    const count = this.loopDelay.count;
    return {
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      eventLoopDelayMs:
        count === 0
          ? { p50: 0, p99: 0, max: 0 }
          : {
              p50: ms(this.loopDelay.percentile(50)),
              p99: ms(this.loopDelay.percentile(99)),
              max: ms(this.loopDelay.max),
            },
      gcPauses: {
        count: this.gc.count,
        totalMs: Math.round(this.gc.totalMs * 1000) / 1000,
        byKind: structuredClone(this.gc.byKind),
      },
    };
  }

  stop(): void {
    this.loopDelay.disable();
    this.gcObserver.disconnect();
  }
}
