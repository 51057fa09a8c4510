// Bench plumbing: start the real server and bots as child processes, read /proc figures.
// Used once per bench or profiler run (npm run bench…, npm run profile); never imported by tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { MatchmakeBody } from '@tickwire/protocol';
import { matchmake } from '../client/src/net/matchmake.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ; /proc/PID/stat counts in these.

/**
 * Node's arguments for running a TypeScript file: tsx, and @tickwire/protocol from its sources (the
 * "tickwire-source" export condition; without it the import would be the compiled protocol/dist).
 */
export const RUN_SOURCES = ['--conditions=tickwire-source', '--import', 'tsx'] as const;

/** Node's arguments for `script`: a .ts file through tsx, compiled JavaScript (server/dist/main.js) as is. */
export function nodeArgsFor(script: string): string[] {
  return script.endsWith('.ts') ? [...RUN_SOURCES, script] : [script];
}

export interface Started {
  child: ChildProcess;
  lines: AsyncIterableIterator<string> | undefined;
}

/** How long a server may take to print its listening line (tsx compiles on the fly). @default 60 000 ms */
const START_TIMEOUT_MS = 60_000;

/**
 * Start the server (sources through tsx, or the compiled server/dist/main.js) on a free port; resolves with its URLs once it prints its listening line.
 * Lines that are not JSON are skipped; a server that exits first or stays silent past
 * `timeoutMs` is killed and the promise rejects. Its stderr goes to ours, or line by line to
 * `onStderr` (the fuzzer keeps a dying server's stack trace for its report).
 */
export async function startServer(
  args: string[],
  script = 'server/src/main.ts',
  timeoutMs = START_TIMEOUT_MS,
  onStderr?: (line: string) => void,
): Promise<{ child: ChildProcess; url: string /** The base of every room's socket (/ws/<roomId>). */; wsUrl: string }> {
  const child = spawn(process.execPath, [...nodeArgsFor(script), '--port', '0', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', onStderr === undefined ? 'inherit' : 'pipe'],
  });
  if (onStderr !== undefined) createInterface({ input: child.stderr! }).on('line', onStderr);
  const lines = createInterface({ input: child.stdout! });
  const timer = setTimeout(() => {
    child.kill('SIGKILL');
    lines.close();
  }, timeoutMs);
  try {
    for await (const line of lines) {
      let record: { msg?: string; url?: string; wsUrl?: string };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        continue;
      }
      if (record.msg?.startsWith('listening on') && record.url && record.wsUrl) {
        lines.close();
        child.stdout!.resume();
        return { child, url: record.url, wsUrl: record.wsUrl };
      }
    }
  } finally {
    clearTimeout(timer);
  }
  child.kill('SIGKILL');
  throw new Error(`server ${script} ${args.join(' ')} exited or stayed silent before listening`);
}

/** A room's socket and the seat for its HELLO, from POST /matchmake. */
export interface Seat {
  roomId: string;
  wsUrl: string;
  seat: string;
}

/** POST /matchmake `body` on the server's http URL (joinOrCreate by default); throws on a refusal. */
export async function seatFor(serverUrl: string, body: MatchmakeBody = { mode: 'joinOrCreate' }): Promise<Seat> {
  const answer = await matchmake(serverUrl, body);
  if (!answer.ok) throw new Error(`POST /matchmake: ${answer.status} ${answer.error} (${answer.message})`);
  return { roomId: answer.roomId, wsUrl: answer.wsUrl, seat: answer.seat };
}

/** Start the bots CLI with --json; `onLine` sees every parsed JSON line. */
export function startBots(args: string[], onLine: (record: Record<string, unknown>) => void): ChildProcess {
  const child = spawn(process.execPath, [...RUN_SOURCES, 'client/src/bot/main.ts', '--json', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    try {
      onLine(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a JSON line
    }
  });
  return child;
}

/** Stop a server or bots child with SIGINT: at once (a server's SIGTERM drains its rooms first), SIGKILL after 5 s. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuSplit(pid);
  return user + system;
}

/** utime and stime of a process (all its threads), in seconds. */
export function cpuSplit(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS_PER_SECOND, system: Number(fields[12]) / CLOCK_TICKS_PER_SECOND };
}

/** Times a process gave up the CPU to wait (each is a sleep and a later wake-up). */
export function voluntarySwitches(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  // /healthz answers 503 with its usual JSON while the server is overloaded: still a reading.
  if (!response.ok && response.status !== 503) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The q-quantile of `xs` (unsorted; copied): the sample at index floor(q × n), NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * The 1-minute load once it is below `maxLoad`, checked every 10 s, or after `waitMs` whatever it
 * is (said so): a bench that starts on a busy machine says its figures are not figures.
 */
export async function waitForQuietMachine(maxLoad: number, waitMs: number): Promise<number> {
  const until = performance.now() + waitMs;
  for (;;) {
    const load = loadavg()[0]!;
    if (load < maxLoad) return load;
    if (performance.now() >= until) {
      console.log(`load ${load.toFixed(2)} still ≥ ${maxLoad} after ${waitMs / 1000} s: running anyway`);
      return load;
    }
    console.log(`waiting for load < ${maxLoad} (now ${load.toFixed(2)})`);
    await delay(10_000);
  }
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * Count every timer callback the process fires from now on: wraps the global setTimeout (what the
 * schedulers under test call), so `fired()` is their wake-ups. `realSetTimeout` and `sleep` are for
 * the bench's own timers, which are not counted. Call once, before the schedulers are built.
 */
export function countTimerCallbacks(): {
  fired: () => number;
  realSetTimeout: typeof setTimeout;
  sleep: (ms: number) => Promise<void>;
} {
  let fired = 0;
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    realSetTimeout(() => {
      fired++;
      callback(...args);
    }, ms)) as typeof setTimeout;
  return {
    fired: () => fired,
    realSetTimeout,
    sleep: (ms) => new Promise<void>((resolve) => realSetTimeout(resolve, ms)),
  };
}
