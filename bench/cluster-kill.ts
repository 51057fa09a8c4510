// Bench: kill -9 one process of a 3-process cluster on one redis-server while bots play on all
// three (default 8 rooms × 8, every seat from p0's matchmaker, so placement spreads the rooms), then
// measure what the survivors see. Run by hand (npm run bench:cluster-kill); one line per figure.
//
//   npm run bench:cluster-kill -- [--rooms 8] [--room-size 8] [--warmup 5] [--before 10] [--after 10]
//                                 [--heartbeat-ms 1000] [--ttl-ms 5000]
//
// The bots run in this process (the bots CLI's ArenaDriver, load-only, arena schedule), so each
// bot's host (its seat's wsUrl port), its closes and its snapshot intervals are known per bot and
// per phase: --before s ending at the kill, --after s from it (at least until the victim's rooms
// left every survivor's /rooms). The victim is the last process, never p0. After the kill, this
// process polls GET /rooms on both survivors every 50 ms and calls POST /matchmake joinOrCreate and
// create, alternating survivors, every 50 ms, checking each seat's wsUrl against the victim's port.
// --heartbeat-ms and --ttl-ms are the processes' --process-heartbeat-ms / --process-ttl-ms
// (their defaults). Stops every process it started by PID, redis-server too.
import { parseArgs } from 'node:util';
import type { MatchmakeBody, RoomsAnswer } from '@tickwire/protocol';
import { ArenaDriver } from '../client/src/bot/arenaDriver.js';
import { BotSeats } from '../client/src/bot/botSeats.js';
import { BotStats } from '../client/src/bot/stats.js';
import { TimerLoop } from '../client/src/bot/timerLoop.js';
import { openWsSocket } from '../client/src/bot/wsSocket.js';
import { matchmake } from '../client/src/net/matchmake.js';
import type { SocketCloseEvent, SocketLike } from '../client/src/net/socketLike.js';
import { loadAverage, type Member, percentile, startMembers, stopMembers } from './clusterSupport.js';
import { startRedis } from './redisServer.js';
import { delay, getJson, machine } from './support.js';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '8' },
    'room-size': { type: 'string', default: '8' },
    warmup: { type: 'string', default: '5' },
    before: { type: 'string', default: '10' },
    after: { type: 'string', default: '10' },
    'heartbeat-ms': { type: 'string', default: '1000' },
    'ttl-ms': { type: 'string', default: '5000' },
  },
});
const rooms = Number(values.rooms);
const roomSize = Number(values['room-size']);
const players = rooms * roomSize;
const heartbeatMs = Number(values['heartbeat-ms']);
const ttlMs = Number(values['ttl-ms']);
const POLL_MS = 50;
const SERVER_ARGS = [
  '--scenario',
  'arena',
  '--max-players',
  String(roomSize),
  '--process-heartbeat-ms',
  String(heartbeatMs),
  '--process-ttl-ms',
  String(ttlMs),
];

type Phase = 'joining' | 'before' | 'after';

/** BotStats that also keeps every bot's snapshot intervals per phase and per host port. */
class SplitStats extends BotStats {
  phase: Phase = 'joining';
  readonly portOf = new Map<number, number>();
  readonly intervals = new Map<string, number[]>();

  override recordSnapshotInterval(botIndex: number, intervalMs: number): void {
    super.recordSnapshotInterval(botIndex, intervalMs);
    const key = `${this.phase}:${this.portOf.get(botIndex)}`;
    let list = this.intervals.get(key);
    if (list === undefined) {
      list = [];
      this.intervals.set(key, list);
    }
    list.push(intervalMs);
  }

  /** The phase's intervals pooled over bots whose host is in `ports`: p50, p99, max. */
  pooled(phase: Phase, ports: readonly number[]): string {
    const all = ports.flatMap((port) => this.intervals.get(`${phase}:${port}`) ?? []);
    if (all.length === 0) return '—';
    return `${percentile(all, 50).toFixed(2)}/${percentile(all, 99).toFixed(2)}/${Math.max(...all).toFixed(2)}`;
  }
}

/** A bot's socket whose close is reported (with the bot's index) before the driver sees it. */
class WatchedSocket implements SocketLike {
  constructor(
    private readonly inner: SocketLike,
    private readonly closed: (event: SocketCloseEvent) => void,
  ) {}
  get binaryType(): string {
    return this.inner.binaryType;
  }
  set binaryType(type: string) {
    this.inner.binaryType = type;
  }
  get readyState(): number {
    return this.inner.readyState;
  }
  send(data: Uint8Array<ArrayBuffer>): void {
    this.inner.send(data);
  }
  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }
  get onopen(): SocketLike['onopen'] {
    return this.inner.onopen;
  }
  set onopen(handler: SocketLike['onopen']) {
    this.inner.onopen = handler;
  }
  get onmessage(): SocketLike['onmessage'] {
    return this.inner.onmessage;
  }
  set onmessage(handler: SocketLike['onmessage']) {
    this.inner.onmessage = handler;
  }
  get onerror(): SocketLike['onerror'] {
    return this.inner.onerror;
  }
  set onerror(handler: SocketLike['onerror']) {
    this.inner.onerror = handler;
  }
  get onclose(): SocketLike['onclose'] {
    return this.inner.onclose;
  }
  set onclose(handler: SocketLike['onclose']) {
    this.inner.onclose =
      handler === null
        ? null
        : (event: SocketCloseEvent) => {
            this.closed(event);
            handler(event);
          };
  }
}

console.log(`machine: ${machine()}; load average ${loadAverage()}`);
console.log(
  `${rooms} rooms × ${roomSize} (${players} load-only arena bots in this process, every seat from p0), 3 processes + redis-server, --process-heartbeat-ms ${heartbeatMs}, --process-ttl-ms ${ttlMs} (TTL ${ttlMs} ms); warm-up ${values.warmup} s, ${values.before} s before the kill, ${values.after} s after`,
);
const redis = await startRedis();
let members: Member[] = [];
let driver: ArenaDriver | undefined;
let loop: TimerLoop | undefined;
try {
  members = await startMembers(redis.url, 3, SERVER_ARGS);
  const victim = members[2]!;
  const survivors = members.slice(0, 2);
  const now = () => performance.now();
  const stats = new SplitStats(now());
  /** Closes the bench did not ask for: [bot index, host port, close code, phase]. */
  const unasked: [number, number, number, Phase][] = [];
  let stopping = false;
  const seats = new BotSeats({
    httpUrl: members[0]!.url,
    plan: { mode: 'roomSize', scenario: 'arena', roomSize },
    now,
    stats,
  });
  const bots = new ArenaDriver({
    count: players,
    predict: false,
    loadOnly: true,
    seat: (i) => seats.seat(i),
    openSocket: (i, wsUrl) => {
      const port = Number(new URL(wsUrl).port);
      stats.portOf.set(i, port);
      return new WatchedSocket(openWsSocket(wsUrl), (event) => {
        if (!stopping) unasked.push([i, port, event.code, stats.phase]);
      });
    },
    now,
    stats,
    wake: (dueMs) => loop?.wakeAt(dueMs),
  });
  driver = bots;
  loop = new TimerLoop(now, (t) => bots.tick(t));
  bots.start();
  loop.start();
  const joinDeadline = now() + 60_000;
  while (stats.connected < players) {
    if (now() > joinDeadline) throw new Error(`only ${stats.connected} of ${players} bots joined`);
    await delay(100);
  }
  const botsOn = (port: number) => [...stats.portOf.values()].filter((p) => p === port).length;
  console.log(`bots per process: ${members.map((m) => `${m.id} ${botsOn(m.port)}`).join(', ')} (victim ${victim.id})`);
  if (botsOn(victim.port) === 0 || survivors.some((m) => botsOn(m.port) === 0))
    throw new Error('placement left a process without bots: nothing to measure');
  await delay(Number(values.warmup) * 1000);
  stats.phase = 'before';
  await delay(Number(values.before) * 1000);

  process.kill(victim.child.pid!, 'SIGKILL');
  const killedAt = now();
  stats.phase = 'after';
  const goneAfter = new Map<string, number>();
  const listedAtKill = (await getJson<RoomsAnswer>(`${survivors[0]!.url}/rooms`)).rooms.filter(
    (r) => r.process?.id === victim.id,
  ).length;
  /** Seats naming the dead process: the call and when, ms after the kill. */
  const seatsByVictim: [string, number][] = [];
  let seatsAsked = 0;
  let seatsRefused = 0;
  const refusals = new Map<string, number>();
  const endAt = killedAt + Number(values.after) * 1000;
  let turn = 0;
  while (now() < endAt || goneAfter.size < survivors.length) {
    if (now() - killedAt > 60_000) break;
    for (const s of survivors) {
      if (goneAfter.has(s.id)) continue;
      const listed = (await getJson<RoomsAnswer>(`${s.url}/rooms`)).rooms;
      if (listed.every((r) => r.process?.id !== victim.id)) goneAfter.set(s.id, now() - killedAt);
    }
    const via = survivors[turn % survivors.length]!;
    const body: MatchmakeBody =
      turn % 2 === 0
        ? { mode: 'joinOrCreate', scenario: 'arena', maxPlayers: 4 }
        : { mode: 'create', scenario: 'arena', maxPlayers: 4 };
    turn++;
    seatsAsked++;
    const answer = await matchmake(via.url, body);
    if (answer.ok) {
      if (Number(new URL(answer.wsUrl).port) === victim.port)
        seatsByVictim.push([`${body.mode} via ${via.id}`, now() - killedAt]);
    } else {
      seatsRefused++;
      refusals.set(answer.error, (refusals.get(answer.error) ?? 0) + 1);
    }
    await delay(POLL_MS);
  }
  const afterSeconds = (now() - killedAt) / 1000;
  stopping = true;

  console.log(
    `victim ${victim.id}'s ${listedAtKill} rooms gone from /rooms of ${survivors.map((s) => `${s.id} ${goneAfter.has(s.id) ? `${Math.round(goneAfter.get(s.id)!)} ms` : 'never (60 s)'}`).join(', ')} after kill -9 (target ≤ TTL + 1 s = ${ttlMs + 1000} ms; polled every ${POLL_MS} ms plus a matchmake call)`,
  );
  const survivorPorts = survivors.map((s) => s.port);
  const survivorCloses = unasked.filter(([, port]) => port !== victim.port);
  const victimCloses = unasked.filter(([, port]) => port === victim.port);
  console.log(
    `disconnects of bots on ${survivors.map((s) => s.id).join(' and ')}: ${survivorCloses.length} (target 0)${survivorCloses.length ? ` ${JSON.stringify(survivorCloses)}` : ''}; of bots on the victim: ${victimCloses.length} of ${botsOn(victim.port)} (codes ${[...new Set(victimCloses.map(([, , code]) => code))].join(', ')})`,
  );
  for (const s of survivors) {
    console.log(
      `snapshot interval of the bots on ${s.id}, p50/p99/max: ${stats.pooled('before', [s.port])} ms over ${values.before} s before the kill, ${stats.pooled('after', [s.port])} ms over ${afterSeconds.toFixed(1)} s after`,
    );
  }
  console.log(
    `snapshot interval of every survivor's bots, p50/p99/max: ${stats.pooled('before', survivorPorts)} ms before, ${stats.pooled('after', survivorPorts)} ms after`,
  );
  console.log(
    `seats asked after the kill (joinOrCreate and create, alternating ${survivors.map((s) => s.id).join('/')}): ${seatsAsked}, refused ${seatsRefused}${refusals.size ? ` ${JSON.stringify(Object.fromEntries(refusals))}` : ''}; naming the dead process: ${seatsByVictim.length} (target none)${seatsByVictim.length ? `, the first +${Math.round(seatsByVictim[0]![1])} ms (${seatsByVictim[0]![0]}), the last +${Math.round(seatsByVictim.at(-1)![1])} ms (${seatsByVictim.at(-1)![0]})` : ''}`,
  );
} finally {
  driver?.stop();
  loop?.stop();
  await delay(500);
  await stopMembers(members);
  await redis.stop();
}
console.log(`load average at the end ${loadAverage()}`);
