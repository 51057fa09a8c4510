// The cluster launcher's command line: how many processes, the first port, and the server flags
// passed through; and each process's own argv. Pure; runs once per `npm run cluster`.

/** Most processes one launcher starts: more than one machine's cores would be a typo. */
export const MAX_PROCESSES = 64;
/** The port of process 0 when --port is absent (the server's own default). */
export const DEFAULT_FIRST_PORT = 8080;

export interface ClusterArgs {
  processes: number;
  /** Process i listens on firstPort + i. */
  firstPort: number;
  /** Every other argument, given to each server as is (--redis-url, --scenario...). */
  serverArgs: string[];
  /** --allowed-origins given by hand; every process's own origins are added to it. */
  allowedOrigins: string[];
  help: boolean;
}

export class ClusterArgsError extends Error {}

/** The launcher sets these per process: given by hand they would name one process for all. */
const SET_PER_PROCESS = new Set(['--public-url', '--process-id']);

export function parseClusterArgs(argv: readonly string[]): ClusterArgs {
  let processes: number | undefined;
  let firstPort = DEFAULT_FIRST_PORT;
  const serverArgs: string[] = [];
  const allowedOrigins: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const value = () => {
      const raw = equals === -1 ? argv[++i] : arg.slice(equals + 1);
      if (raw === undefined) throw new ClusterArgsError(`${flag} needs a value`);
      return raw;
    };
    if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--processes') processes = integerIn(flag, value(), 1, MAX_PROCESSES);
    else if (flag === '--port') firstPort = integerIn(flag, value(), 1, 65_535);
    else if (flag === '--allowed-origins')
      allowedOrigins.push(
        ...value()
          .split(',')
          .filter((o) => o.trim() !== ''),
      );
    else if (SET_PER_PROCESS.has(flag)) throw new ClusterArgsError(`${flag} is set by the launcher for each process`);
    else serverArgs.push(arg);
  }
  if (help) return { processes: processes ?? 1, firstPort, serverArgs, allowedOrigins, help };
  if (processes === undefined) throw new ClusterArgsError('--processes N is required');
  if (firstPort + processes - 1 > 65_535) {
    throw new ClusterArgsError(`--port ${firstPort} leaves no room for ${processes} processes (ports up to 65535)`);
  }
  return { processes, firstPort, serverArgs, allowedOrigins, help };
}

/**
 * Process `index`'s arguments: its port, the URL it is reached at on this machine, every process's
 * origin allowed (a page served by one process opens its game socket on another), then the rest.
 */
export function serverArgv(args: ClusterArgs, index: number): string[] {
  const port = args.firstPort + index;
  const origins = [...args.allowedOrigins];
  for (let i = 0; i < args.processes; i++) {
    origins.push(`http://127.0.0.1:${args.firstPort + i}`, `http://localhost:${args.firstPort + i}`);
  }
  return [
    '--port',
    String(port),
    '--public-url',
    `http://127.0.0.1:${port}`,
    '--allowed-origins',
    origins.join(','),
    ...args.serverArgs,
  ];
}

function integerIn(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new ClusterArgsError(`${flag} must be a whole number, not "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new ClusterArgsError(`${flag} must be ${min}–${max}, not ${value}`);
  return value;
}

export const CLUSTER_HELP = [
  'Usage: npm run cluster -- --processes N [--port P] [--redis-url URL] [any other server flag]',
  '',
  `  --processes N   server processes to start on this machine, 1–${MAX_PROCESSES}`,
  `  --port P        process i listens on P + i, reached at http://127.0.0.1:P+i (default ${DEFAULT_FIRST_PORT})`,
  '  everything else is given to every process (npm start -- --help lists the server flags)',
  '',
  'All share TICKWIRE_SEAT_SECRET (from the environment, else generated once for this run).',
  'SIGINT/SIGTERM go to every process (SIGTERM drains, SIGINT stops at once; a third signal kills);',
  'the launcher exits when all have, non-zero if one died on its own.',
].join('\n');
