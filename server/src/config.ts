// Server settings: the one table of flags, environment variables and defaults. Read once at start.
// README.md's configuration table mirrors this table (a test checks), and --help prints it.
import { fileURLToPath } from 'node:url';
import { MAX_POSITION_UNITS } from '@tickwire/protocol';
import { DEFAULT_VIEW_RADIUS, type RoomOptions, SCENARIOS, type ScenarioName } from './room/roomOptions.js';
import { normalizeAddress } from './transport/clientAddress.js';

/** The most players a room may be configured for (--max-players). */
export const MAX_PLAYERS_CEILING = 4096;

export { SCENARIOS, type ScenarioName };
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  port: number;
  host: string;
  tickRate: number;
  snapshotRate: number;
  scenario: ScenarioName;
  /** World units; undefined = each room's scenario default (DEFAULT_VIEW_RADIUS). */
  viewRadius: number | undefined;
  maxViewRadius: number;
  clientBudgetBytesPerSecond: number;
  maxPlayers: number;
  maxRooms: number;
  maxTotalPlayers: number;
  roomIdleMs: number;
  drainDeadlineMs: number;
  matchmakeRate: number;
  allowedOrigins: string[];
  allowedHosts: string[];
  maxConnectionsPerIp: number;
  joinsPerMinutePerIp: number;
  trustProxy: string[];
  seed: number;
  staticDir: string;
  maxCatchUpTicks: number;
  inputQueue: number;
  heartbeatMs: number;
  handshakeTimeoutMs: number;
  requestTimeoutMs: number;
  idleKickMs: number;
  reconnectGraceMs: number;
  maxFrameBytes: number;
  backpressureBytes: number;
  backpressureTimeoutMs: number;
  debugState: boolean;
  lagCompensation: boolean;
  maxRewindMs: number;
  logLevel: LogLevel;
  tickTiming: boolean;
  dashboardToken: string;
  redisUrl: string;
  publicUrl: string;
  processId: string;
  processHeartbeatMs: number;
  processTtlMs: number;
  redisTimeoutMs: number;
  agones: boolean;
}

interface Setting<K extends keyof ServerConfig> {
  key: K;
  flag: string;
  env: string;
  defaultValue: ServerConfig[K];
  /** Shown in --help and README: meaning, unit, range. */
  doc: string;
  parse(text: string): ServerConfig[K];
}

const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../client/dist', import.meta.url));

function integer(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
      throw new Error(`expected an integer in [${min}, ${max}], got "${text}"`);
    }
    return value;
  };
}

function oneOf<T extends string>(values: readonly T[]): (text: string) => T {
  return (text) => {
    if (!(values as readonly string[]).includes(text))
      throw new Error(`expected one of ${values.join(', ')}, got "${text}"`);
    return text as T;
  };
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** IP addresses (--trust-proxy), each normalized so it matches however the socket spells the peer. */
function addressList(text: string): string[] {
  return list(text).map((item) => {
    const address = normalizeAddress(item);
    if (address === undefined) throw new Error(`expected IP addresses, got "${item}"`);
    return address;
  });
}

/** Host names (--allowed-hosts): "name", "*.name" for its subdomains, or "*" for any. */
function hostList(text: string): string[] {
  return list(text).map((item) => {
    const host = item.toLowerCase();
    if (host !== '*' && !/^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/.test(host)) {
      throw new Error(`expected host names, *.domain or *, got "${item}"`);
    }
    return host;
  });
}

function redisUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`expected redis://host:port, got "${text}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new Error(`expected redis:// or rediss://, got "${text}"`);
  return text;
}

function publicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`expected an http(s) base URL such as http://10.0.0.5:8080, got "${text}"`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new Error(`expected an http(s) base URL such as http://10.0.0.5:8080 (no path), got "${text}"`);
  }
  return url.origin;
}

function processId(text: string): string {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(text)) throw new Error(`expected 1–32 of A–Z a–z 0–9 _ -, got "${text}"`);
  return text;
}

function boolean(value: string): boolean {
  if (value === 'true' || value === '1' || value === 'on') return true;
  if (value === 'false' || value === '0' || value === 'off') return false;
  throw new Error(`expected true or false, got "${value}"`);
}

/** A secret of at least `minLength` characters, without spaces. */
function token(minLength: number): (value: string) => string {
  return (value) => {
    if (value.length < minLength || /\s/.test(value)) {
      throw new Error(`expected at least ${minLength} characters without spaces`);
    }
    return value;
  };
}

function text(value: string): string {
  if (value.length === 0) throw new Error('expected a non-empty value');
  return value;
}

/**
 * Every setting, keyed by its config field (so a field without a row fails the type check), in
 * the order --help and README list them.
 */
const SETTING_TABLE: { readonly [K in keyof ServerConfig]: Omit<Setting<K>, 'key'> } = {
  port: {
    flag: '--port',
    env: 'TICKWIRE_PORT',
    defaultValue: 8080,
    doc: 'HTTP and WebSocket port; 0 picks a free one',
    parse: integer(0, 65535),
  },
  host: {
    flag: '--host',
    env: 'TICKWIRE_HOST',
    defaultValue: '127.0.0.1',
    doc: 'interface to listen on; 0.0.0.0 for every interface',
    parse: text,
  },
  tickRate: {
    flag: '--tick-rate',
    env: 'TICKWIRE_TICK_RATE',
    defaultValue: 30,
    doc: 'simulation ticks per second, 10–128',
    parse: integer(10, 128),
  },
  snapshotRate: {
    flag: '--snapshot-rate',
    env: 'TICKWIRE_SNAPSHOT_RATE',
    defaultValue: 30,
    doc: 'snapshots per second, 1 to the tick rate',
    parse: integer(1, 128),
  },
  scenario: {
    flag: '--scenario',
    env: 'TICKWIRE_SCENARIO',
    defaultValue: 'game',
    doc: 'world to run: game (the map in assets/maps), arena (the open square of docs/scenarios.md) or world (the open square of 16,384 units, world-N)',
    parse: oneOf(SCENARIOS),
  },
  viewRadius: {
    flag: '--view-radius',
    env: 'TICKWIRE_VIEW_RADIUS',
    defaultValue: undefined,
    doc: "how far each client sees, world units, 0 to --max-view-radius; 0 = everything; unset = the room's scenario default (0 for game and arena, 1000 for world)",
    parse: integer(0, MAX_POSITION_UNITS),
  },
  maxViewRadius: {
    flag: '--max-view-radius',
    env: 'TICKWIRE_MAX_VIEW_RADIUS',
    defaultValue: 4000,
    doc: 'the largest viewRadius POST /matchmake create may ask for, world units (a larger one answers 400)',
    parse: integer(1, MAX_POSITION_UNITS),
  },
  clientBudgetBytesPerSecond: {
    flag: '--client-budget-bytes-per-s',
    env: 'TICKWIRE_CLIENT_BUDGET_BYTES_PER_S',
    defaultValue: 0,
    doc: 'snapshot bytes a second each client may be sent, 0 = no budget; over it, entities wait by priority and the client holds them deferred (PROTOCOL.md, Deferred entities)',
    parse: integer(0, 100_000_000),
  },
  maxPlayers: {
    flag: '--max-players',
    env: 'TICKWIRE_MAX_PLAYERS',
    defaultValue: 256,
    doc: `a room's players when POST /matchmake names no maxPlayers, and the most it may name, 1–${MAX_PLAYERS_CEILING}; above 1024 only in rooms with a view radius (a room that sends everyone everything holds at most 1024); a full room refuses HELLO with ROOM_FULL (4006)`,
    parse: integer(1, MAX_PLAYERS_CEILING),
  },
  maxRooms: {
    flag: '--max-rooms',
    env: 'TICKWIRE_MAX_ROOMS',
    defaultValue: 256,
    doc: 'rooms this process hosts at once; POST /matchmake that needs one more answers 503 at-capacity',
    parse: integer(1, 100_000),
  },
  maxTotalPlayers: {
    flag: '--max-total-players',
    env: 'TICKWIRE_MAX_TOTAL_PLAYERS',
    defaultValue: 2048,
    doc: 'players (and seats issued, not yet used) over all rooms of this process before POST /matchmake answers 503 at-capacity',
    parse: integer(1, 1_000_000),
  },
  roomIdleMs: {
    flag: '--room-idle-ms',
    env: 'TICKWIRE_ROOM_IDLE_MS',
    defaultValue: 15_000,
    doc: 'ms a room with no players and no seat outstanding lives before it is disposed (a room nobody joins too)',
    parse: integer(0, 86_400_000),
  },
  drainDeadlineMs: {
    flag: '--drain-deadline-ms',
    env: 'TICKWIRE_DRAIN_DEADLINE_MS',
    defaultValue: 30_000,
    doc: 'ms a drain (after SIGTERM) lets rooms with players or seats run before closing them with 1001; 0 closes them at once',
    parse: integer(0, 86_400_000),
  },
  matchmakeRate: {
    flag: '--matchmake-rate',
    env: 'TICKWIRE_MATCHMAKE_RATE',
    defaultValue: 60,
    doc: 'POST /matchmake calls per minute per client address (a burst of this many), else 429; loopback is exempt without --trust-proxy; 0 for no limit',
    parse: integer(0, 1_000_000),
  },
  redisUrl: {
    flag: '--redis-url',
    env: 'TICKWIRE_REDIS_URL',
    defaultValue: '',
    doc: "redis://host:port of the cluster's directory; unset, this process is a cluster of one with its rooms in memory (no other service needed)",
    parse: redisUrl,
  },
  publicUrl: {
    flag: '--public-url',
    env: 'TICKWIRE_PUBLIC_URL',
    defaultValue: '',
    doc: "with --redis-url: the http(s) base URL clients reach this process at (http://10.0.0.5:8080); its rooms' sockets are derived from it; unset, http://<--host>:<port>",
    parse: publicUrl,
  },
  processId: {
    flag: '--process-id',
    env: 'TICKWIRE_PROCESS_ID',
    defaultValue: '',
    doc: "with --redis-url: this process's id in the directory, 1–32 of A–Z a–z 0–9 _ -; unset, random per start",
    parse: processId,
  },
  processHeartbeatMs: {
    flag: '--process-heartbeat-ms',
    env: 'TICKWIRE_PROCESS_HEARTBEAT_MS',
    defaultValue: 1000,
    doc: "with --redis-url: ms between two heartbeats (the process's key, its rooms' occupancy, the sweep of dead processes)",
    parse: integer(50, 60_000),
  },
  processTtlMs: {
    flag: '--process-ttl-ms',
    env: 'TICKWIRE_PROCESS_TTL_MS',
    defaultValue: 5000,
    doc: 'with --redis-url: ms a process stays listed after its last heartbeat; its rooms leave the listings within this + one heartbeat after it dies',
    parse: integer(200, 600_000),
  },
  redisTimeoutMs: {
    flag: '--redis-timeout-ms',
    env: 'TICKWIRE_REDIS_TIMEOUT_MS',
    defaultValue: 1000,
    doc: 'with --redis-url: the deadline of every Redis call; past it POST /matchmake answers 503 unavailable',
    parse: integer(10, 60_000),
  },
  allowedOrigins: {
    flag: '--allowed-origins',
    env: 'TICKWIRE_ALLOWED_ORIGINS',
    defaultValue: [],
    doc: 'comma-separated browser origins allowed besides the same origin; * allows any; in a cluster whose processes have different origins, list the origins the page is served from',
    parse: list,
  },
  allowedHosts: {
    flag: '--allowed-hosts',
    env: 'TICKWIRE_ALLOWED_HOSTS',
    defaultValue: [],
    doc: "comma-separated Host names (*.domain for subdomains) the game socket and dashboard answer besides localhost, IP literals and this machine's hostname, else 421; * allows any",
    parse: hostList,
  },
  maxConnectionsPerIp: {
    flag: '--max-connections-per-ip',
    env: 'TICKWIRE_MAX_CONNECTIONS_PER_IP',
    defaultValue: 16,
    doc: 'open WebSockets (game and dashboard) per client address (IPv6: per /64), else HTTP 429; loopback is exempt without --trust-proxy; 0 for no limit',
    parse: integer(0, 1_000_000),
  },
  joinsPerMinutePerIp: {
    flag: '--joins-per-minute-per-ip',
    env: 'TICKWIRE_JOINS_PER_MINUTE_PER_IP',
    defaultValue: 30,
    doc: 'HELLOs per minute per client address (a burst of this many, refilled at this rate), else JOIN_RATE (4012); 0 for no limit',
    parse: integer(0, 1_000_000),
  },
  trustProxy: {
    flag: '--trust-proxy',
    env: 'TICKWIRE_TRUST_PROXY',
    defaultValue: [],
    doc: 'comma-separated reverse proxy IP addresses: from these peers the client address is the rightmost untrusted X-Forwarded-For entry; loopback is then not exempt',
    parse: addressList,
  },
  seed: {
    flag: '--seed',
    env: 'TICKWIRE_SEED',
    defaultValue: 1,
    doc: 'seed of the spawn-point generator',
    parse: integer(0, 0xffff_ffff),
  },
  staticDir: {
    flag: '--static-dir',
    env: 'TICKWIRE_STATIC_DIR',
    defaultValue: DEFAULT_STATIC_DIR,
    doc: 'folder of the built client served at / (default client/dist)',
    parse: text,
  },
  maxCatchUpTicks: {
    flag: '--max-catch-up',
    env: 'TICKWIRE_MAX_CATCH_UP',
    defaultValue: 5,
    doc: 'most ticks run at once after a stall; the rest are dropped and counted',
    parse: integer(1, 128),
  },
  inputQueue: {
    flag: '--input-queue',
    env: 'TICKWIRE_INPUT_QUEUE',
    defaultValue: 8,
    doc: 'inputs queued per player; when full the oldest is dropped',
    parse: integer(1, 128),
  },
  heartbeatMs: {
    flag: '--heartbeat-ms',
    env: 'TICKWIRE_HEARTBEAT_MS',
    defaultValue: 5000,
    doc: 'ms between heartbeats: a client that sent nothing since the last one is pinged, and dropped if still silent at the next',
    parse: integer(100, 600_000),
  },
  handshakeTimeoutMs: {
    flag: '--handshake-timeout-ms',
    env: 'TICKWIRE_HANDSHAKE_TIMEOUT_MS',
    defaultValue: 5000,
    doc: 'ms a new socket has to send HELLO (4008 after)',
    parse: integer(100, 600_000),
  },
  requestTimeoutMs: {
    flag: '--request-timeout-ms',
    env: 'TICKWIRE_REQUEST_TIMEOUT_MS',
    defaultValue: 10_000,
    doc: 'ms a TCP connection has to complete an HTTP request or WebSocket upgrade before it is closed',
    parse: integer(1000, 600_000),
  },
  idleKickMs: {
    flag: '--idle-kick-ms',
    env: 'TICKWIRE_IDLE_KICK_MS',
    defaultValue: 300_000,
    doc: 'ms a player may send no non-idle INPUT (movement or a button) before IDLE_KICK (4011); 0 never kicks',
    parse: integer(0, 86_400_000),
  },
  reconnectGraceMs: {
    flag: '--reconnect-grace-ms',
    env: 'TICKWIRE_RECONNECT_GRACE_MS',
    defaultValue: 10_000,
    doc: 'ms a player whose connection dropped without a consented leave is kept (standing still, not hittable) for a resume; 0 removes it at once',
    parse: integer(0, 600_000),
  },
  maxFrameBytes: {
    flag: '--max-frame-bytes',
    env: 'TICKWIRE_MAX_FRAME_BYTES',
    defaultValue: 512,
    doc: 'largest client frame in bytes (1009 above it)',
    parse: integer(64, 65536),
  },
  backpressureBytes: {
    flag: '--backpressure-bytes',
    env: 'TICKWIRE_BACKPRESSURE_BYTES',
    defaultValue: 65536,
    doc: 'skip a snapshot for a client with more than this many bytes unsent',
    parse: integer(1024, 64 * 1024 * 1024),
  },
  backpressureTimeoutMs: {
    flag: '--backpressure-timeout-ms',
    env: 'TICKWIRE_BACKPRESSURE_TIMEOUT_MS',
    defaultValue: 5000,
    doc: 'ms a client may stay skipped (acks more than 2 s behind, or bytes backed up) before SLOW_CLIENT (4009)',
    parse: integer(100, 600_000),
  },
  debugState: {
    flag: '--debug-state',
    env: 'TICKWIRE_DEBUG_STATE',
    defaultValue: false,
    doc: 'answer DEBUG_STATE_REQUEST with the authoritative state (for tests; true/false)',
    parse: boolean,
  },
  lagCompensation: {
    flag: '--lag-compensation',
    env: 'TICKWIRE_LAG_COMPENSATION',
    defaultValue: true,
    doc: 'hitscan shots hit players where the shooter saw them (its viewTick), not where they are now (true/false)',
    parse: boolean,
  },
  maxRewindMs: {
    flag: '--max-rewind-ms',
    env: 'TICKWIRE_MAX_REWIND_MS',
    defaultValue: 250,
    doc: 'how far back in ms a hitscan shot may be rewound, 0–1000; an older viewTick counts as this',
    parse: integer(0, 1000),
  },
  logLevel: {
    flag: '--log-level',
    env: 'TICKWIRE_LOG_LEVEL',
    defaultValue: 'info',
    doc: `least severe log level printed: ${LOG_LEVELS.join(', ')}`,
    parse: oneOf(LOG_LEVELS),
  },
  tickTiming: {
    flag: '--tick-timing',
    env: 'TICKWIRE_TICK_TIMING',
    defaultValue: true,
    doc: 'time each phase of a tick (ecsy systems, snapshot capture, encode, send); tick total and lateness are always timed (true/false)',
    parse: boolean,
  },
  dashboardToken: {
    flag: '--dashboard-token',
    env: 'TICKWIRE_DASHBOARD_TOKEN',
    defaultValue: '',
    doc: 'token /dashboard requires as ?token= (16+ characters); without one the dashboard is open on loopback and off elsewhere',
    parse: token(16),
  },
  agones: {
    flag: '--agones',
    env: 'TICKWIRE_AGONES',
    defaultValue: false,
    doc: 'speak the Agones SDK to its sidecar at localhost:AGONES_SDK_GRPC_PORT (default 9357): Ready once listening, Health every 2 s, self-Allocate at the first player, the label gs-session-ready, Shutdown after the drain (true/false)',
    parse: boolean,
  },
};

export const SETTINGS: readonly Setting<keyof ServerConfig>[] = (
  Object.keys(SETTING_TABLE) as (keyof ServerConfig)[]
).map((key) => ({ key, ...SETTING_TABLE[key] }) as Setting<keyof ServerConfig>);

export function defaultConfig(): ServerConfig {
  const config: Partial<Record<keyof ServerConfig, unknown>> = {};
  for (const setting of SETTINGS) config[setting.key] = structuredClone(setting.defaultValue);
  return config as ServerConfig;
}

export class ConfigError extends Error {}

/**
 * Defaults, then environment variables, then flags (`--flag value` or `--flag=value`).
 * Throws ConfigError with a message naming the setting for any unknown or bad value.
 */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const config = defaultConfig() as unknown as Record<string, unknown>;
  const byFlag = new Map(SETTINGS.map((setting) => [setting.flag, setting]));
  const apply = (setting: Setting<keyof ServerConfig>, raw: string, source: string) => {
    try {
      config[setting.key] = setting.parse(raw);
    } catch (error) {
      throw new ConfigError(`${source}: ${(error as Error).message}`);
    }
  };
  for (const setting of SETTINGS) {
    const raw = env[setting.env];
    if (raw !== undefined && raw !== '') apply(setting, raw, setting.env);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const setting = byFlag.get(flag);
    if (setting === undefined) throw new ConfigError(`unknown option ${flag} (see --help)`);
    // A true/false setting given bare (`--agones`, or followed by another flag) means true.
    const bare =
      inline === undefined && setting.parse === boolean && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--'));
    const raw = bare ? 'true' : (inline ?? argv[++i]);
    if (raw === undefined) throw new ConfigError(`${flag} needs a value`);
    apply(setting, raw, flag);
  }
  const result = config as unknown as ServerConfig;
  if (result.viewRadius !== undefined && result.viewRadius > result.maxViewRadius) {
    throw new ConfigError(
      `--view-radius (${result.viewRadius}) must not exceed --max-view-radius (${result.maxViewRadius})`,
    );
  }
  if (result.snapshotRate > result.tickRate) {
    throw new ConfigError(`--snapshot-rate (${result.snapshotRate}) must not exceed --tick-rate (${result.tickRate})`);
  }
  return result;
}

/** A default that means "not set": an empty list, an empty string or undefined, shown as (none). */
export function isUnset(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || value === '' || value === undefined;
}

/** The --help text, generated from SETTINGS. */
export function helpText(): string {
  const lines = [
    'Usage: npm start -- [options]   (or: node server/dist/main.js [options]; from the sources: npm run serve -- [options])',
    '',
    'Options (flag, environment variable, default):',
  ];
  for (const setting of SETTINGS) {
    const shown = isUnset(setting.defaultValue) ? '(none)' : String(setting.defaultValue);
    lines.push(`  ${setting.flag.padEnd(24)} ${setting.env.padEnd(32)} ${shown}`);
    lines.push(`      ${setting.doc}`);
  }
  lines.push('  --help                   print this and exit');
  return lines.join('\n');
}

/** A room's viewRadius when its creator names none: --view-radius, else its scenario's default. */
export function viewRadiusOf(config: Pick<ServerConfig, 'viewRadius'>, scenario: ScenarioName): number {
  return config.viewRadius ?? DEFAULT_VIEW_RADIUS[scenario];
}

/** What every room of this process runs with: the room's share of the settings (room/roomOptions.ts). */
export function roomOptionsOf(config: ServerConfig): RoomOptions {
  return {
    scenario: config.scenario,
    tickRate: config.tickRate,
    snapshotRate: config.snapshotRate,
    viewRadius: viewRadiusOf(config, config.scenario),
    maxPlayers: config.maxPlayers,
    seed: config.seed,
    inputQueue: config.inputQueue,
    handshakeTimeoutMs: config.handshakeTimeoutMs,
    idleKickMs: config.idleKickMs,
    reconnectGraceMs: config.reconnectGraceMs,
    backpressureBytes: config.backpressureBytes,
    backpressureTimeoutMs: config.backpressureTimeoutMs,
    debugState: config.debugState,
    tickTiming: config.tickTiming,
    lagCompensation: config.lagCompensation,
    maxRewindMs: config.maxRewindMs,
    clientBudgetBytesPerSecond: config.clientBudgetBytesPerSecond,
  };
}
