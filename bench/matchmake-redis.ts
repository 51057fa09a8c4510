// Bench: POST /matchmake joinOrCreate through the Redis directory with 1,000 public rooms listed
// (3 processes + one redis-server on this machine), against the one process without Redis (rooms
// in memory) in the same run. Run by hand (npm run bench:matchmake-redis); one line per figure.
//
//   npm run bench:matchmake-redis -- [--processes 3] [--listed 1000] [--room-size 8] [--calls 2000]
//                                    [--concurrency 20] [--throughput-calls 4000]
//                                    [--throughput-concurrency 100] [--warmup 200]
//
// Two phases, latency (--calls from --concurrency callers) and throughput (--throughput-calls from
// --throughput-concurrency), each on fresh processes and a fresh redis-server: the cluster first,
// then the baseline. The cluster's --listed rooms are made over HTTP (POST /matchmake create, spread
// over the processes by the directory's placement) before the warm-up; they are placed, not made
// (no socket ever arrives), so nothing ticks, and a placed room nobody joins leaves the directory
// 17 s after its creation (seat lifetime + margin): the listed count is printed before and after
// the calls. The baseline's process gets no rooms first: an in-memory room is made at create and
// ticks, so 1,000 of them would measure 30,000 room-ticks/s of CPU, not the matchmaker.
// Caller i calls process i mod N. Redis work per call: INFO commandstats read before and after the
// calls (it counts every command a script runs too, so it is Redis's work, not round trips; its
// usec per evalsha is the scripts' server-side time). Round trips: a third cluster pass whose
// processes reach Redis through a relay in this process that counts the commands they send
// (respCounter.ts; --count-calls calls at --concurrency; the relay's hop makes its latencies no
// figure, so none is printed). In both, the heartbeats' own commands, counted over 2 s before the
// rooms are made, are taken off at the same rate.
import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import type { MatchmakeAnswer } from '@tickwire/protocol';
import { loadAverage, type Member, percentile, startMembers, stopMembers } from './clusterSupport.js';
import { type Answer, post } from './httpPost.js';
import { type CommandStats, commandStats, diffCommandStats, redisCommand, startRedis } from './redisServer.js';
import { startRespCounter } from './respCounter.js';
import { cpuSeconds, delay, machine, startServer, stopProcess } from './support.js';

const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '3' },
    listed: { type: 'string', default: '1000' },
    'room-size': { type: 'string', default: '8' },
    calls: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '20' },
    'throughput-calls': { type: 'string', default: '4000' },
    'throughput-concurrency': { type: 'string', default: '100' },
    warmup: { type: 'string', default: '200' },
    'count-calls': { type: 'string', default: '1000' },
  },
});
const processCount = Number(values.processes);
const listed = Number(values.listed);
const roomSize = Number(values['room-size']);
const warmup = Number(values.warmup);
/** Targets from issue 14, printed beside the figures (never used to tune anything). */
const TARGET_P99_MS = 15;
const TARGET_ROUND_TRIPS = 3;
/** Concurrency of the room-making calls before a cluster phase. */
const MAKE_CONCURRENCY = 20;
/** How long the heartbeats' own Redis commands are counted, to take them off the calls'. @default 2000 ms */
const BACKGROUND_MS = 2000;
const SERVER_ARGS = [
  '--scenario',
  'arena',
  '--max-players',
  String(roomSize),
  '--max-rooms',
  '10000',
  '--max-total-players',
  '1000000',
];
const JOIN_OR_CREATE = JSON.stringify({ mode: 'joinOrCreate', scenario: 'arena', maxPlayers: roomSize });
const CREATE = JSON.stringify({ mode: 'create', scenario: 'arena', maxPlayers: roomSize });

interface Target {
  agent: Agent;
  port: number;
}
interface Calls {
  ms: number[];
  seconds: number;
  statuses: Map<number, number>;
  /** Room id → seats answered in it. */
  rooms: Map<string, number>;
  /** wsUrl port → answers naming it. */
  hosts: Map<number, number>;
}

/** `calls` POSTs of `body` from `concurrency` callers (caller i on targets[i mod N]), each starting its next as its last is answered. */
async function run(targets: readonly Target[], concurrency: number, calls: number, body: string): Promise<Calls> {
  const result: Calls = { ms: [], seconds: 0, statuses: new Map(), rooms: new Map(), hosts: new Map() };
  let issued = 0;
  const t0 = performance.now();
  const caller = async (i: number) => {
    const target = targets[i % targets.length]!;
    while (issued < calls) {
      issued++;
      const start = performance.now();
      const response: Answer = await post(target.agent, target.port, body, true);
      result.ms.push(performance.now() - start);
      result.statuses.set(response.status, (result.statuses.get(response.status) ?? 0) + 1);
      if (response.status === 200) {
        const answer = JSON.parse(response.body) as MatchmakeAnswer;
        result.rooms.set(answer.roomId, (result.rooms.get(answer.roomId) ?? 0) + 1);
        const port = Number(new URL(answer.wsUrl).port);
        result.hosts.set(port, (result.hosts.get(port) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => caller(i)));
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

function statuses(r: Calls): string {
  return [...r.statuses].map(([status, n]) => `${status}: ${n}`).join(', ');
}

function latencyLine(label: string, r: Calls, serverCpu: number, loadCpu: number): string {
  return [
    label.padEnd(44),
    `p50 ${percentile(r.ms, 50).toFixed(2)} ms`,
    `p99 ${percentile(r.ms, 99).toFixed(2)} ms`,
    `max ${Math.max(...r.ms).toFixed(2)} ms`,
    `${(r.ms.length / r.seconds).toFixed(0)} calls/s`,
    `server cpu ${serverCpu.toFixed(2)} s/s`,
    `load generator cpu ${loadCpu.toFixed(2)} s/s`,
    `statuses ${statuses(r)}`,
  ].join('  ');
}

function totalCalls(stats: CommandStats): number {
  let n = 0;
  for (const { calls } of stats.values()) n += calls;
  return n;
}

/** CPU s/s of `pids` and of this process while `work` runs, with its result. */
async function timed<T>(pids: readonly number[], work: () => Promise<T>) {
  const before = pids.map((pid) => cpuSeconds(pid));
  const loadBefore = process.cpuUsage();
  const t0 = performance.now();
  const result = await work();
  const elapsed = (performance.now() - t0) / 1000;
  const load = process.cpuUsage(loadBefore);
  const cpu = pids.map((pid, i) => (cpuSeconds(pid) - before[i]!) / elapsed);
  return { result, elapsed, cpu, loadCpu: (load.user + load.system) / 1e6 / elapsed };
}

async function clusterPhase(name: string, concurrency: number, calls: number): Promise<void> {
  const redis = await startRedis();
  let members: Member[] = [];
  const targets: Target[] = [];
  try {
    members = await startMembers(redis.url, processCount, SERVER_ARGS);
    for (const m of members)
      targets.push({ agent: new Agent({ keepAlive: true, maxSockets: concurrency }), port: m.port });
    // The heartbeats' and sweeps' own commands, per second, with nothing else running.
    const idleBefore = await commandStats(redis.port);
    await delay(BACKGROUND_MS);
    const background =
      totalCalls(diffCommandStats(await commandStats(redis.port), idleBefore)) / (BACKGROUND_MS / 1000);

    const made = await timed([], () => run(targets, MAKE_CONCURRENCY, listed, CREATE));
    const madeRooms = new Set(made.result.rooms.keys());
    const byProcess = members.map((m) => made.result.hosts.get(m.port) ?? 0);
    console.log(
      `${name} cluster: ${listed} rooms of ${roomSize} made by POST /matchmake create @${MAKE_CONCURRENCY} in ${made.elapsed.toFixed(1)} s (${(listed / made.elapsed).toFixed(0)} calls/s, p99 ${percentile(made.result.ms, 99).toFixed(2)} ms, statuses ${statuses(made.result)}); placed per process ${byProcess.join(' / ')}; Redis background ${background.toFixed(1)} commands/s`,
    );
    await run(targets, concurrency, warmup, JOIN_OR_CREATE);
    const listedBefore = Number(await redisCommand(redis.port, ['ZCARD', 'tw:public']));
    const statsBefore = await commandStats(redis.port);
    const pids = [...members.map((m) => m.child.pid!), redis.pid];
    const measured = await timed(pids, () => run(targets, concurrency, calls, JOIN_OR_CREATE));
    const statsAfter = await commandStats(redis.port);
    const listedAfter = Number(await redisCommand(redis.port, ['ZCARD', 'tw:public']));
    const r = measured.result;
    const serverCpu = measured.cpu.slice(0, members.length).reduce((a, b) => a + b, 0);
    const redisCpu = measured.cpu[members.length]!;
    console.log(
      `${latencyLine(`${name}: cluster joinOrCreate ×${calls} @${concurrency}`, r, serverCpu, measured.loadCpu)}  redis-server cpu ${redisCpu.toFixed(2)} s/s  (target p99 ≤ ${TARGET_P99_MS} ms)`,
    );
    const ok = r.statuses.get(200) ?? 0;
    const diff = diffCommandStats(statsAfter, statsBefore);
    const raw = totalCalls(diff);
    const net = raw - background * measured.elapsed;
    let usec = 0;
    for (const s of diff.values()) usec += s.usec;
    const inListed = [...r.rooms].filter(([id]) => madeRooms.has(id)).reduce((a, [, n]) => a + n, 0);
    console.log(
      `${name}: commands Redis ran per joinOrCreate (scripts' own included) ${(raw / ok).toFixed(2)} (${(net / ok).toFixed(2)} without the heartbeats' ${(background * measured.elapsed).toFixed(0)}); Redis time per joinOrCreate ${(usec / ok).toFixed(1)} µs; ${ok} seats in ${r.rooms.size} rooms, ${inListed} of them in the rooms made first; listed rooms ${listedBefore} before the calls, ${listedAfter} after`,
    );
    const breakdown = [...diff]
      .sort((a, b) => b[1].calls - a[1].calls)
      .map(([cmd, s]) => `${cmd} ${(s.calls / ok).toFixed(2)}/call ${(s.usec / s.calls).toFixed(1)} µs (usec_per_call)`)
      .join(', ');
    console.log(`${name}: INFO commandstats deltas: ${breakdown}`);
  } finally {
    for (const t of targets) t.agent.destroy();
    await stopMembers(members);
    await redis.stop();
  }
}

function diffCounts(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const diff = new Map<string, number>();
  for (const [name, n] of after) if (n > (before.get(name) ?? 0)) diff.set(name, n - (before.get(name) ?? 0));
  return diff;
}

function sum(counts: Map<string, number>): number {
  let n = 0;
  for (const v of counts.values()) n += v;
  return n;
}

/** The processes reach Redis through the counting relay: commands sent per joinOrCreate, by name. */
async function roundTripPass(concurrency: number, calls: number): Promise<void> {
  const redis = await startRedis();
  const relay = await startRespCounter(redis.port);
  let members: Member[] = [];
  const targets: Target[] = [];
  try {
    members = await startMembers(`redis://127.0.0.1:${relay.port}`, processCount, SERVER_ARGS);
    for (const m of members)
      targets.push({ agent: new Agent({ keepAlive: true, maxSockets: concurrency }), port: m.port });
    const idleBefore = relay.counts();
    await delay(BACKGROUND_MS);
    const background = sum(diffCounts(relay.counts(), idleBefore)) / (BACKGROUND_MS / 1000);
    const beforeMake = relay.counts();
    const made = await run(targets, MAKE_CONCURRENCY, listed, CREATE);
    const makeSent = sum(diffCounts(relay.counts(), beforeMake));
    await run(targets, concurrency, warmup, JOIN_OR_CREATE);
    const before = relay.counts();
    const t0 = performance.now();
    const r = await run(targets, concurrency, calls, JOIN_OR_CREATE);
    const elapsed = (performance.now() - t0) / 1000;
    const sent = diffCounts(relay.counts(), before);
    const ok = r.statuses.get(200) ?? 0;
    const net = sum(sent) - background * elapsed;
    const byName = [...sent]
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${(n / ok).toFixed(2)}`)
      .join(', ');
    console.log(
      `round trips: joinOrCreate ×${calls} @${concurrency} with ${listed} listed: ${(net / ok).toFixed(2)} commands sent to Redis per call without the heartbeats' (${(sum(sent) / ok).toFixed(2)} with them; target ≤ ${TARGET_ROUND_TRIPS}): ${byName}; statuses ${statuses(r)}; create: ${((makeSent - background * made.seconds) / (made.statuses.get(200) ?? 1)).toFixed(2)} per call`,
    );
  } finally {
    for (const t of targets) t.agent.destroy();
    await stopMembers(members);
    await relay.close();
    await redis.stop();
  }
}

async function memoryPhase(name: string, concurrency: number, calls: number): Promise<void> {
  const server = await startServer(SERVER_ARGS);
  const targets: Target[] = [
    { agent: new Agent({ keepAlive: true, maxSockets: concurrency }), port: Number(new URL(server.url).port) },
  ];
  try {
    await run(targets, concurrency, warmup, JOIN_OR_CREATE);
    const measured = await timed([server.child.pid!], () => run(targets, concurrency, calls, JOIN_OR_CREATE));
    const r = measured.result;
    console.log(
      `${latencyLine(`${name}: one process, no Redis ×${calls} @${concurrency}`, r, measured.cpu[0]!, measured.loadCpu)}  ${r.statuses.get(200) ?? 0} seats in ${r.rooms.size} rooms`,
    );
  } finally {
    targets[0]!.agent.destroy();
    await stopProcess(server.child);
  }
}

console.log(`machine: ${machine()}; load average ${loadAverage()}`);
console.log(
  `joinOrCreate {scenario: 'arena', maxPlayers: ${roomSize}} over HTTP/1.1 keep-alive (node:http, one socket per caller) from this process; cluster: ${processCount} processes + redis-server, ${listed} public rooms listed first; warm-up ${warmup} calls; fresh processes per phase`,
);
await clusterPhase('latency', Number(values.concurrency), Number(values.calls));
await memoryPhase('latency', Number(values.concurrency), Number(values.calls));
await clusterPhase('throughput', Number(values['throughput-concurrency']), Number(values['throughput-calls']));
await memoryPhase('throughput', Number(values['throughput-concurrency']), Number(values['throughput-calls']));
await roundTripPass(Number(values.concurrency), Number(values['count-calls']));
console.log(`load average at the end ${loadAverage()}`);
