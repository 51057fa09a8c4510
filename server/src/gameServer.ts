// Composes one Tickwire server: HTTP (static client, /healthz, /stats, /metrics, /dashboard), the
// WebSocket endpoints (each room's and the dashboard's), the rooms (host, directory, matchmaker, the
// one room scheduler) and the telemetry over them. Built once per process; see main.ts for the
// command line. Every entry point it wires (a request, an upgrade, a room's tick, the per-second
// timer) catches what it calls (faults.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { CloseCode, LOBBY_PATH, MATCHMAKE_PATH, ROOM_WS_PREFIX, ROOMS_PATH } from '@tickwire/protocol';
import { AgonesLifecycle } from './agones/agonesLifecycle.js';
import { loadAgonesSdk } from './agones/agonesSdk.js';
import { roomOptionsOf, type ServerConfig } from './config.js';
import { dashboardAccess } from './dashboard/access.js';
import { DASHBOARD_WS_PATH, DashboardFeed } from './dashboard/feed.js';
import { Faults } from './faults.js';
import { hostRule, refuseForeignHost } from './http/hostCheck.js';
import { createMatchmakeRoute } from './http/matchmakeRoute.js';
import { Refusals } from './http/refusals.js';
import { parseRequestTarget } from './http/requestTarget.js';
import { createRoomsRoute } from './http/roomsRoute.js';
import { serveStatic } from './http/staticFiles.js';
import { createTelemetryRoutes, dashboardUpgrade } from './http/telemetryRoutes.js';
import { LobbyEndpoint } from './lobby/lobbySocket.js';
import type { Logger } from './log.js';
import { Telemetry } from './metrics/telemetry.js';
import { SCENARIOS } from './room/roomOptions.js';
import { InMemoryDirectory } from './rooms/directory.js';
import { GuessLimiter } from './rooms/guessLimiter.js';
import { Matchmaker } from './rooms/matchmaker.js';
import { RoomHost } from './rooms/roomHost.js';
import { roomFigures, roomsSource, roomTotals } from './rooms/roomReport.js';
import { RoomScheduler } from './rooms/roomScheduler.js';
import { type SeatSecret, seatSecretFrom } from './rooms/seatSecret.js';
import { TickTimings } from './stats/tickTimings.js';
import { AddressLimits } from './transport/addressLimits.js';
import { normalizeAddress } from './transport/clientAddress.js';
import { limitConnectionsPerPeer } from './transport/peerConnectionLimit.js';
import { upgradeGate } from './transport/upgradeGate.js';
import { attachWebSocketTransport, WS_PREFIX } from './transport/wsTransport.js';

export interface RunningServer {
  url: string;
  /** The base of every room's socket: `${wsUrl}/<roomId>` (POST /matchmake answers the whole URL). */
  wsUrl: string;
  port: number;
  /** The rooms this process hosts. */
  host: RoomHost;
  matchmaker: Matchmaker;
  scheduler: RoomScheduler;
  telemetry: Telemetry;
  /** Unexpected exceptions caught at each entry point. */
  faults: Faults;
  /** The Agones driver, with --agones true: a drain calls its draining() and drained(). */
  agones: AgonesLifecycle | undefined;
  /** What GET /healthz answers (HTTP 200 when status is 'ok', 503 when 'overloaded'). */
  health(): { status: string } & Record<string, unknown>;
  /** Close every client with SERVER_SHUTDOWN (1001), stop the tick, close the port. */
  stop(): Promise<void>;
}

/** How long shutdown waits for clients to answer the close frame before cutting them off. */
const SHUTDOWN_GRACE_MS = 1000;
/** The per-second work: session timeouts, room lifecycles, the dashboard's second. @default 1000 ms */
const SECOND_MS = 1000;

export interface StartOptions {
  /** Monotonic ms: ticks, sessions, lifecycles. @default performance.now */
  now?: () => number;
  /** Wall-clock ms since the epoch: seats' expiry, rooms' createdAt. @default Date.now */
  epochNow?: () => number;
  /** The seat-signing key. @default from TICKWIRE_SEAT_SECRET, else random per start (seatSecret.ts) */
  seatSecret?: SeatSecret;
}

export async function startGameServer(
  config: ServerConfig,
  log: Logger,
  start: StartOptions = {},
): Promise<RunningServer> {
  const now = start.now ?? (() => performance.now());
  const epochNow = start.epochNow ?? (() => Date.now());
  const secret = start.seatSecret ?? seatSecretFrom(process.env);
  const limits = new AddressLimits(config);
  const hosts = hostRule({ allowedHosts: config.allowedHosts, hostname: hostname() });
  const faults = new Faults(log);
  const refusals = new Refusals();
  const startedMs = now();
  const directory = new InMemoryDirectory();
  const scheduler = new RoomScheduler({
    timers: {
      now,
      setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
      clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
    // The world may be half-way through a system: that room stops for good, its players are
    // closed with 1011, and every other room carries on.
    onError: (roomId, error) => host.failRoom(roomId, error),
    maxCatchUp: config.maxCatchUpTicks,
  });
  // The /lobby socket: public rooms added, removed and filling, pushed to every viewer.
  const lobby = new LobbyEndpoint({ allowedOrigins: config.allowedOrigins, log, refusals, now });
  const roomOptions = roomOptionsOf(config);
  const host = new RoomHost({
    base: roomOptions,
    seed: config.seed,
    maxRooms: config.maxRooms,
    roomIdleMs: config.roomIdleMs,
    directory,
    scheduler,
    secret: secret.key,
    pooledTimings: new TickTimings(config.tickTiming, 1000 / config.tickRate),
    admitJoin: (key, nowMs) => limits.admitJoin(key, nowMs),
    faults,
    log,
    now,
    epochNow,
    lobby,
  });
  const matchmaker = new Matchmaker({
    directory,
    createRoom: (settings) => host.createRoom(settings),
    secret: secret.key,
    rules: {
      scenarios: SCENARIOS,
      defaultScenario: config.scenario,
      defaultMaxPlayers: config.maxPlayers,
      defaultTickRate: config.tickRate,
      defaultSnapshotRate: config.snapshotRate,
      maxPlayersCeiling: config.maxPlayers,
    },
    guesses: new GuessLimiter(),
    refusal: () => {
      if (host.draining) return 'draining';
      return host.figures.playerCount + host.seatsOutstanding() >= config.maxTotalPlayers ? 'at-capacity' : undefined;
    },
  });
  // With --agones: connect to the sidecar now, Ready once listening (agones/agonesLifecycle.ts).
  const agones = config.agones
    ? new AgonesLifecycle({
        sdk: await loadAgonesSdk(),
        log,
        timers: {
          setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
          clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
        },
      })
    : undefined;
  const rooms = roomsSource(host, config.maxRooms);
  const telemetry = new Telemetry(config, host.figures, rooms, scheduler.counts, log, now, faults);
  const feed = new DashboardFeed(() => telemetry.hello());
  const access = dashboardAccess(config);

  const health = () => {
    const verdict = telemetry.verdict();
    return { status: verdict.status, overload: verdict, ...healthFigures() };
  };
  const healthFigures = (): Record<string, unknown> => {
    const figures = host.figures;
    const counters = figures.counters;
    return {
      uptimeSeconds: Math.round((now() - startedMs) / 1000),
      scenario: config.scenario,
      tickRate: config.tickRate,
      snapshotRate: config.snapshotRate,
      tick: figures.tick,
      players: figures.playerCount,
      connections: figures.sessionCount,
      rooms: roomTotals(host, config.maxRooms),
      ticks: {
        run: scheduler.roomTicks,
        dropped: scheduler.droppedTicks,
        overruns: figures.timings.overruns,
        wakeUps: scheduler.wakeUps,
        latenessMs: figures.timings.latenessMs.summary(),
        durationMs: figures.timings.tickMs.summary(),
      },
      inputs: figures.inputTotals(),
      snapshots: figures.snapshots.counters,
      acks: figures.ackTotals(),
      rosterMessages: figures.roster.sent,
      rosterBytes: figures.roster.bytes,
      joins: counters.joins,
      leaves: counters.leaves,
      closes: { ...counters.closes, ...transport.wsCloses },
      faults: faults.counts,
      refusals: refusals.byStatus,
      rssBytes: process.memoryUsage.rss(),
      roomList: roomFigures(host),
    };
  };

  const telemetryRoutes = createTelemetryRoutes({
    telemetry,
    feed,
    access,
    allowedOrigins: config.allowedOrigins,
    health,
    log,
  });
  const trustedProxies = new Set(config.trustProxy);
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  /** The port listened on, once listening (requests arrive only after). */
  let port = config.port;
  const httpFault = (error: unknown, req: IncomingMessage): void =>
    faults.record('http', error, { method: req.method, target: String(req.url).slice(0, 200) });
  const matchmakeRoute = createMatchmakeRoute({
    allowedOrigins: config.allowedOrigins,
    ratePerMinute: config.matchmakeRate,
    trustProxy: new Set(config.trustProxy),
    matchmake: (body, addressKey, nowMs) => matchmaker.matchmake(body, addressKey, nowMs),
    release: (roomId, nonce) => matchmaker.release(roomId, nonce),
    wsUrlOf: (roomId, req) => roomWsUrl(roomId, req),
    now: epochNow,
    log,
    refusals,
    fault: httpFault,
  });
  const roomsRoute = createRoomsRoute({
    listPublic: () => directory.listPublic(epochNow()),
    refusals,
    fault: httpFault,
  });
  /**
   * A room's socket as the caller reached this server: its Host header (checked on /matchmake, see
   * hostCheck.ts), wss behind a trusted proxy that says the client came over https.
   */
  const roomWsUrl = (roomId: string, req: IncomingMessage): string => {
    // Only a proxy named in --trust-proxy is believed about the scheme its client used.
    const peer = normalizeAddress(req.socket.remoteAddress ?? '');
    const trusted = peer !== undefined && trustedProxies.has(peer) && req.headers['x-forwarded-proto'] === 'https';
    const hostHeader = req.headers.host ?? `${hostForUrl}:${port}`;
    return `${trusted ? 'wss' : 'ws'}://${hostHeader}${ROOM_WS_PREFIX}${roomId}`;
  };
  const route = (req: IncomingMessage, res: ServerResponse): void => {
    const target = parseRequestTarget(req.url);
    const path = target.path;
    if (refuseForeignHost(hosts, path, req, res)) return;
    if (path === '/healthz') {
      telemetryRoutes(target, res);
      return;
    }
    if (path === MATCHMAKE_PATH) return matchmakeRoute(req, res);
    if (path === ROOMS_PATH) return roomsRoute(req, res);
    if (config.debugState && req.method === 'POST' && closeRoomDebug(path, res)) return;
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
  /** POST /rooms/<id>/close, with --debug-state true only: close a room's clients with 4016 (tests). */
  const closeRoomDebug = (path: string, res: ServerResponse): boolean => {
    const match = /^\/rooms\/([A-Za-z0-9_-]{1,64})\/close$/.exec(path);
    if (match === null) return false;
    const closed = host.closeRoom(match[1]!, 'the room was closed by the server');
    res.writeHead(closed ? 204 : 404).end();
    return true;
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
  const transport = attachWebSocketTransport(httpServer, host, config, log, now, faults, gate, refusals, {
    [DASHBOARD_WS_PATH]: dashboardUpgrade({ feed, access, allowedOrigins: config.allowedOrigins, log, refusals }),
    [LOBBY_PATH]: lobby.upgrade,
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  port = (httpServer.address() as AddressInfo).port;
  scheduler.start();
  agones?.ready();
  // Once a second: session timeouts and room lifecycles, then the dashboard's second.
  const everySecond = setInterval(() => {
    try {
      host.check();
      feed.push(telemetry.everySecond());
      const players = host.figures.playerCount;
      agones?.observe({
        players,
        rooms: host.size,
        maxRooms: config.maxRooms,
        totalPlayers: players + host.seatsOutstanding(),
        maxTotalPlayers: config.maxTotalPlayers,
        draining: host.draining,
      });
    } catch (error) {
      faults.record('timer', error);
    }
  }, SECOND_MS);

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}`,
    wsUrl: `ws://${hostForUrl}:${port}${WS_PREFIX.slice(0, -1)}`,
    port,
    host,
    matchmaker,
    scheduler,
    telemetry,
    faults,
    agones,
    health,
    stop() {
      stopping ??= (async () => {
        host.draining = true;
        agones?.draining();
        clearInterval(everySecond);
        scheduler.stop();
        feed.close();
        lobby.close();
        telemetry.stop();
        await transport.shutdown(CloseCode.SERVER_SHUTDOWN, 'server shutting down', SHUTDOWN_GRACE_MS);
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        // Every client is gone: Agones may delete the game server now.
        await agones?.drained();
        agones?.close();
      })();
      return stopping;
    },
  };
}
