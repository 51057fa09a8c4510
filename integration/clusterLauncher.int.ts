// The cluster launcher (npm run cluster, server/dist/launcher/main.js) against a real Redis: N
// compiled servers on consecutive ports with one seat secret, prefixed output, signals forwarded by
// PID, and its exit code. One launcher per test.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../server/test/support/redisServer.js';
import { getHealth, repoRoot } from './support/serverProcess.js';

/** How long both processes may take to answer /healthz, and the launcher to exit after SIGTERM. */
const WAIT_MS = 30_000;
const POLL_MS = 100;

interface Cluster {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let redis: RedisServer;
let cluster: Cluster | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  // A test that failed midway still stops its launcher, which stops its servers.
  if (cluster !== undefined && cluster.child.exitCode === null && cluster.child.signalCode === null) {
    cluster.child.kill('SIGTERM');
    await cluster.exited;
  }
  cluster = undefined;
});

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port P such that P..P+count-1 are all free on 127.0.0.1 now. */
async function freePorts(count: number): Promise<number> {
  for (;;) {
    const first = 20_000 + Math.floor(Math.random() * 40_000);
    let free = true;
    for (let i = 0; i < count && free; i++) free = await listenable(first + i);
    if (free) return first;
  }
}

function startCluster(args: string[]): Cluster {
  const child = spawn(process.execPath, ['server/dist/launcher/main.js', ...args], {
    cwd: repoRoot,
    env: { ...process.env, TICKWIRE_SEAT_SECRET: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (stream: NodeJS.ReadableStream, lines: string[]) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
    });
  };
  collect(child.stdout!, stdout);
  collect(child.stderr!, stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout, stderr, exited };
}

async function until(condition: () => Promise<boolean> | boolean, what: string, cluster: Cluster): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  while (!(await condition())) {
    if (performance.now() > deadline || cluster.child.exitCode !== null) {
      throw new Error(`${what}; launcher output:\n${[...cluster.stdout, ...cluster.stderr].join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const answers = (port: number) =>
  getHealth({ port }).then(
    (health) => health.status === 'ok',
    () => false,
  );

/** The PIDs the launcher printed ("[i] pid N: ..."), by index. */
function pids(cluster: Cluster): number[] {
  return cluster.stderr.flatMap((line) => {
    const match = /^\[(\d+)\] pid (\d+):/.exec(line);
    return match === null ? [] : [Number(match[2])];
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run cluster -- --processes 2 --redis-url …', () => {
  it('starts both on P and P+1 with one generated secret, prefixes their output, and on SIGINT (Ctrl-C) stops both and exits 0', async () => {
    const port = await freePorts(2);
    cluster = startCluster([
      '--processes',
      '2',
      '--port',
      String(port),
      '--redis-url',
      redis.url,
      '--scenario',
      'arena',
    ]);
    const started = cluster;
    await until(
      async () => (await answers(port)) && (await answers(port + 1)),
      'both processes answer /healthz',
      started,
    );

    expect(started.stderr).toContain('TICKWIRE_SEAT_SECRET generated for this run (seats of this cluster only)');
    for (const index of [0, 1]) {
      const listening = started.stdout.find((line) => line.startsWith(`[${index}] `) && line.includes('listening on'));
      expect(listening, `process ${index}'s listening line`).toBeDefined();
      const record = JSON.parse(listening!.slice(`[${index}] `.length)) as Record<string, unknown>;
      expect(record.port).toBe(port + index);
      // The generated secret reached both through the environment.
      expect(record.seatSecret).toBe('env');
    }
    const children = pids(started);
    expect(children).toHaveLength(2);
    // Process 1's rooms are reached at its own --public-url. A create answers 503 until a process
    // has registered in the directory, which comes after it listens: ask until it is placed.
    let wsUrl: string | undefined;
    await until(
      async () => {
        const answer = await fetch(`http://127.0.0.1:${port + 1}/matchmake`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ mode: 'create' }),
        });
        if (answer.status === 200) wsUrl = ((await answer.json()) as { wsUrl: string }).wsUrl;
        return answer.status !== 503;
      },
      'POST /matchmake create answers other than 503',
      started,
    );
    // Placed on either process; each answers at its own public URL.
    expect(wsUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:(${port}|${port + 1})/ws/`));

    started.child.kill('SIGINT');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    for (const pid of children) expect(alive(pid), `pid ${pid} after the launcher exited`).toBe(false);
  });

  it('exits non-zero once the others are stopped when one process died on its own', async () => {
    const port = await freePorts(2);
    cluster = startCluster([
      '--processes',
      '2',
      '--port',
      String(port),
      '--redis-url',
      redis.url,
      '--scenario',
      'arena',
    ]);
    const started = cluster;
    await until(
      async () => (await answers(port)) && (await answers(port + 1)),
      'both processes answer /healthz',
      started,
    );
    const [first, second] = pids(started);

    process.kill(second!, 'SIGKILL');
    await until(
      () => started.stderr.some((line) => line.startsWith('[1] process') && line.includes('died on its own')),
      'the launcher reports the death',
      started,
    );
    // The other keeps serving until told to stop.
    expect(await answers(port)).toBe(true);

    // SIGTERM drains the survivor (no rooms: done at once) and it exits 0; the launcher still fails.
    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 1, signal: null });
    expect(started.stderr).toContain(`[0] process ${first} exited (code 0)`);
    expect(alive(first!)).toBe(false);
  });

  it('refuses --public-url, which it sets for each process, with code 2 and starts nothing', async () => {
    cluster = startCluster(['--processes', '2', '--public-url', 'http://example.com']);
    expect(await cluster.exited).toEqual({ code: 2, signal: null });
    expect(cluster.stderr.join('\n')).toContain('--public-url is set by the launcher for each process');
  });
});
