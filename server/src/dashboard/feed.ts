// The dashboard's WebSocket, /dashboard/ws: read-only JSON text frames, a 'hello' with the last two
// minutes, the room table and the process table on connect, then one 'second' (with both tables)
// per second of ticks. Runs per upgrade and once a second.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { WindowFigures } from '../metrics/recentStats.js';
import type { DashboardProcesses } from './processTable.js';
import type { DashboardRooms } from './roomTable.js';

export const DASHBOARD_WS_PATH = '/dashboard/ws';

/** Dashboards connected at once; more are refused with 503. @default 16 */
export const MAX_DASHBOARDS = 16;
/** A dashboard whose socket holds more unsent bytes than this misses seconds until it drains. @default 1 MiB */
const DASHBOARD_BACKLOG_BYTES = 1 << 20;

/** One second of the process as the dashboard draws it (kept for two minutes). */
export interface DashboardFigures extends WindowFigures {
  type: 'second';
  status: 'ok' | 'overloaded';
  reasons: string[];
}

/** A pushed second: its figures and the room table as at its end (the tables are not kept). */
export interface DashboardSecond extends DashboardFigures {
  rooms: DashboardRooms;
  /** Every process of the cluster (this one alone without --redis-url), as last read. */
  processes: DashboardProcesses;
}

export interface DashboardHello {
  type: 'hello';
  schema: 1;
  scenario: string;
  tickRate: number;
  snapshotRate: number;
  periodMs: number;
  /** The kept seconds, oldest first (up to two minutes), without room tables. */
  history: DashboardFigures[];
  /** The room table now. */
  rooms: DashboardRooms;
  /** The process table as last read. */
  processes: DashboardProcesses;
}

export class DashboardFeed {
  private readonly wss = new WebSocketServer({
    noServer: true,
    // Read-only: a dashboard never needs to send more than a ping's worth.
    maxPayload: 128,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private readonly clients = new Set<WebSocket>();

  constructor(private readonly hello: () => DashboardHello) {}

  get clientCount(): number {
    return this.clients.size;
  }

  get full(): boolean {
    return this.clients.size >= MAX_DASHBOARDS;
  }

  /** Take an upgrade already checked for access and Origin. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.clients.add(ws);
      ws.on('close', () => this.clients.delete(ws));
      ws.on('error', () => ws.terminate());
      ws.send(JSON.stringify(this.hello()));
    });
  }

  /** Push one second to every dashboard; serialized once. */
  push(second: DashboardSecond): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify(second);
    for (const ws of this.clients) {
      if (ws.bufferedAmount <= DASHBOARD_BACKLOG_BYTES) ws.send(text);
    }
  }

  close(): void {
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
    this.wss.close();
  }
}
