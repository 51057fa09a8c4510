// One profile run: start the real server, wait for its port, start the bots process (each bot
// matchmakes: joinOrCreate, or R rooms of P with --rooms), sample /stats, /healthz's rooms and /proc
// once a second (join → warm-up → window), stop both, build the result. Once per run (once per step
// of a capacity search); everything on 127.0.0.1, bounded in time.
//
//   t=0 server listening, bots started
//   ├─ join ──────┤ last bot connected
//                 ├─ warm-up (--warmup s) ─┤ /stats read A
//                                          ├─ window (--seconds s) ─┤ /stats read B → result from B − A
import type { ChildProcess } from 'node:child_process';
import { cpuSeconds, delay, machine, rssMiB, startBots, startServer, stopProcess } from '../../bench/support.js';
import type { ProgressRecord, SummaryRecord } from '../../client/src/bot/summary.js';
import { MAX_WHOLE_VIEW_PLAYERS } from '../../server/src/rooms/matchmakeRequest.js';
import type { RunArgs } from './args.js';
import { coreCount, hostBusySeconds, ownCpuSeconds } from './host.js';
import { buildResult, type Phase, type ProfileResult, type RunSettings, type Sample, seriesPoint } from './result.js';
import { readRooms } from './roomsReader.js';
import { readStats } from './statsReader.js';

/** The sampling grid: one /stats read and one progress line per this many ms. @default 1000 ms */
export const SAMPLE_INTERVAL_MS = 1000;
/** How long after stopping the bots their summary line may take. @default 5000 ms (bots close within 2 s) */
const SUMMARY_WAIT_MS = 5000;
/** Extra seconds the bots process is told to run past the planned end: it stops by itself if we do not. @default 30 s */
const BOTS_SPARE_SECONDS = 30;

export interface RunOptions extends RunSettings {
  /** Bots that have not all joined this many seconds after the start fail the run. @default 60 s */
  joinTimeoutSeconds: number;
  command: string;
  /** One line per sample (once a second). */
  onProgress?(line: string): void;
}

/** The options of one run of `bots` bots from the command line's flags (a run, or one capacity step). */
export function runOptionsOf(
  a: Omit<RunArgs, 'bots' | 'out' | 'rooms' | 'roomSize'> & Partial<Pick<RunArgs, 'rooms' | 'roomSize'>>,
  bots: number,
  command: string,
  onProgress: (line: string) => void,
): RunOptions {
  return {
    scenario: a.scenario,
    bots,
    ...(a.rooms !== undefined && a.roomSize !== undefined ? { rooms: a.rooms, roomSize: a.roomSize } : {}),
    tickRate: a.tickRate,
    snapshotRate: a.snapshotRate,
    ...(a.viewRadius === undefined ? {} : { viewRadius: a.viewRadius }),
    warmupSeconds: a.warmup,
    windowSeconds: a.seconds,
    predict: a.predict,
    joinTimeoutSeconds: a.joinTimeout,
    command,
    onProgress,
  };
}

/** The run could not be measured (bots did not join, a process died); the processes are stopped. */
export class RunFailed extends Error {}

/** Children still running: stopped if the profiler is interrupted, killed if it exits first. */
const live = new Set<ChildProcess>();
let handlersInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
  for (const [signal, number] of [
    ['SIGINT', 2],
    ['SIGTERM', 15],
  ] as const) {
    process.once(signal, () => {
      process.stderr.write(`profile: ${signal}, stopping the server and bots\n`);
      void Promise.all([...live].map(stopProcess)).then(() => process.exit(128 + number));
    });
  }
}

export async function runProfile(o: RunOptions): Promise<ProfileResult> {
  const server = await startServer([
    '--tick-rate',
    String(o.tickRate),
    '--snapshot-rate',
    String(o.snapshotRate),
    '--scenario',
    o.scenario,
    '--max-players',
    String(Math.min(MAX_WHOLE_VIEW_PLAYERS, o.bots + 8)),
    '--tick-timing', // the per-system breakdown needs it (the server's default today, said here on purpose)
    'true',
    ...(o.viewRadius === undefined ? [] : ['--view-radius', String(o.viewRadius)]),
  ]).catch((error: Error) => {
    // Its own stderr (inherited) says why: an unknown --scenario, a bad flag.
    throw new RunFailed(error.message);
  });
  track(server.child);
  const serverPid = server.child.pid!;
  let bots: ChildProcess | undefined;
  let progress: ProgressRecord | undefined;
  let summary: SummaryRecord | undefined;
  let serverExit: string | undefined;
  server.child.once('exit', (code, signal) => {
    serverExit = `the server exited (code ${code}, signal ${signal})`;
  });
  try {
    const samples: Sample[] = [];
    const startMs = performance.now();
    const take = async (phase: Phase): Promise<Sample> => {
      const [stats, rooms] = await Promise.all([
        readStats(server.url).catch((error: Error) => {
          throw new RunFailed(`reading /stats failed: ${error.message}`);
        }),
        readRooms(server.url),
      ]);
      const sample: Sample = {
        t: (performance.now() - startMs) / 1000,
        phase,
        stats,
        serverCpuSeconds: procCpu(serverPid, 'server'),
        botsCpuSeconds: bots && bots.exitCode === null ? procCpu(bots.pid!, 'bots process') : null,
        botsProgress: progress,
        hostBusySeconds: hostBusySeconds(),
        profilerCpuSeconds: ownCpuSeconds(),
        rooms,
      };
      samples.push(sample);
      return sample;
    };
    await take('join');
    const botsSeconds = o.joinTimeoutSeconds + o.warmupSeconds + o.windowSeconds + BOTS_SPARE_SECONDS;
    // Every bot matchmakes on the server's http URL: joinOrCreate puts them all in one room, or
    // --room-size P makes bots/P full rooms.
    const botArgs = ['--url', server.url, '--count', String(o.bots), '--seconds', String(botsSeconds)];
    botArgs.push('--scenario', o.scenario, ...(o.predict ? [] : ['--load-only']));
    if (o.roomSize !== undefined) botArgs.push('--room-size', String(o.roomSize));
    bots = startBots(botArgs, (record) => {
      if (record.type === 'progress') progress = record as unknown as ProgressRecord;
      if (record.type === 'summary') summary = record as unknown as SummaryRecord;
    });
    track(bots);
    const botsChild = bots;
    let botsExit: string | undefined;
    botsChild.once('exit', (code, signal) => {
      botsExit = `the bots process exited early (code ${code}, signal ${signal})`;
    });

    let phase: Phase = 'join';
    let lastJoinT = 0;
    let windowStart = -1;
    let windowEnd = -1;
    for (let k = 1; windowEnd < 0; k++) {
      const dueMs = startMs + k * SAMPLE_INTERVAL_MS;
      const now = performance.now();
      // A slow read (a loaded machine): sample at once if this slot is still open, skip only
      // slots wholly missed; the grid itself never shifts. Rates divide by the real interval.
      if (now >= dueMs + SAMPLE_INTERVAL_MS) continue;
      if (now < dueMs) await delay(dueMs - now);
      if (serverExit) throw new RunFailed(serverExit);
      if (botsExit) throw new RunFailed(botsExit);
      const sample = await take(phase);
      if (phase === 'join') {
        if ((progress?.connected ?? 0) >= o.bots) {
          phase = 'warmup';
          lastJoinT = sample.t;
        } else if (sample.t > o.joinTimeoutSeconds) {
          throw new RunFailed(`only ${progress?.connected ?? 0} of ${o.bots} bots joined in ${o.joinTimeoutSeconds} s`);
        }
      }
      // Not an else: with --warmup 0 the window starts at the sample that saw the last join.
      if (phase === 'warmup' && sample.t - lastJoinT >= o.warmupSeconds - 1e-3) {
        phase = 'window';
        windowStart = samples.length - 1;
      } else if (phase === 'window' && sample.t - samples[windowStart]!.t >= o.windowSeconds - 1e-3) {
        windowEnd = samples.length - 1;
      }
      o.onProgress?.(progressLine(samples, phase, o, lastJoinT, windowStart));
    }
    const serverRssBytes = rssMiB(serverPid) * 2 ** 20;
    await stopProcess(botsChild);
    const summaryDeadline = performance.now() + SUMMARY_WAIT_MS;
    while (summary === undefined && performance.now() < summaryDeadline) await delay(50);
    return buildResult({
      settings: {
        scenario: o.scenario,
        bots: o.bots,
        ...(o.rooms !== undefined && o.roomSize !== undefined ? { rooms: o.rooms, roomSize: o.roomSize } : {}),
        tickRate: o.tickRate,
        snapshotRate: o.snapshotRate,
        warmupSeconds: o.warmupSeconds,
        windowSeconds: o.windowSeconds,
        predict: o.predict,
      },
      createdAt: new Date().toISOString(),
      machine: machine(),
      cores: coreCount(),
      command: o.command,
      samples,
      windowStart,
      windowEnd,
      serverRssBytes,
      botsSummary: summary,
    });
  } finally {
    if (bots) await stopProcess(bots);
    await stopProcess(server.child);
  }
}

/** cpuSeconds, or RunFailed when the process is gone (it exited between two checks). */
function procCpu(pid: number, what: string): number {
  try {
    return cpuSeconds(pid);
  } catch {
    throw new RunFailed(`the ${what} (pid ${pid}) exited during the run`);
  }
}

/** The line printed once a second: phase, players, the last second's tick times, CPU and bytes. */
export function progressLine(
  samples: readonly Sample[],
  phase: Phase,
  o: Pick<RunOptions, 'bots' | 'warmupSeconds' | 'windowSeconds'>,
  lastJoinT: number,
  windowStart: number,
): string {
  const b = samples.at(-1)!;
  const a = samples.at(-2);
  let where: string;
  if (phase === 'join') where = 'joining';
  else if (phase === 'warmup') where = `warm-up ${Math.round(b.t - lastJoinT)}/${o.warmupSeconds} s`;
  else where = `window ${Math.round(b.t - samples[windowStart]!.t)}/${o.windowSeconds} s`;
  const parts = [`${b.t.toFixed(0).padStart(4)} s`, where.padEnd(16), `players ${b.stats.players}/${o.bots}`];
  if (a !== undefined) {
    const p = seriesPoint(a, b);
    parts.push(
      `ticks ${p.ticks}`,
      `tick p50 ${p.tickP50Ms.toFixed(2)} p99 ${p.tickP99Ms.toFixed(2)} max ${p.tickMaxMs.toFixed(2)} ms`,
      `server CPU ${p.serverCpu.toFixed(2)} s/s`,
      `bots CPU ${p.botsCpu === null ? '—' : p.botsCpu.toFixed(2)} s/s`,
      `other ${p.otherCpu.toFixed(2)} s/s`,
      `${Math.round(p.serverBytesPerClient).toLocaleString('en-US')} B/client/s`,
    );
  }
  return parts.join('  ');
}
