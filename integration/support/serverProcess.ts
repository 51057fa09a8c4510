// Starts the real, compiled server (server/dist/main.js, see buildServer.ts) as a child process for
// integration tests, once per test file or test; reads its "listening on" log line and stops it with
// SIGINT, at once (SIGKILL after 5 s). SIGTERM drains instead (drain.int.ts sends it to `pid` itself).
import { type ChildProcess, spawn } from 'node:child_process';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** How long a server may take to print "listening on" (on a loaded machine). @default 30 000 ms */
const START_TIMEOUT_MS = 30_000;
/** How long stop() waits after SIGINT before SIGKILL. @default 5000 ms */
const KILL_AFTER_MS = 5000;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  /**
   * ws://127.0.0.1:<port>/ws: the base of every room's socket (`${wsUrl}/<roomId>`; plain /ws is 404).
   * A client gets its room's whole URL and a seat from POST /matchmake on `url` (seats.ts).
   */
  wsUrl: string;
  port: number;
  pid: number;
  /** The "listening on" log record (tickRate, snapshotRate, maxPlayers, scenario...). */
  listening: Record<string, unknown>;
  /** Every stdout line so far (the server logs one JSON object per line). */
  readonly stdoutLines: readonly string[];
  /** Every stderr line so far. */
  readonly stderrLines: readonly string[];
  /** Resolves when the process has exited and its output has been read. */
  readonly exited: Promise<ExitInfo>;
  /** The exit code and signal, once exited. */
  readonly exitInfo: ExitInfo | undefined;
  /** SIGINT (stop at once), await exit, SIGKILL after 5 s; resolves with how it exited. Safe to call twice. */
  stop(): Promise<ExitInfo>;
  /** Send `signal` (SIGTERM: drain); the exit that follows is expected, so not reported as unexpected. */
  signal(signal: NodeJS.Signals): void;
  /** stdout lines parsed as JSON (lines that are not JSON are skipped). */
  logRecords(): Record<string, unknown>[];
}

/** Servers not yet exited: killed if the test process itself exits first, so none outlive a run. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The compiled server, relative to the repository root. */
export const COMPILED_SERVER = 'server/dist/main.js';

/**
 * Start `node server/dist/main.js --port 0 --scenario arena ...extraArgs` in the repository root, with
 * `env` added to the environment, and resolve once it logs "listening on". The child is node itself
 * (not npx), so a signal reaches the server. The tests were written for the open arena, so it is
 * theirs by default (the server's own default is the game); a later `--scenario game` in extraArgs
 * wins. The server is the compiled one (what `npm start` runs), built by the projects' global setup
 * (buildServer.ts).
 */
export function startServer(
  extraArgs: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
  /** Node's own flags, before the script (the soak's `--expose-gc`). */
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const args = [...nodeArgs, COMPILED_SERVER, '--port', '0', '--scenario', 'arena', ...extraArgs];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    // This process's environment, plus `env` (AGONES_SDK_GRPC_PORT, TICKWIRE_SEAT_SECRET, for example).
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const stdoutLines: string[] = [];
  const stderrLines: string[] = [];
  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    // 'close', not 'exit': it comes after stdout and stderr have been read to the end.
    child.once('close', (code, signal) => {
      running.delete(child);
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  const output = () => ['stdout:', ...stdoutLines, 'stderr:', ...stderrLines].join('\n  ');

  let stopping: Promise<ExitInfo> | undefined;
  /** A test sent a signal itself: the exit that follows is its to check. */
  let signalled = false;
  const stop = (): Promise<ExitInfo> => {
    stopping ??= (async () => {
      if (exitInfo !== undefined) return exitInfo;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      const info = await exited;
      clearTimeout(timer);
      return info;
    })();
    return stopping;
  };

  return new Promise<ServerProcess>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop();
      reject(new Error(`server ${why}; output so far:\n${output()}`));
    };
    const timer = setTimeout(() => fail(`did not log "listening on" within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once('error', (error) => fail(`could not be spawned (${error.message})`));
    void exited.then((info) => {
      fail(`exited before listening (code ${info.code}, signal ${info.signal})`);
      // A server that dies under a test shows up as 1006 closes and refused connections: say why.
      if (stopping === undefined && !signalled) {
        console.error(`server pid ${child.pid} exited unexpectedly (code ${info.code}, signal ${info.signal})`);
        console.error(`  ${output().split('\n').slice(-20).join('\n  ')}`);
      }
    });

    collectLines(child.stderr!, (line) => stderrLines.push(line));
    collectLines(child.stdout!, (line) => {
      stdoutLines.push(line);
      if (settled) return;
      const record = parseJson(line);
      if (typeof record?.msg !== 'string' || !record.msg.startsWith('listening on')) return;
      const { url, wsUrl, port } = record;
      if (typeof url !== 'string' || typeof wsUrl !== 'string' || typeof port !== 'number') {
        return fail('logged "listening on" without url, wsUrl and port');
      }
      settled = true;
      clearTimeout(timer);
      resolve({
        url,
        wsUrl,
        port,
        pid: child.pid!,
        listening: record,
        stdoutLines,
        stderrLines,
        exited,
        get exitInfo() {
          return exitInfo;
        },
        stop,
        signal(signal) {
          signalled = true;
          child.kill(signal);
        },
        logRecords: () => stdoutLines.map(parseJson).filter((r): r is Record<string, unknown> => r !== undefined),
      });
    });
  });
}

function collectLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (pending.length > 0) onLine(pending);
  });
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface HttpResult {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** GET `path` exactly as given (no URL normalization, so "/../x" reaches the server as is). */
export function httpGet(server: Pick<ServerProcess, 'port'>, path: string, timeoutMs = 10_000): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port: server.port, path, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], body }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

/** GET /healthz, parsed: 200 (status "ok") or 503 (status "overloaded", same body). */
export async function getHealth(server: Pick<ServerProcess, 'port'>): Promise<Record<string, unknown>> {
  const response = await httpGet(server, '/healthz');
  if (response.status !== 200 && response.status !== 503) {
    throw new Error(`/healthz answered ${response.status}: ${response.body}`);
  }
  return JSON.parse(response.body) as Record<string, unknown>;
}

/** Between two /healthz polls while waiting for a condition. @default 100 ms */
const HEALTH_POLL_MS = 100;

/**
 * Poll /healthz until `predicate` holds and resolve with that answer; reject naming `what` after
 * `timeoutMs`. Waiting for a server-side event (a counter rising), not for a fixed time.
 */
export async function waitForHealth(
  server: Pick<ServerProcess, 'port'>,
  predicate: (health: Record<string, unknown>) => boolean,
  timeoutMs: number,
  what: string,
): Promise<Record<string, unknown>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const health = await getHealth(server);
    if (predicate(health)) return health;
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; /healthz: ${JSON.stringify(health)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
}
