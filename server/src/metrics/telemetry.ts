// One server's telemetry: the process monitor, the last seconds of ticks, the overload verdict, the
// Prometheus registry and the dashboard's seconds and room table. Built once per server; everySecond()
// runs once a second (the server's per-second timer), the rest per HTTP request.
import type { Registry } from 'prom-client';
import type { DashboardFigures, DashboardHello, DashboardSecond } from '../dashboard/feed.js';
import { dashboardRooms } from '../dashboard/roomTable.js';
import type { Faults } from '../faults.js';
import type { Logger } from '../log.js';
import { judgeOverload, OVERLOAD_WINDOW_S, type OverloadVerdict } from './overload.js';
import { ProcessMonitor } from './processMonitor.js';
import { createMetricsRegistry } from './prometheus.js';
import { HISTORY_WINDOWS, type Reading, RecentStats, windowFigures } from './recentStats.js';
import type { RoomFigureSource as Room, RoomsSource, TickCounts } from './roomFigureSource.js';
import { buildStats, readCounters, type StatsReport } from './statsReport.js';

export interface TelemetryConfig {
  scenario: string;
  tickRate: number;
  snapshotRate: number;
  tickTiming: boolean;
  /** With --redis-url: this process's id in the cluster (the `process` label in /metrics). */
  processId?: string | undefined;
}

export class Telemetry {
  readonly process = new ProcessMonitor();
  readonly registry: Registry;
  private readonly recent: RecentStats;
  private readonly seconds: DashboardFigures[] = [];
  private status: OverloadVerdict['status'] = 'ok';

  constructor(
    private readonly config: TelemetryConfig,
    /** The process's sums over its rooms. */
    private readonly room: Room,
    /** The rooms one by one. */
    private readonly rooms: RoomsSource,
    private readonly clock: TickCounts,
    private readonly log: Logger,
    private readonly now: () => number,
    faults?: Faults,
  ) {
    this.recent = new RecentStats(this.reading(), OVERLOAD_WINDOW_S);
    this.registry = createMetricsRegistry({
      room,
      rooms,
      clock,
      process: this.process,
      overloaded: () => this.verdict().status === 'overloaded',
      processId: config.processId,
      ...(faults !== undefined ? { faults } : {}),
    });
  }

  /** The room's cumulative figures now. */
  reading(): Reading {
    const room = this.room;
    return {
      timeMs: this.now(),
      tick: room.tick,
      ticksRun: this.clock.tick,
      droppedTicks: this.clock.droppedTicks,
      overruns: room.timings.overruns,
      players: room.playerCount,
      connections: room.sessionCount,
      tickMs: room.timings.tickMs.snapshot(),
      latenessMs: room.timings.latenessMs.snapshot(),
      counters: readCounters(room),
    };
  }

  /** GET /stats. */
  stats(): StatsReport {
    return buildStats({
      config: this.config,
      room: this.room,
      rooms: this.rooms,
      clock: this.clock,
      process: this.process,
      now: this.now,
    });
  }

  /** The overload rule over the last OVERLOAD_WINDOW_S seconds, up to now. */
  verdict(): OverloadVerdict {
    return this.verdictAt(this.reading());
  }

  private verdictAt(reading: Reading): OverloadVerdict {
    return judgeOverload(this.recent.recent(reading, OVERLOAD_WINDOW_S), this.room.timings.periodMs);
  }

  /** Close the last second: keep it, judge overload (logging a change), and return it for the dashboard (the server adds the process table). */
  everySecond(): Omit<DashboardSecond, 'processes'> {
    const reading = this.reading();
    const window = this.recent.sample(reading);
    const verdict = this.verdictAt(reading);
    if (verdict.status !== this.status) {
      if (verdict.status === 'overloaded') this.log.warn('overloaded', { ...verdict });
      else this.log.info('no longer overloaded', { ...verdict });
      this.status = verdict.status;
    }
    const figures: DashboardFigures = {
      type: 'second',
      ...windowFigures(window),
      status: verdict.status,
      reasons: verdict.reasons,
    };
    this.log.debug('second', { ...figures, type: undefined });
    this.seconds.push(figures);
    if (this.seconds.length > HISTORY_WINDOWS) this.seconds.shift();
    return { ...figures, rooms: dashboardRooms(this.rooms) };
  }

  /** What a dashboard gets on connect (the server adds the process table). */
  hello(): Omit<DashboardHello, 'processes'> {
    return {
      type: 'hello',
      schema: 1,
      scenario: this.config.scenario,
      tickRate: this.config.tickRate,
      snapshotRate: this.config.snapshotRate,
      periodMs: this.room.timings.periodMs,
      history: [...this.seconds],
      rooms: dashboardRooms(this.rooms),
    };
  }

  stop(): void {
    this.process.stop();
  }
}
