// Parses the profiler's flags into one of three commands (a run, a compare, a capacity search) and
// holds its usage text; runs once per process.
import { parseArgs as parseNodeArgs } from 'node:util';
import { defaultConfig } from '../../server/src/config.js';
import { MAX_WHOLE_VIEW_PLAYERS } from '../../server/src/rooms/matchmakeRequest.js';
import { DEFAULT_PLAN } from './capacity.js';

/** The server's --max-view-radius default, which the profiled server runs with. */
const MAX_VIEW_RADIUS = defaultConfig().maxViewRadius;

export interface RunArgs {
  scenario: string;
  /** Every bot; rooms × roomSize with --rooms. */
  bots: number;
  /** --rooms R: the bots make R rooms of roomSize each (bots --room-size); undefined: every bot joinOrCreate. */
  rooms: number | undefined;
  roomSize: number | undefined;
  tickRate: number;
  snapshotRate: number;
  /** The server's --view-radius, world units; undefined: the scenario's default (0 for game and arena, 1,000 for world). */
  viewRadius: number | undefined;
  /** Measured window, whole seconds. */
  seconds: number;
  /** Warm-up after the last join, whole seconds. */
  warmup: number;
  joinTimeout: number;
  predict: boolean;
  /** Output path (".json" or a stem); undefined: profile/results/<name>-<timestamp>. */
  out: string | undefined;
}

export interface CapacityArgs extends Omit<RunArgs, 'bots' | 'rooms' | 'roomSize'> {
  maxSteps: number;
  maxMinutes: number;
  maxBots: number;
}

export type ParsedArgs =
  | { kind: 'run'; args: RunArgs }
  | { kind: 'capacity'; args: CapacityArgs }
  | { kind: 'compare'; before: string; after: string }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

/** Most rooms a run asks for: the server's --max-rooms default. @default 256 */
export const MAX_PROFILE_ROOMS = 256;

/** Window length of one capacity step when --seconds is not given. @default 10 s */
const CAPACITY_STEP_SECONDS = 10;

export const USAGE = `Usage:
  npm run profile -- [--scenario game] [--bots 200] [--tick-rate 30] [--seconds 20] [flags]
  npm run profile -- --rooms R --room-size P [--scenario arena] [flags]
  npm run profile -- --scenario world --bots 400 [--view-radius 1000] [flags]   (world-N)
  npm run profile -- --compare BEFORE.json AFTER.json
  npm run profile -- --find-capacity [--scenario game] [--tick-rate 30] [flags]

A run starts the real server and one bots process on 127.0.0.1, waits for every bot to join,
warms up, measures a window by reading GET /stats at its start and end, prints one progress line
a second (stderr) and a summary table (stdout), and writes a JSON result and an HTML report.

Flags:
  --scenario NAME        scenario for the server and the bots (both --scenario)   default game
  --bots N               bots in the one bots process, all in one room (joinOrCreate)  default 200
  --rooms R              R rooms of --room-size P bots each (R·P bots, bots --room-size P): 1..${MAX_PROFILE_ROOMS}
  --room-size P          players per room with --rooms (its maxPlayers), 1..${MAX_WHOLE_VIEW_PLAYERS}
  --tick-rate HZ         server ticks per second                                  default 30
  --snapshot-rate HZ     server snapshots per second                              default the tick rate
  --view-radius U        the server's --view-radius, world units, 0..${MAX_VIEW_RADIUS} (world-N: 1000)  default the scenario's
  --seconds S            measured window, whole seconds                           default 20 (10 per capacity step)
  --warmup S             warm-up after the last join, whole seconds               default 5
  --join-timeout S       all bots must have joined this many seconds after start  default 60
  --predict              bots predict their own player (off: pure load)          default off
  --out PATH             result path: PATH.json and PATH.html (a .json suffix is dropped first)
                         default profile/results/<scenario>-<bots>-<rate>hz-<yyyymmdd-hhmmss>
  --compare A B          print every figure of two results with its ratio (B ÷ A)
  --find-capacity        raise the bot count until tick p99 passes the budget (1000 / rate ms)
                         or bots disconnect: ${DEFAULT_PLAN.ladder.join(', ')}, then +${DEFAULT_PLAN.increment}, then bisect to ${DEFAULT_PLAN.resolution} bots
  --max-steps N          capacity: at most N runs                                 default ${DEFAULT_PLAN.maxSteps}
  --max-minutes M        capacity: start no step after M minutes                  default 20
  --max-bots N           capacity: the largest count tried                        default ${DEFAULT_PLAN.maxBots}
  --help, -h             print this`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { kind: 'help' };
  if (v.compare) {
    if (positionals.length !== 2) return { kind: 'error', message: '--compare takes two result files' };
    return { kind: 'compare', before: positionals[0]!, after: positionals[1]! };
  }
  if (positionals.length > 0) return { kind: 'error', message: `unexpected argument "${positionals[0]}"` };
  const capacity = v['find-capacity'] === true;
  try {
    const tickRate = int(v['tick-rate'], 'tick-rate', 30, 10, 128);
    const base = {
      scenario: scenarioName(v.scenario),
      tickRate,
      snapshotRate: int(v['snapshot-rate'], 'snapshot-rate', tickRate, 1, tickRate),
      viewRadius:
        v['view-radius'] === undefined ? undefined : int(v['view-radius'], 'view-radius', 0, 0, MAX_VIEW_RADIUS),
      seconds: int(v.seconds, 'seconds', capacity ? CAPACITY_STEP_SECONDS : 20, 1, 3600),
      warmup: int(v.warmup, 'warmup', 5, 0, 600),
      joinTimeout: int(v['join-timeout'], 'join-timeout', 60, 1, 600),
      predict: v.predict === true,
      out: v.out,
    };
    if (capacity) {
      if (v.bots !== undefined) return { kind: 'error', message: '--bots has no meaning with --find-capacity' };
      if (v.rooms !== undefined || v['room-size'] !== undefined) {
        return { kind: 'error', message: '--rooms and --room-size have no meaning with --find-capacity' };
      }
      return {
        kind: 'capacity',
        args: {
          ...base,
          maxSteps: int(v['max-steps'], 'max-steps', DEFAULT_PLAN.maxSteps, 1, 100),
          maxMinutes: int(v['max-minutes'], 'max-minutes', 20, 1, 600),
          maxBots: int(v['max-bots'], 'max-bots', DEFAULT_PLAN.maxBots, 1, MAX_WHOLE_VIEW_PLAYERS),
        },
      };
    }
    for (const flag of ['max-steps', 'max-minutes', 'max-bots'] as const) {
      if (v[flag] !== undefined) return { kind: 'error', message: `--${flag} only goes with --find-capacity` };
    }
    if ((v.rooms === undefined) !== (v['room-size'] === undefined)) {
      return { kind: 'error', message: '--rooms and --room-size go together' };
    }
    if (v.rooms !== undefined) {
      if (v.bots !== undefined) return { kind: 'error', message: '--bots is --rooms × --room-size with --rooms' };
      const rooms = int(v.rooms, 'rooms', 1, 1, MAX_PROFILE_ROOMS);
      const roomSize = int(v['room-size'], 'room-size', 1, 1, MAX_WHOLE_VIEW_PLAYERS);
      if (rooms * roomSize > MAX_WHOLE_VIEW_PLAYERS) {
        return { kind: 'error', message: `--rooms × --room-size must be at most ${MAX_WHOLE_VIEW_PLAYERS} bots` };
      }
      return { kind: 'run', args: { ...base, bots: rooms * roomSize, rooms, roomSize } };
    }
    const bots = int(v.bots, 'bots', 200, 1, MAX_WHOLE_VIEW_PLAYERS);
    return { kind: 'run', args: { ...base, bots, rooms: undefined, roomSize: undefined } };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}

function parse(argv: readonly string[]) {
  return parseNodeArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      scenario: { type: 'string' },
      bots: { type: 'string' },
      rooms: { type: 'string' },
      'room-size': { type: 'string' },
      'tick-rate': { type: 'string' },
      'snapshot-rate': { type: 'string' },
      'view-radius': { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      'join-timeout': { type: 'string' },
      predict: { type: 'boolean' },
      out: { type: 'string' },
      compare: { type: 'boolean' },
      'find-capacity': { type: 'boolean' },
      'max-steps': { type: 'string' },
      'max-minutes': { type: 'string' },
      'max-bots': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function int(text: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new Error(`--${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return Number(text);
}

/** Any name the server and bots know; checked by them, only its shape here (it becomes part of a file name). */
function scenarioName(text: string | undefined): string {
  if (text === undefined) return 'game'; // docs/scenarios.md: game-N is the profiler's default run
  if (!/^[a-z][a-z0-9-]*$/.test(text)) throw new Error(`--scenario must be a lower-case name, got "${text}"`);
  return text;
}
