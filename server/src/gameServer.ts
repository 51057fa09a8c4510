// Composes one Tickwire server: HTTP (static client, /healthz, /stats, /metrics, /dashboard), the
// WebSocket endpoints (each room's and the dashboard's), the rooms (host, directory, matchmaker, the
// one room scheduler) and the telemetry over them. Built once per process; see main.ts for the
// command line. Every entry point it wires (a request, an upgrade, a room's tick, the per-second
// timer) catches what it calls (faults.ts).

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { CloseCode, LOBBY_PATH, MATCHMAKE_PATH, ROOM_WS_PREFIX, ROOMS_PATH, roomSocketUrl } from '@tickwire/protocol';
import { AgonesLifecycle } from './agones/agonesLifecycle.js';
import { loadAgonesSdk } from './agones/agonesSdk.js';
import { followClusterLobby } from './cluster/clusterLobby.js';
import { ClusterMatchmaker } from './cluster/clusterMatchmaker.js';
import { ClusterRooms } from './cluster/clusterRooms.js';
import { RedisDirectory } from './cluster/redisDirectory.js';
import { RedisLink } from './cluster/redisLink.js';
import { RoomMover } from './cluster/roomMover.js';
import { roomOptionsOf, type ScenarioName, type ServerConfig, viewRadiusOf } from './config.js';
import { dashboardAccess } from './dashboard/access.js';
import { DASHBOARD_WS_PATH, DashboardFeed } from './dashboard/feed.js';
import { clusterProcessTable, ownProcessTable } from './dashboard/processTable.js';
import { ProcessView } from './dashboard/processView.js';
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
import { cpuShareMeter } from './metrics/cpuShare.js';
import { heapUsedAfterGc, leftovers } from './metrics/leftovers.js';
import { Telemetry } from './metrics/telemetry.js';
import {
  issuesSeats,
  nextProcessLife,
  type ProcessEvent,
  type ProcessLife,
  type ProcessState,
  startingProcess,
} from './processLifecycle.js';
import { SCENARIOS } from './room/roomOptions.js';
import { InMemoryDirectory } from './rooms/directory.js';
import { GuessLimiter } from './rooms/guessLimiter.js';
import { Matchmaker, SEAT_TTL_MS } from './rooms/matchmaker.js';
import { inMemoryBook } from './rooms/roomBook.js';
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
  matchmaker: Pick<Matchmaker, 'matchmake' | 'release'>;
  /** With --redis-url: this process's id in the cluster's directory; undefined in one process. */
  processId: string | undefined;
  scheduler: RoomScheduler;
  telemetry: Telemetry;
  /** Unexpected exceptions caught at each entry point. */
  faults: Faults;
  /** The Agones driver, with --agones true: a drain calls its draining() and drained(). */
  agones: AgonesLifecycle | undefined;
  /** What GET /healthz answers (HTTP 200 when status is 'ok', 503 when 'overloaded'). */
  health(): { status: string } & Record<string, unknown>;
  /** Where the process is in its lifecycle (processLifecycle.ts). */
  readonly state: ProcessState;
  /** True from the start of a drain on (draining, then stopped): no new seats or rooms. */
  readonly draining: boolean;
  /**
   * Start a drain (SIGTERM): refuse new seats and rooms, let occupied rooms run until they empty or
   * --drain-deadline-ms passes, then stop. Resolves once stopped, however the stop came about.
   */
  drain(): Promise<void>;
  /** Called once when a drain starts, with its deadline (epoch ms); a throw or rejection is logged. */
  onDraining(callback: (drain: { deadlineAt: number }) => void | Promise<void>): void;
  /** Close every client with SERVER_SHUTDOWN (1001), stop the tick, close the port: now, drain or not. */
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
  // The lifecycle's states are processLifecycle.ts's; this only feeds it events and acts on the result.
  let life: ProcessLife = startingProcess();
  /** The drain's deadline as wall-clock ms (for /healthz and the hooks), once a drain has started. */
  let drainDeadlineAt: number | undefined;
  const drainHooks: ((drain: { deadlineAt: number }) => void | Promise<void>)[] = [];
  let settleStopped: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const stopped = new Promise<void>((resolve, reject) => {
    settleStopped = { resolve, reject };
  });
  // Nobody may be waiting on a stop when it fails (main.ts awaits it; tests may not).
  stopped.catch(() => undefined);
  const isDraining = (): boolean => life.state === 'draining' || life.state === 'stopped';

  const directory = new InMemoryDirectory();
  // With --redis-url the directory is the cluster's, on Redis; without it, this process's memory.
  const processId = config.processId === '' ? `p-${randomBytes(6).toString('base64url')}` : config.processId;
  const link =
    config.redisUrl === ''
      ? undefined
      : new RedisLink({
          url: config.redisUrl,
          timeoutMs: config.redisTimeoutMs,
          log,
          onReconnected: () => cluster?.beatNow(),
        });
  const redisDirectory = link === undefined ? undefined : new RedisDirectory(link, log);
  const cluster =
    redisDirectory === undefined
      ? undefined
      : new ClusterRooms({
          directory: redisDirectory,
          processId,
          publicUrl: () => publicUrl,
          heartbeatMs: config.processHeartbeatMs,
          ttlMs: config.processTtlMs,
          maxRooms: config.maxRooms,
          maxTotalPlayers: config.maxTotalPlayers,
          seatTtlMs: SEAT_TTL_MS,
          log,
          faults,
          epochNow,
        });
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
    book: cluster ?? inMemoryBook(directory),
    scheduler,
    secret: secret.key,
    pooledTimings: new TickTimings(config.tickTiming, 1000 / config.tickRate),
    admitJoin: (key, nowMs) => limits.admitJoin(key, nowMs),
    faults,
    log,
    now,
    epochNow,
    // In a cluster the lobby hears every process's rooms from the directory's channel instead.
    lobby: cluster === undefined ? lobby : undefined,
  });
  cluster?.attach(host);
  const rules = {
    scenarios: SCENARIOS,
    defaultScenario: config.scenario,
    defaultMaxPlayers: config.maxPlayers,
    defaultTickRate: config.tickRate,
    defaultSnapshotRate: config.snapshotRate,
    maxPlayersCeiling: config.maxPlayers,
    defaultViewRadius: (scenario: ScenarioName) => viewRadiusOf(config, scenario),
    maxViewRadius: config.maxViewRadius,
  };
  const matchmaker: RunningServer['matchmaker'] =
    redisDirectory !== undefined
      ? new ClusterMatchmaker({
          directory: redisDirectory,
          secret: secret.key,
          rules,
          guesses: new GuessLimiter(),
          seatTtlMs: SEAT_TTL_MS,
          refusal: () => (issuesSeats(life.state) ? undefined : 'draining'),
        })
      : new Matchmaker({
          directory,
          createRoom: (settings) => host.createRoom(settings),
          liveRoom: (roomId) => host.lookup(roomId).state === 'live',
          secret: secret.key,
          rules,
          guesses: new GuessLimiter(),
          refusal: () => {
            if (!issuesSeats(life.state)) return 'draining';
            return host.figures.playerCount + host.seatsOutstanding() >= config.maxTotalPlayers
              ? 'at-capacity'
              : undefined;
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
  const telemetry = new Telemetry(
    // In a cluster every /metrics series is labelled with this process's id (random ones included).
    { ...config, processId: link === undefined ? undefined : processId },
    host.figures,
    rooms,
    scheduler.counts,
    log,
    now,
    faults,
  );
  // The dashboard's process table: the cluster's processes and their public rooms from the directory
  // (two reads, at most once a second, only while a dashboard is open), or this process alone.
  const cpuShare = cpuShareMeter(
    () => process.cpuUsage(),
    () => performance.now(),
  );
  const processView = new ProcessView(
    redisDirectory === undefined ? 'local' : 'cluster',
    redisDirectory === undefined
      ? () =>
          ownProcessTable(
            {
              id: processId,
              url: publicUrl,
              players: host.figures.playerCount,
              maxTotalPlayers: config.maxTotalPlayers,
              rooms: host.size,
              maxRooms: config.maxRooms,
              cpu: cpuShare(),
              draining: isDraining(),
            },
            [...host.hosted()]
              .filter((hosted) => !hosted.private)
              .map(({ id, scenario, maxPlayers, room }) => ({ id, scenario, maxPlayers, players: room.playerCount })),
          )
      : async () => {
          const [listing, rooms] = await Promise.all([redisDirectory.listProcesses(), redisDirectory.listPublic()]);
          return clusterProcessTable(listing, rooms, { id: processId }, epochNow());
        },
    epochNow,
  );
  const feed = new DashboardFeed(() => ({ ...telemetry.hello(), processes: processView.latest() }));
  const access = dashboardAccess(config);

  const health = () => {
    const verdict = telemetry.verdict();
    // A draining process still answers 200: a 503 here would make a load balancer cut live matches.
    const drain = drainDeadlineAt === undefined ? {} : { drainDeadline: drainDeadlineAt };
    return {
      status: verdict.status,
      overload: verdict,
      draining: isDraining(),
      ...drain,
      ...clusterHealth(),
      ...healthFigures(),
    };
  };
  /** With --redis-url: whether Redis answers now (the status stays 200 without it: its rooms play on). */
  const clusterHealth = (): Record<string, unknown> =>
    link === undefined
      ? {}
      : {
          redis: link.up,
          process: { id: processId, url: publicUrl },
          lastHeartbeatAgoMs:
            cluster?.lastHeartbeatMs === undefined ? null : Math.round(performance.now() - cluster.lastHeartbeatMs),
        };
  const gcFigures = (): Record<string, unknown> => {
    const heap = heapUsedAfterGc();
    return heap === undefined ? {} : { heapUsedAfterGcBytes: heap };
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
      // Only under node --expose-gc (a soak's server): every /healthz then forces a full GC first.
      ...gcFigures(),
      live: leftovers(host),
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
  /** --public-url, else this server's own address, once listening. */
  let publicUrl = config.publicUrl;
  const httpFault = (error: unknown, req: IncomingMessage): void =>
    faults.record('http', error, { method: req.method, target: String(req.url).slice(0, 200) });
  const matchmakeRoute = createMatchmakeRoute({
    allowedOrigins: config.allowedOrigins,
    ratePerMinute: config.matchmakeRate,
    trustProxy: new Set(config.trustProxy),
    matchmake: (body, addressKey, nowMs) => matchmaker.matchmake(body, addressKey, nowMs),
    release: (roomId, nonce) => matchmaker.release(roomId, nonce),
    wsUrlOf: (roomId, req, processUrl) => roomWsUrl(roomId, req, processUrl),
    now: epochNow,
    log,
    refusals,
    fault: httpFault,
  });
  const roomsRoute = createRoomsRoute({
    listPublic: () => (redisDirectory !== undefined ? redisDirectory.listPublic() : directory.listPublic(epochNow())),
    refusals,
    fault: httpFault,
  });
  /**
   * A room's socket as the caller reached this server: its Host header (checked on /matchmake, see
   * hostCheck.ts), wss behind a trusted proxy that says the client came over https.
   */
  const roomWsUrl = (roomId: string, req: IncomingMessage, processUrl: string | undefined): string => {
    if (processUrl !== undefined) return roomSocketUrl(processUrl, roomId);
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
  const resolver = {
    lookup: (roomId: string) => host.lookup(roomId),
    closeAll: (code: CloseCode, reason: string) => host.closeAll(code, reason),
    ...(cluster === undefined ? {} : { adopt: (roomId: string) => cluster.adopt(roomId) }),
  };
  const transport = attachWebSocketTransport(httpServer, resolver, config, log, now, faults, gate, refusals, {
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
  publicUrl = config.publicUrl !== '' ? config.publicUrl : `http://${hostForUrl}:${port}`;
  let mover: RoomMover | undefined;
  if (link !== undefined && redisDirectory !== undefined && cluster !== undefined) {
    link.connect();
    cluster.start();
    // Rooms move here from draining processes, and from here when this one drains.
    mover = new RoomMover({ link, directory: redisDirectory, host, cluster, processId, now, log, faults });
    mover.start();
    followClusterLobby(link, redisDirectory, lobby, log);
  }
  scheduler.start();
  agones?.ready();
  // Once a second: session timeouts and room lifecycles, then the dashboard's second.
  const everySecond = setInterval(() => {
    try {
      host.check();
      // A drain ends here: when no room has a player or a seat, or at its deadline (same clock).
      advance({ type: 'check', occupiedRooms: occupiedRooms() });
      if (life.state === 'stopped') return;
      // Once a second while anyone watches, never per viewer: this process's row lands at once, the
      // cluster's read goes out now and lands by the next push.
      if (feed.clientCount > 0) processView.refresh();
      feed.push({ ...telemetry.everySecond(), processes: processView.latest() });
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

  /** What a drain waits for: rooms with a player or a seat out, and rooms placed here not made yet. */
  const occupiedRooms = (): number => host.occupiedRooms() + (cluster?.placedNotMade ?? 0);
  const advance = (event: ProcessEvent): void => {
    const before = life;
    life = nextProcessLife(life, event, now());
    if (life === before) return;
    if (life.state === 'draining') startDrain(life.deadlineMs);
    if (life.state === 'stopped') {
      if (before.state === 'draining') {
        log.info('drained', {
          cause: life.cause,
          drainMs: Math.round(now() - before.sinceMs),
          roomsClosed: life.occupiedRooms,
          roomsClosedByDeadline: life.cause === 'deadline' ? life.occupiedRooms : 0,
        });
      }
      shutdown().then(settleStopped?.resolve, settleStopped?.reject);
    }
  };
  const startDrain = (deadlineMs: number): void => {
    host.draining = true;
    // The directory hears it now, not at the next heartbeat: no new rooms or seats here from this moment.
    cluster?.beatNow();
    agones?.draining();
    // With Redis, rooms with players move to other processes; what does not move drains here.
    void mover?.moveAll(epochNow());
    drainDeadlineAt = Math.round(epochNow() + (deadlineMs - now()));
    log.info('draining', { deadlineAt: drainDeadlineAt, occupiedRooms: occupiedRooms(), rooms: host.size });
    for (const hook of drainHooks) {
      // A hook (the directory marking this process draining, say) failing must not stop the drain.
      Promise.resolve()
        .then(() => hook({ deadlineAt: drainDeadlineAt! }))
        .catch((error: unknown) => faults.record('timer', error, { hook: 'onDraining' }));
    }
  };
  const shutdown = async (): Promise<void> => {
    host.draining = true;
    // Marked draining in the directory now (a stop without a drain too): nothing more is sent here.
    cluster?.beatNow();
    agones?.draining();
    clearInterval(everySecond);
    scheduler.stop();
    feed.close();
    lobby.close();
    telemetry.stop();
    await transport.shutdown(CloseCode.SERVER_SHUTDOWN, 'server shutting down', SHUTDOWN_GRACE_MS);
    httpServer.closeAllConnections();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    // The rooms were disposed (and unlisted) by the shutdown above; then the process leaves the cluster.
    mover?.stop();
    await cluster?.stop();
    await link?.close();
    // Every client is gone: Agones may delete the game server now.
    await agones?.drained();
    agones?.close();
  };
  advance({ type: 'listening' });

  return {
    url: `http://${hostForUrl}:${port}`,
    wsUrl: `ws://${hostForUrl}:${port}${WS_PREFIX.slice(0, -1)}`,
    port,
    host,
    matchmaker,
    processId: link === undefined ? undefined : processId,
    scheduler,
    telemetry,
    faults,
    agones,
    health,
    get state() {
      return life.state;
    },
    get draining() {
      return isDraining();
    },
    drain() {
      advance({ type: 'drain', deadlineAfterMs: config.drainDeadlineMs });
      // Nothing occupied: stop now rather than at the next second.
      advance({ type: 'check', occupiedRooms: occupiedRooms() });
      return stopped;
    },
    onDraining(callback) {
      drainHooks.push(callback);
    },
    stop() {
      advance({ type: 'stop', occupiedRooms: occupiedRooms() });
      return stopped;
    },
  };
}
