// Composes one Tickwire server: HTTP (static client, /healthz, /stats, /metrics, /dashboard), the
// WebSocket endpoints (the game's and the dashboard's), one room, its tick scheduler and its
// telemetry. Built once per process; see main.ts for the command line. Every entry point it wires
// (a request, an upgrade, the tick, the per-second timer) catches what it calls (faults.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { CloseCode } from '@tickwire/protocol';
import { roomOptionsOf, type ServerConfig } from './config.js';
import { dashboardAccess } from './dashboard/access.js';
import { DASHBOARD_WS_PATH, DashboardFeed } from './dashboard/feed.js';
import { Faults } from './faults.js';
import { hostRule, refuseForeignHost } from './http/hostCheck.js';
import { Refusals } from './http/refusals.js';
import { parseRequestTarget } from './http/requestTarget.js';
import { serveStatic } from './http/staticFiles.js';
import { createTelemetryRoutes, dashboardUpgrade } from './http/telemetryRoutes.js';
import type { Logger } from './log.js';
import { Telemetry } from './metrics/telemetry.js';
import { Room } from './room/room.js';
import { TickScheduler } from './tickScheduler.js';
import { AddressLimits } from './transport/addressLimits.js';
import { limitConnectionsPerPeer } from './transport/peerConnectionLimit.js';
import { upgradeGate } from './transport/upgradeGate.js';
import { attachWebSocketTransport, WS_PATH } from './transport/wsTransport.js';

export interface RunningServer {
  url: string;
  wsUrl: string;
  port: number;
  room: Room;
  scheduler: TickScheduler;
  telemetry: Telemetry;
  /** Unexpected exceptions caught at each entry point. */
  faults: Faults;
  /** What GET /healthz answers (HTTP 200 when status is 'ok', 503 when 'overloaded' or 'failed'). */
  health(): { status: string } & Record<string, unknown>;
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
  const limits = new AddressLimits(config);
  const hosts = hostRule({ allowedHosts: config.allowedHosts, hostname: hostname() });
  const room = new Room(roomOptionsOf(config), log, now, (key, nowMs) => limits.admitJoin(key, nowMs));
  const faults = new Faults(log);
  const refusals = new Refusals();
  const startedMs = now();
  const scheduler = new TickScheduler(
    config.tickRate,
    config.maxCatchUpTicks,
    (tick, nowMs, dueMs) => {
      if (!room.failed) {
        try {
          room.runTick(tick, nowMs, dueMs);
        } catch (error) {
          // The world may be half-way through a system: the room stops for good, its players are
          // closed with 1011, and the process (with, later, every other room) carries on.
          faults.record('tick', error, { tick });
          room.fail();
        }
      }
      // Once a second of ticks: a window of whole ticks for the dashboard and the overload rule.
      if (tick % config.tickRate === 0) {
        try {
          room.expireSessions(nowMs, (error, session) =>
            faults.record('timer', error, { connectionId: session.connectionId }),
          );
          feed.push(telemetry.everySecond());
        } catch (error) {
          faults.record('timer', error, { tick });
        }
      }
    },
    now,
  );
  const telemetry = new Telemetry(config, room, scheduler.clock, log, now, faults);
  const feed = new DashboardFeed(() => telemetry.hello());
  const access = dashboardAccess(config);

  const health = () => {
    const verdict = telemetry.verdict();
    return { status: room.failed ? 'failed' : verdict.status, overload: verdict, ...healthFigures() };
  };
  const healthFigures = (): Record<string, unknown> => ({
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
      overruns: room.timings.overruns,
      latenessMs: room.timings.latenessMs.summary(),
      durationMs: room.timings.tickMs.summary(),
    },
    inputs: room.inputTotals(),
    snapshots: room.snapshots.counters,
    acks: room.ackTotals(),
    combat: { ...room.game.counters, eventsOverwritten: room.game.events.overwritten },
    chat: room.chat.counters,
    rosterMessages: room.roster.sent,
    rosterBytes: room.roster.bytes,
    joins: room.counters.joins,
    leaves: room.counters.leaves,
    closes: { ...room.counters.closes, ...transport.wsCloses },
    faults: faults.counts,
    refusals: refusals.byStatus,
    rssBytes: process.memoryUsage.rss(),
  });

  const telemetryRoutes = createTelemetryRoutes({
    telemetry,
    feed,
    access,
    allowedOrigins: config.allowedOrigins,
    health,
    log,
  });
  const route = (req: IncomingMessage, res: ServerResponse): void => {
    const target = parseRequestTarget(req.url);
    const path = target.path;
    if (refuseForeignHost(hosts, path, req, res)) return;
    if (path === '/healthz') {
      telemetryRoutes(target, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (telemetryRoutes(target, res)) return;
    serveStatic(config.staticDir, path, req, res).catch((error: unknown) => {
      log.error('static file error', { path: path.slice(0, 200), error: String(error) });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  const httpServer = createServer(
    {
      // Node checks these only every connectionsCheckingInterval (30 s by default): a connection
      // that has not sent a whole request within requestTimeoutMs is closed within a second of it.
      headersTimeout: config.requestTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
    },
    (req: IncomingMessage, res: ServerResponse) => {
      try {
        route(req, res);
      } catch (error) {
        faults.record('http', error, { method: req.method, target: String(req.url).slice(0, 200) });
        // A status already written cannot become 500: cut the response off instead of ending it as if whole.
        if (res.headersSent) res.destroy();
        else res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('internal server error\n');
      }
    },
  );
  // Every TCP connection, plain HTTP included, counts against its peer; the upgrade counts WebSockets
  // against the client address (behind a trusted proxy, from X-Forwarded-For).
  limitConnectionsPerPeer(
    httpServer,
    new AddressLimits({ maxConnectionsPerIp: config.maxConnectionsPerIp, joinsPerMinutePerIp: 0 }),
    new Set(config.trustProxy),
    log,
    faults,
    refusals,
  );
  const gate = upgradeGate(hosts, limits, new Set(config.trustProxy), log);
  const transport = attachWebSocketTransport(httpServer, room, config, log, now, faults, gate, refusals, {
    [DASHBOARD_WS_PATH]: dashboardUpgrade({ feed, access, allowedOrigins: config.allowedOrigins, log, refusals }),
  });

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
    telemetry,
    faults,
    health,
    stop() {
      stopping ??= (async () => {
        scheduler.stop();
        feed.close();
        telemetry.stop();
        await transport.shutdown(CloseCode.SERVER_SHUTDOWN, 'server shutting down', SHUTDOWN_GRACE_MS);
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      })();
      return stopping;
    },
  };
}
