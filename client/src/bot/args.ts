// Parses the bot CLI's flags into checked options, and holds its usage text; runs once per process.
import { MAX_NAME_LENGTH, MAX_POSITION_UNITS, MAX_SNAPSHOT_ENTITIES } from '@tickwire/protocol';
import { httpBaseOf } from '../net/matchmake.js';
import { type LinkOptions, MAX_LINK_DELAY_MS, MAX_LINK_SEED } from '../net/networkSimulator.js';

export const SCENARIOS = ['arena', 'game', 'world'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BotArgs {
  /** The server's http(s) base URL (POST /matchmake goes here); a ws(s) --url is turned into it. */
  url: string;
  count: number;
  /** Length of the run in seconds, from start to summary. */
  seconds: number;
  seed: number;
  scenario: ScenarioName;
  json: boolean;
  /** Predict and reconcile each bot's own player (and report its corrections by kind). */
  predict: boolean;
  /** Read only each snapshot's tick (for acks), never decode its body; implies no prediction. */
  loadOnly: boolean;
  namePrefix: string;
  /** Simulated one-way latency on every bot's socket, each direction, in ms; 0 with no jitter or bandwidth: no simulator. */
  latencyMs: number;
  /** Simulated extra delay per frame, uniform in [0, jitterMs) ms, each direction. */
  jitterMs: number;
  /** Simulated link rate, each direction, in payload bytes per second; Infinity: no limit. */
  bandwidthBytesPerSecond: number;
  /** Bot i's link is seeded with linkSeed + i. */
  linkSeed: number;
  /** Bots create rooms of this many players and fill them (count is a multiple); undefined: not this mode. */
  roomSize: number | undefined;
  /** Every bot joins this room (an id or a private room's code); undefined: not this mode. */
  room: string | undefined;
  /** The viewRadius (world units) the rooms --room-size creates ask for; undefined: the server's default. */
  viewRadius: number | undefined;
}

export const DEFAULT_ARGS: Readonly<BotArgs> = {
  url: 'http://127.0.0.1:8080',
  count: 50,
  seconds: 30,
  seed: 1,
  scenario: 'arena',
  json: false,
  predict: true,
  loadOnly: false,
  namePrefix: 'bot',
  latencyMs: 0,
  jitterMs: 0,
  bandwidthBytesPerSecond: Number.POSITIVE_INFINITY,
  linkSeed: 1,
  roomSize: undefined,
  room: undefined,
  viewRadius: undefined,
};

/** The largest --view-radius sent, world units (the world's side); the server refuses above its own cap. */
const MAX_VIEW_RADIUS_ASKED = MAX_POSITION_UNITS;

/** Longest run accepted, in seconds: load runs are bounded in time. */
export const MAX_SECONDS = 3600;

/** Flag, meaning, default with unit: the usage text's table, padded into columns. */
const FLAG_ROWS: readonly (readonly [string, string, string])[] = [
  ['--url URL', "server's http(s) URL (a ws(s) URL is turned into its http base)", DEFAULT_ARGS.url],
  ['--count N', `number of bots, 1..${MAX_SNAPSHOT_ENTITIES}`, `${DEFAULT_ARGS.count}`],
  ['--matchmake', 'every bot gets its seat from POST /matchmake (the only way; accepted for clarity)', 'on'],
  ['--room-size P', 'create rooms of maxPlayers P and fill them: --count N makes N/P rooms (N a multiple of P)', 'off'],
  ['--room ID', "every bot joins this room: its id or a private room's code", 'off'],
  [
    '--view-radius U',
    `with --room-size: the viewRadius its creates ask for, world units 0..${MAX_VIEW_RADIUS_ASKED} (the server caps it)`,
    "the server's",
  ],
  ['--seconds S', `run length in seconds from start to summary, (0, ${MAX_SECONDS}]`, `${DEFAULT_ARGS.seconds} s`],
  ['--seed S', 'integer >= 1; bot i is seeded with i + S - 1', `${DEFAULT_ARGS.seed} (= docs/scenarios.md)`],
  ['--scenario NAME', `load scenario: ${SCENARIOS.join(', ')}`, DEFAULT_ARGS.scenario],
  ['--name-prefix P', `bot i is named P + i, at most ${MAX_NAME_LENGTH} chars`, `"${DEFAULT_ARGS.namePrefix}"`],
  ['--latency MS', `simulated one-way delay per frame, each direction, 0..${MAX_LINK_DELAY_MS} ms`, '0 ms'],
  ['--jitter MS', `simulated extra delay per frame, uniform in [0, MS), 0..${MAX_LINK_DELAY_MS} ms`, '0 ms'],
  ['--bandwidth BYTES_PER_S', 'simulated link rate per bot, each direction, payload bytes/s', 'unlimited'],
  [
    '--link-seed N',
    `integer 0..${MAX_LINK_SEED}; bot i's link jitter is seeded with N + i`,
    `${DEFAULT_ARGS.linkSeed}`,
  ],
  ['--json', 'one JSON object per line instead of text', 'off'],
  ['--no-predict', 'skip client prediction: pure load, as docs/scenarios.md bots', 'predict on'],
  [
    '--load-only',
    "--no-predict; arena bots also read only each snapshot's tick, so their CPU does not grow with the server's payload (game bots must see the world); the bench and the profiler use it",
    'off',
  ],
  ['--help, -h', 'print this and exit', ''],
];

function flagTable(): string {
  const width = (column: 0 | 1) => Math.max(...FLAG_ROWS.map((row) => row[column].length)) + 2;
  return FLAG_ROWS.map(([flag, meaning, fallback]) =>
    `  ${flag.padEnd(width(0))}${meaning.padEnd(width(1))}${fallback === '' ? '' : `default ${fallback}`}`.trimEnd(),
  ).join('\n');
}

export const USAGE = `Usage: npm run bots -- [flags]

Runs N headless bots in one process against a Tickwire server, prints one progress line
per second and a summary at the end (after --seconds, on SIGINT/SIGTERM, or at the next
progress line once every bot's socket has closed), then closes every socket with 1000. Exit code 0; 1 when a bot disconnected without being asked or
never joined; 2 for bad flags.

Flags:
${flagTable()}

Joining (PROTOCOL.md "Matchmaking"): each bot asks POST /matchmake on --url for a seat, opens the
answer's wsUrl and sends HELLO with the seat; the call is part of the bot's join (counted among the
joins in flight) and is timed. The modes are exclusive:
  neither       every bot: {mode: 'joinOrCreate', scenario} (the server fills the fullest room first)
  --room-size P bot k·P: {mode: 'create', scenario, maxPlayers: P}; bots k·P+1 .. k·P+P-1: {mode: 'join',
                roomId} of bot k·P's room, once its create has answered
  --room ID     every bot: {mode: 'join', roomId: ID}
A refused or failed call counts as a disconnect (its error code in matchmakeErrors) and the bot
never joins. The summary adds rooms (distinct rooms the bots played in) and matchmakeMs (p50/p99
of the calls, with their count and failures).

Scenario arena (docs/scenarios.md, arena-N): at most 10 joins in flight (socket opened, WELCOME
not yet received); from its WELCOME on, every bot sends one input every 33 ms on fixed due
times (join + k * 33 ms), directions from ArenaSchedule(i + seed - 1) at k * 33 ms. A late
process sends up to 4 due inputs per bot at once (counted as caught up) and skips older
ones (counted as skipped), never shifting the schedule.

Scenario world (docs/scenarios.md, world-N; the server's --scenario world, or --room-size): the
arena's bots, joins and schedule, in the open square of 16,384 units; each client sees what is
within the room's viewRadius (1,000 units by default; --view-radius with --room-size asks another).

Scenario game (docs/scenarios.md, game-N; run the server with --scenario game): the same joins
and 33 ms schedule; each bot wanders the map (a direction from GamePilot(i + seed - 1),
redrawn every 0.5-1.5 s or when its next 64 units are walled), aims at the nearest player
in sight (no wall between, within 1000 units) as its client draws it, and holds both fire
buttons while one is, so the server fires each weapon at its maximum rate.

Simulated link (client/src/net/networkSimulator.ts), only when --latency, --jitter or
--bandwidth is set: each bot's socket delays what it sends and receives, in order as TCP
does; input due times are unchanged (a bot still sends every 33 ms; the link delays the frames).

Figures: counters are cumulative since the start. The summary's per-client rates (payload
bytes, without WebSocket framing, and messages per client per second) divide by the bots
connected at the last join and by the window from the last join to the end; snapshot
arrival intervals (bot 0, and all bots) are p50/p99 in ms over that same window, exact to
0.05 ms. Keep --seconds well above the join time so the window is long enough.`;

export type ParseResult = { kind: 'run'; args: BotArgs } | { kind: 'help' } | { kind: 'error'; message: string };

type ValueFlag =
  | 'url'
  | 'count'
  | 'seconds'
  | 'seed'
  | 'scenario'
  | 'name-prefix'
  | 'latency'
  | 'jitter'
  | 'bandwidth'
  | 'link-seed'
  | 'room-size'
  | 'room'
  | 'view-radius';
const VALUE_FLAGS: readonly ValueFlag[] = [
  'url',
  'count',
  'seconds',
  'seed',
  'scenario',
  'name-prefix',
  'latency',
  'jitter',
  'bandwidth',
  'link-seed',
  'room-size',
  'room',
  'view-radius',
];

/** A room id (16 base64url chars) or a code (6 letters/digits); the server checks which it is. */
const ROOM_REF = /^[A-Za-z0-9_-]{1,64}$/;

/** `argv` without node and the script: `--flag value` or `--flag=value`; each flag at most once. */
export function parseArgs(argv: readonly string[]): ParseResult {
  const values = new Map<string, string>();
  let json = false;
  let predict = true;
  let loadOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (!arg.startsWith('--')) return error(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (name === 'json') {
      if (eq !== -1) return error('--json takes no value');
      json = true;
      continue;
    }
    if (name === 'no-predict') {
      if (eq !== -1) return error('--no-predict takes no value');
      predict = false;
      continue;
    }
    if (name === 'matchmake') {
      // The only way a bot gets a seat (a HELLO without one is refused with 4013): said, never off.
      if (eq !== -1) return error('--matchmake takes no value');
      continue;
    }
    if (name === 'load-only') {
      if (eq !== -1) return error('--load-only takes no value');
      loadOnly = true;
      predict = false;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(name)) return error(`unknown flag --${name}`);
    if (values.has(name)) return error(`--${name} given twice`);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) return error(`--${name} needs a value`);
    }
    values.set(name, value);
  }

  const args: BotArgs = { ...DEFAULT_ARGS, json, predict, loadOnly };
  const url = values.get('url');
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return error(`--url "${url}" is not a URL`);
    }
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol))
      return error(`--url must be http(s):// or ws(s)://, got "${url}"`);
    args.url = httpBaseOf(url);
  }
  const count = values.get('count');
  if (count !== undefined) {
    const n = integer(count);
    if (n === undefined || n < 1 || n > MAX_SNAPSHOT_ENTITIES) {
      return error(`--count must be an integer from 1 to ${MAX_SNAPSHOT_ENTITIES}, got "${count}"`);
    }
    args.count = n;
  }
  const seconds = values.get('seconds');
  if (seconds !== undefined) {
    const s = Number(seconds);
    if (seconds.trim() === '' || !Number.isFinite(s) || s <= 0 || s > MAX_SECONDS) {
      return error(`--seconds must be a number above 0 and at most ${MAX_SECONDS}, got "${seconds}"`);
    }
    args.seconds = s;
  }
  const seed = values.get('seed');
  if (seed !== undefined) {
    const n = integer(seed);
    if (n === undefined || n < 1 || n > 0x7fff_ffff)
      return error(`--seed must be an integer from 1 to 2147483647, got "${seed}"`);
    args.seed = n;
  }
  const scenario = values.get('scenario');
  if (scenario !== undefined) {
    const known = SCENARIOS.find((name) => name === scenario);
    if (known === undefined) return error(`unknown --scenario "${scenario}"; known: ${SCENARIOS.join(', ')}`);
    args.scenario = known;
  }
  for (const [flag, key] of [
    ['latency', 'latencyMs'],
    ['jitter', 'jitterMs'],
  ] as const) {
    const text = values.get(flag);
    if (text === undefined) continue;
    const ms = Number(text);
    if (text.trim() === '' || !(ms >= 0 && ms <= MAX_LINK_DELAY_MS)) {
      return error(`--${flag} must be a number of ms from 0 to ${MAX_LINK_DELAY_MS}, got "${text}"`);
    }
    args[key] = ms;
  }
  const bandwidth = values.get('bandwidth');
  if (bandwidth !== undefined) {
    const rate = Number(bandwidth);
    if (bandwidth.trim() === '' || !(rate > 0)) {
      return error(`--bandwidth must be a number of bytes per second above 0, got "${bandwidth}"`);
    }
    args.bandwidthBytesPerSecond = rate;
  }
  const linkSeed = values.get('link-seed');
  if (linkSeed !== undefined) {
    const n = integer(linkSeed);
    if (n === undefined || n > MAX_LINK_SEED) {
      return error(`--link-seed must be an integer from 0 to ${MAX_LINK_SEED}, got "${linkSeed}"`);
    }
    args.linkSeed = n;
  }
  const roomSize = values.get('room-size');
  const room = values.get('room');
  if (roomSize !== undefined && room !== undefined) return error('--room-size and --room are exclusive');
  if (roomSize !== undefined) {
    const p = integer(roomSize);
    if (p === undefined || p < 1 || p > MAX_SNAPSHOT_ENTITIES) {
      return error(`--room-size must be an integer from 1 to ${MAX_SNAPSHOT_ENTITIES}, got "${roomSize}"`);
    }
    if (args.count % p !== 0) return error(`--count ${args.count} is not a multiple of --room-size ${p}`);
    args.roomSize = p;
  }
  if (room !== undefined) {
    if (!ROOM_REF.test(room)) return error(`--room must be a room id or code (letters, digits, - or _), got "${room}"`);
    args.room = room;
  }
  const viewRadius = values.get('view-radius');
  if (viewRadius !== undefined) {
    const units = integer(viewRadius);
    if (units === undefined || units > MAX_VIEW_RADIUS_ASKED) {
      return error(`--view-radius must be an integer from 0 to ${MAX_VIEW_RADIUS_ASKED}, got "${viewRadius}"`);
    }
    // Only a create names a room's viewRadius: joinOrCreate and join take the room as it is.
    if (args.roomSize === undefined) return error('--view-radius needs --room-size (only a create names it)');
    args.viewRadius = units;
  }
  const prefix = values.get('name-prefix');
  if (prefix !== undefined) args.namePrefix = prefix;
  const longest = args.namePrefix.length + String(args.count - 1).length;
  if (longest > MAX_NAME_LENGTH) {
    return error(`--name-prefix "${args.namePrefix}" makes names of ${longest} chars; at most ${MAX_NAME_LENGTH}`);
  }
  return { kind: 'run', args };
}

/** Bot i's simulated link, or undefined when no link flag asks for one (the socket is then used bare). */
export function botLinkOptions(args: BotArgs, botIndex: number): LinkOptions | undefined {
  const { latencyMs, jitterMs, bandwidthBytesPerSecond } = args;
  if (latencyMs === 0 && jitterMs === 0 && bandwidthBytesPerSecond === Number.POSITIVE_INFINITY) return undefined;
  return { latencyMs, jitterMs, bandwidthBytesPerSecond, seed: args.linkSeed + botIndex };
}

function integer(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function error(message: string): ParseResult {
  return { kind: 'error', message };
}
