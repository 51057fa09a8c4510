// Composes one Tickwire server: HTTP (static client, /healthz), the WebSocket endpoint, one room
// and its tick scheduler. Built once per process; see main.ts for the command line.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloseCode } from '@tickwire/protocol';
import type { ServerConfig } from './config.js';
import { serveStatic } from './http/staticFiles.js';
import type { Logger } from './log.js';
import { Room } from './room/room.js';
import { TickScheduler } from './tickScheduler.js';
import { attachWebSocketTransport, WS_PATH } from './transport/wsTransport.js';

export interface RunningServer {
  url: string;
  wsUrl: string;
  port: number;
  room: Room;
  scheduler: TickScheduler;
  /** What GET /healthz answers. */
  health(): Record<string, unknown>;
  /** Close every client with SERVER_SHUTDOWN (1001), stop the tick, close the port. */
  stop(): Promise<void>;
}

/** How long shutdown waits for clients to answer the close frame before cutting them off. */
const SHUTDOWN_GRACE_MS = 1000;

export async function startGameServer(
  config: ServerConfig,
  log: Logger,
  now = () => performance.now(),
): Promise<RunningServer> {
  const room = new Room(config, log, now);
  const startedMs = now();
  const scheduler = new TickScheduler(
    config.tickRate,
    config.maxCatchUpTicks,
    (tick, nowMs, dueMs) => {
      room.runTick(tick, nowMs, dueMs);
      if (tick % config.tickRate === 0) room.expireHandshakes(nowMs);
    },
    now,
  );

  const health = (): Record<string, unknown> => ({
    status: 'ok',
    uptimeSeconds: Math.round((now() - startedMs) / 1000),
    scenario: config.scenario,
    tickRate: config.tickRate,
    snapshotRate: config.snapshotRate,
    tick: room.tick,
    players: room.playerCount,
    connections: room.sessionCount,
    ticks: {
      run: scheduler.clock.tick,
      dropped: scheduler.clock.droppedTicks,
      latenessMs: scheduler.timings.lateness.summary(),
      durationMs: scheduler.timings.duration.summary(),
    },
    inputs: room.inputTotals(),
    snapshots: room.snapshots.counters,
    acks: room.ackTotals(),
    combat: { ...room.game.counters, eventsOverwritten: room.game.events.overwritten },
    chat: room.chat.counters,
    rosterMessages: room.roster.sent,
    joins: room.counters.joins,
    leaves: room.counters.leaves,
    closes: { ...room.counters.closes, ...(transport.oversizedFrames > 0 ? { 1009: transport.oversizedFrames } : {}) },
    rssBytes: process.memoryUsage.rss(),
  });

  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(health()));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    serveStatic(config.staticDir, req, res).catch((error: unknown) => {
      log.error('static file error', { path, error: String(error) });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const transport = attachWebSocketTransport(httpServer, room, config, log, now);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  scheduler.start();

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}`,
    wsUrl: `ws://${hostForUrl}:${port}${WS_PATH}`,
    port,
    room,
    scheduler,
    health,
    stop() {
      stopping ??= (async () => {
        scheduler.stop();
        await transport.shutdown(CloseCode.SERVER_SHUTDOWN, 'server shutting down', SHUTDOWN_GRACE_MS);
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      })();
      return stopping;
    },
  };
}
