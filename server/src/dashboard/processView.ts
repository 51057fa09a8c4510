// The dashboard's process table kept fresh: refresh() runs once a second from the server's
// per-second timer, and only while a dashboard is connected, so the directory is read at most once
// a second by this process however many viewers there are; latest() runs per push and per connect.
//
//   second ─► refresh(): a read in flight? skip : read ─► ok: new rows, error null
//                                                        └► failed: last rows kept, error set
import type { DashboardProcesses } from './processTable.js';

type Rows = Pick<DashboardProcesses, 'processes' | 'rest'>;

export class ProcessView {
  private table: DashboardProcesses;
  private reading = false;

  constructor(
    source: DashboardProcesses['source'],
    /** One read of every process's row: the directory's (a promise) or this process's own (at once). */
    private readonly read: () => Rows | Promise<Rows>,
    /** Wall-clock ms since the epoch: readAt. */
    private readonly epochNow: () => number,
  ) {
    this.table = { source, readAt: null, error: null, processes: [], rest: 0 };
  }

  /** Start a read unless one is in flight (a slow Redis never stacks reads up); a read at once lands now. */
  refresh(): void {
    if (this.reading) return;
    let answer: Rows | Promise<Rows>;
    try {
      answer = this.read();
    } catch (error) {
      this.failed(error);
      return;
    }
    if (!(answer instanceof Promise)) {
      this.landed(answer);
      return;
    }
    this.reading = true;
    answer
      .then(
        (rows) => this.landed(rows),
        (error: unknown) => this.failed(error),
      )
      .finally(() => {
        this.reading = false;
      });
  }

  /** The table as last read (what every viewer gets). */
  latest(): DashboardProcesses {
    return this.table;
  }

  private landed(rows: Rows): void {
    this.table = { ...this.table, ...rows, readAt: this.epochNow(), error: null };
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.table = { ...this.table, error: message.slice(0, 200) };
  }
}
