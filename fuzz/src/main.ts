// `npm run fuzz -- --frames N [--seed S] [--bots B] [--connections C] [--json]`: one socket-fuzzer
// run against a fresh server on 127.0.0.1 with honest bots beside it; prints a summary. Once per run.
import { readFileSync } from 'node:fs';
import { exitCode, formatSummary } from './report.js';
import { runFuzz } from './run.js';

const USAGE = `Usage: npm run fuzz -- [options]
  --frames N        WebSocket frames to send in all (default 10000)
  --seed S          seed of the generated plans; the same seed is the same traffic (default 1)
  --bots B          honest bots playing beside the fuzzer (default 20)
  --connections C   fuzzing connections open at once, bounded by the open-file limit (default 32)
  --json            print the summary as one JSON object`;

const DEFAULTS = { frames: 10_000, seed: 1, bots: 20, connections: 32 };

function parse(argv: readonly string[]): (typeof DEFAULTS & { json: boolean }) | string {
  const out = { ...DEFAULTS, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--json') {
      out.json = true;
      continue;
    }
    if (flag === '--help') return USAGE;
    const key = flag.replace(/^--/, '') as keyof typeof DEFAULTS;
    if (!Object.hasOwn(DEFAULTS, key)) return `unknown option ${flag}\n${USAGE}`;
    const value = Number(argv[++i]);
    if (!Number.isInteger(value) || value < 0) return `${flag} needs a whole number, got "${argv[i]}"`;
    out[key] = value;
  }
  return out;
}

/** The soft open-file limit (Node cannot raise it): each connection costs a descriptor here and one in the server. */
function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) ? soft : 1024;
  } catch {
    return 1024;
  }
}

const args = parse(process.argv.slice(2));
if (typeof args === 'string') {
  (args === USAGE ? process.stdout : process.stderr).write(`${args}\n`);
  process.exit(args === USAGE ? 0 : 2);
}
// Headroom for the bots' sockets, the server's own files and tsx.
const maxConnections = Math.max(1, Math.floor((openFileLimit() - args.bots - 200) / 2));
if (args.connections > maxConnections) {
  process.stderr.write(`fuzz: --connections ${args.connections} lowered to ${maxConnections} (open-file limit)\n`);
  args.connections = maxConnections;
}
const run = await runFuzz({ ...args, log: (line) => process.stderr.write(`fuzz: ${line}\n`) });
process.stdout.write(`${args.json ? JSON.stringify(run) : formatSummary(run)}\n`);
process.exitCode = exitCode(run);
