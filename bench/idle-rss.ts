// Bench: resident memory of one idle server process with one room, the compiled server (what
// `npm start` runs) beside the same server under tsx (`npm run serve`), in one run. Run by hand
// (npm run bench:idle-rss, after npm run build); prints one line per process.
//
//   npm run bench:idle-rss -- [--idle-seconds 10] [--scenario game] [-- …more server flags]
//
// Both start at once on free ports of 127.0.0.1, each gets one POST /matchmake create, then both sit
// idle for --idle-seconds and the bench reads rssBytes from each one's GET /healthz (the process's
// resident set, process.memoryUsage.rss()) and, beside it, the part no other process shares: its
// anonymous memory (/proc/PID/smaps_rollup; the rest is mostly the node binary's pages, shared by every
// node process on the machine). Then it stops both by PID (SIGTERM).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { delay, getJson, machine, repoRoot, seatFor, startServer, stopProcess } from './support.js';

const { values, positionals } = parseArgs({
  options: {
    'idle-seconds': { type: 'string', default: '10' },
    scenario: { type: 'string', default: 'game' },
  },
  allowPositionals: true,
});
const idleSeconds = Number(values['idle-seconds']);
if (!(idleSeconds >= 0)) throw new Error(`--idle-seconds must be a number ≥ 0, not ${values['idle-seconds']}`);
const serverArgs = ['--scenario', values.scenario, ...positionals];

const COMPILED = 'server/dist/main.js';
if (!existsSync(join(repoRoot, COMPILED))) throw new Error(`${COMPILED} is missing: run npm run build first`);

/** Anonymous memory of `pid` in bytes (heaps, stacks: what is this process's alone), from Linux's /proc. */
function anonymousBytes(pid: number): number {
  const match = /^Anonymous:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  if (match === null) throw new Error(`no Anonymous line in /proc/${pid}/smaps_rollup`);
  return Number(match[1]) * 1024;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

const runs = [
  { name: 'compiled (node server/dist/main.js)', script: COMPILED },
  { name: 'tsx (server/src/main.ts)', script: 'server/src/main.ts' },
];
const started = await Promise.all(runs.map((run) => startServer(serverArgs, run.script)));
try {
  for (const server of started) await seatFor(server.url, { mode: 'create' });
  await delay(idleSeconds * 1000);
  console.log(`machine: ${machine()}; server flags: ${serverArgs.join(' ')}; idle ${idleSeconds} s after one create`);
  for (const [i, server] of started.entries()) {
    const health = await getJson<{ rssBytes: number; rooms: { live: number } }>(`${server.url}/healthz`);
    const pid = server.child.pid!;
    const figures = `rssBytes ${health.rssBytes} (${mib(health.rssBytes)}), anonymous ${mib(anonymousBytes(pid))}`;
    console.log(`${runs[i]!.name}: ${figures}, rooms live ${health.rooms.live}, pid ${pid}`);
  }
} finally {
  await Promise.all(started.map((server) => stopProcess(server.child)));
}
