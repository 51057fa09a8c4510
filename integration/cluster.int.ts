// Integration: three real server processes and a real redis-server (started here on a free
// loopback port, stopped by PID). Cluster-wide listing from any process; concurrent joins across
// processes never overfill a room; a retried create with the same requestId; a live process whose
// heartbeat is late by less than the TTL keeps its listings; kill -9 and the TTL; Redis stopped and
// restarted while a match plays; a drain in a cluster; each process's /metrics labelled with its
// id. Short heartbeats and TTLs; conditions are polled, never timed.
import { randomBytes } from 'node:crypto';
import { type LobbyMessage, LobbyMirror, type MatchmakeBody, type RoomsAnswer } from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { matchmake } from '../client/src/net/matchmake.js';
import { type RedisServer, startRedis } from '../server/test/support/redisServer.js';
import { startScript } from './support/scriptProcess.js';
import { getHealth, httpGet, type ServerProcess, startServer } from './support/serverProcess.js';
import { TestClient } from './support/testClient.js';
import { until } from './support/until.js';

const HEARTBEAT_MS = 200;
const TTL_MS = 1500;
const SECRET = randomBytes(32).toString('base64url');

let redis: RedisServer;
const processes: ServerProcess[] = [];

function clusterArgs(id: string): string[] {
  return [
    '--redis-url',
    redis.url,
    '--process-id',
    id,
    '--process-heartbeat-ms',
    String(HEARTBEAT_MS),
    '--process-ttl-ms',
    String(TTL_MS),
    // Generous: CI machines are shared, and a stopped Redis fails calls at once anyway (no offline queue).
    '--redis-timeout-ms',
    '5000',
    '--room-idle-ms',
    '60000',
    '--max-total-players',
    '4096',
  ];
}

async function startMember(id: string, extra: string[] = []): Promise<ServerProcess> {
  const server = await startServer([...clusterArgs(id), ...extra], { TICKWIRE_SEAT_SECRET: SECRET });
  processes.push(server);
  await until(`${id} registered`, async () => (await getHealth(server)).lastHeartbeatAgoMs !== null);
  return server;
}

async function rooms(server: ServerProcess): Promise<RoomsAnswer['rooms']> {
  const answer = await httpGet(server, '/rooms');
  if (answer.status !== 200) throw new Error(`/rooms answered ${answer.status}: ${answer.body}`);
  return (JSON.parse(answer.body) as RoomsAnswer).rooms;
}

async function seat(server: ServerProcess, body: MatchmakeBody) {
  const answer = await matchmake(server.url, body);
  if (!answer.ok) throw new Error(`matchmake: ${answer.status} ${answer.error} ${answer.message}`);
  return answer;
}

/** A /lobby viewer on `server`, mirrored (every message must apply in order). */
function lobbyViewer(server: ServerProcess): { mirror: LobbyMirror; close(): void } {
  const mirror = new LobbyMirror();
  const viewer = new WebSocket(`ws://127.0.0.1:${server.port}/lobby`);
  viewer.on('message', (data) => {
    if (mirror.apply(JSON.parse(String(data)) as LobbyMessage) !== 'ok') viewer.send('resync');
  });
  return { mirror, close: () => viewer.close() };
}

/** Create rooms through `via` until each of `members` hosts at least one; returns their ids by process. */
async function roomsOnEvery(via: ServerProcess, members: readonly ServerProcess[]): Promise<Map<string, string>> {
  const byUrl = new Map<string, string>();
  for (let i = 0; i < 30 && byUrl.size < members.length; i++) {
    const answer = await seat(via, { mode: 'create', maxPlayers: 4 });
    byUrl.set(new URL(answer.wsUrl).port, answer.roomId);
  }
  expect(byUrl.size).toBe(members.length);
  return byUrl;
}

beforeAll(async () => {
  redis = await startRedis();
  for (const id of ['a', 'b', 'c']) await startMember(id);
}, 120_000);

afterAll(async () => {
  for (const server of processes) await server.stop();
  await redis?.stop();
});

describe('a cluster of three processes on Redis', () => {
  it("lists every process's public rooms from any process, each naming its process", async () => {
    const [a, b, c] = processes as [ServerProcess, ServerProcess, ServerProcess];
    const made = await roomsOnEvery(a, [a, b, c]);
    for (const via of [a, b, c]) {
      const listed = await rooms(via);
      for (const [port, roomId] of made) {
        const room = listed.find((r) => r.id === roomId);
        expect(room?.process?.url).toBe(`http://127.0.0.1:${port}`);
      }
    }
  });

  it('labels every /metrics series of each process with its --process-id', async () => {
    for (const [id, server] of [
      ['a', processes[0]!],
      ['b', processes[1]!],
    ] as const) {
      const answer = await httpGet(server, '/metrics');
      expect(answer.status).toBe(200);
      const values = answer.body.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
      expect(values.length).toBeGreaterThan(50);
      for (const line of values) expect(line).toContain(`process="${id}"`);
      expect(values.some((line) => line.startsWith(`tickwire_rooms_created_total{process="${id}"} `))).toBe(true);
    }
  });

  it('seats a player through one process in a room on another, checked there with no round trip', async () => {
    const [a, b] = processes as [ServerProcess, ServerProcess];
    // Find a room that b hosts, through a.
    let answer = await seat(a, { mode: 'create', maxPlayers: 4 });
    while (new URL(answer.wsUrl).port !== String(b.port)) answer = await seat(a, { mode: 'create', maxPlayers: 4 });
    const player = await TestClient.join(answer, 'crosser');
    await player.snapshots.next('a snapshot', 5000);
    await until(
      'its players reported',
      async () => (await rooms(a)).find((r) => r.id === answer.roomId)?.players === 1,
    );
    player.ws.close(1000);
  });

  it('refuses to start with --redis-url but no shared TICKWIRE_SEAT_SECRET (exit 2)', async () => {
    const { TICKWIRE_SEAT_SECRET: _unset, ...env } = process.env;
    const run = startScript('server/src/main.ts', ['--port', '0', '--redis-url', redis.url], env);
    const { code } = await run.exited;
    expect(code).toBe(2);
    expect(run.stderr).toMatch(/TICKWIRE_SEAT_SECRET/);
  });

  it("pushes every process's public rooms and their players to a /lobby viewer on any process", async () => {
    const [a, , c] = processes as [ServerProcess, ServerProcess, ServerProcess];
    const viewer = lobbyViewer(c);
    await until('the first list', () => viewer.mirror.seq !== undefined);
    const answer = await seat(a, { mode: 'create', maxPlayers: 4 });
    await until('the new room on the lobby', () => viewer.mirror.rooms.has(answer.roomId));
    const player = await TestClient.join(answer, 'watched');
    await until('its player on the lobby', () => viewer.mirror.rooms.get(answer.roomId)?.players === 1);
    player.ws.close(1000);
    await until('the leave on the lobby', () => viewer.mirror.rooms.get(answer.roomId)?.players === 0);
    viewer.close();
  });

  it('never overfills a room under 500 concurrent joinOrCreate calls spread over the three', async () => {
    const members = processes.slice(0, 3);
    const calls = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        matchmake(members[i % 3]!.url, { mode: 'joinOrCreate', maxPlayers: 6, scenario: 'arena' }),
      ),
    );
    const perRoom = new Map<string, number>();
    const hosts = new Set<string>();
    for (const call of calls) {
      expect(call.ok).toBe(true);
      if (!call.ok) continue;
      perRoom.set(call.roomId, (perRoom.get(call.roomId) ?? 0) + 1);
      hosts.add(new URL(call.wsUrl).port);
    }
    for (const seats of perRoom.values()) expect(seats).toBeLessThanOrEqual(6);
    expect(perRoom.size).toBeGreaterThanOrEqual(84);
    expect(hosts.size).toBe(3);
  });

  it('answers a retried create with the same requestId with the same room and seat, from any process', async () => {
    const [a, b] = processes as [ServerProcess, ServerProcess];
    const body: MatchmakeBody = { mode: 'create', maxPlayers: 4, requestId: `retry-${randomBytes(6).toString('hex')}` };
    const first = await seat(a, body);
    const retried = await seat(b, body);
    expect(retried.roomId).toBe(first.roomId);
    expect(retried.seat).toBe(first.seat);
  });

  it('keeps every listing of a live process whose heartbeat is late by less than the TTL', async () => {
    const [a, b] = processes as [ServerProcess, ServerProcess];
    const hostedByB = (await rooms(a)).filter((r) => r.process?.id === 'b').map((r) => r.id);
    expect(hostedByB.length).toBeGreaterThan(0);
    process.kill(b.pid, 'SIGSTOP'); // its heartbeat stops; its key lives on until the TTL
    try {
      const stoppedAt = performance.now();
      // Several heartbeats late, and a sweep by every other process meanwhile, but less than the TTL.
      while (performance.now() - stoppedAt < TTL_MS / 2) {
        const listed = new Set((await rooms(a)).map((r) => r.id));
        for (const id of hostedByB) expect(listed.has(id)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS));
      }
    } finally {
      process.kill(b.pid, 'SIGCONT');
    }
    await until('b beats again', async () => ((await getHealth(b)).lastHeartbeatAgoMs as number) < TTL_MS / 2);
    const listed = new Set((await rooms(a)).map((r) => r.id));
    for (const id of hostedByB) expect(listed.has(id)).toBe(true);
  });

  it('plays on while Redis is stopped, answers 503 meanwhile, and re-lists its rooms when Redis is back', async () => {
    const [a] = processes as [ServerProcess];
    const answer = await seat(a, { mode: 'create', maxPlayers: 4 });
    const host = processes.find((p) => String(p.port) === new URL(answer.wsUrl).port)!;
    const player = await TestClient.join(answer, 'survivor');
    await player.snapshots.next('a snapshot', 5000);
    const viewer = lobbyViewer(a);
    await until('the lobby lists the room', () => viewer.mirror.rooms.has(answer.roomId));

    await redis.stop();
    await until('a knows Redis is gone', async () => (await getHealth(a)).redis === false);
    // Redis being away never makes /healthz 503 (only this machine's own overload may, under load).
    const health = await httpGet(a, '/healthz');
    const body = JSON.parse(health.body) as { status: string; redis: boolean };
    expect(body.redis).toBe(false);
    expect(health.status === 200 || body.status === 'overloaded').toBe(true);
    const refused = await matchmake(a.url, { mode: 'joinOrCreate' });
    expect(refused).toMatchObject({ ok: false, status: 503, error: 'unavailable' });
    // The match plays on: snapshots keep coming while Redis is away.
    const before = player.snapshots.items.length;
    await until('snapshots while Redis is away', () => player.snapshots.items.length >= before + 30);
    expect(player.closeInfo).toBeUndefined();

    redis = await startRedis(redis.port); // empty: no persistence
    await until('the room is listed again', async () => (await rooms(a)).some((r) => r.id === answer.roomId));
    expect((await rooms(a)).find((r) => r.id === answer.roomId)?.process?.url).toBe(`http://127.0.0.1:${host.port}`);
    await until('a reports redis: true', async () => (await getHealth(a)).redis === true);
    expect((await seat(a, { mode: 'join', roomId: answer.roomId })).roomId).toBe(answer.roomId);
    // The lobby resynced from the full list: a room made after the restart is there too.
    const later = await seat(a, { mode: 'create', maxPlayers: 4 });
    await until('the lobby shows the new room', () => viewer.mirror.rooms.has(later.roomId));
    const listed = new Set((await rooms(a)).map((r) => r.id));
    await until('the lobby equals the listing', () => [...listed].every((id) => viewer.mirror.rooms.has(id)));
    viewer.close();
    player.ws.close(1000);
    for (const member of processes) {
      await until('every process registered again', async () => {
        const h = await getHealth(member);
        return h.redis === true && (h.lastHeartbeatAgoMs as number) < HEARTBEAT_MS * 3;
      });
    }
  });

  it('drains a process on SIGTERM: no new room or seat there, its room moves to a live process (4019), then it leaves the directory', async () => {
    const [a] = processes as [ServerProcess];
    const d = await startMember('d', ['--drain-deadline-ms', '20000']);
    let answer = await seat(a, { mode: 'create', maxPlayers: 4 });
    while (new URL(answer.wsUrl).port !== String(d.port)) answer = await seat(a, { mode: 'create', maxPlayers: 4 });
    const player = await TestClient.join(answer, 'mover');
    await player.snapshots.next('a snapshot', 5000);
    d.signal('SIGTERM');
    // Its room moves: the player is told 4019 MOVED, and the listing names another live process.
    expect((await player.closed).code).toBe(4019);
    await until('the room listed on another process', async () => {
      const listed = (await rooms(a)).find((r) => r.id === answer.roomId);
      return listed !== undefined && listed.process?.id !== 'd';
    });
    // The directory knows d is draining: no new room goes there, from any process.
    for (let i = 0; i < 10; i++) {
      const other = await seat(a, { mode: 'create', maxPlayers: 4 });
      expect(new URL(other.wsUrl).port).not.toBe(String(d.port));
    }
    expect((await d.exited).code).toBe(0);
    await until("d's rooms left the listing", async () => (await rooms(a)).every((r) => r.process?.id !== 'd'));
  });

  it("drops a killed process's rooms from every listing within the TTL and a heartbeat, and seats nobody there after", async () => {
    const [a, , c] = processes as [ServerProcess, ServerProcess, ServerProcess];
    const made = await roomsOnEvery(a, processes.slice(0, 3));
    const victimRoom = made.get(String(c.port))!;
    c.signal('SIGKILL');
    await c.exited;
    const killedAt = performance.now();
    await until("the dead process's rooms are gone", async () => (await rooms(a)).every((r) => r.process?.id !== 'c'));
    console.log(
      `rooms of the killed process left the listing ${Math.round(performance.now() - killedAt)} ms after kill -9 (TTL ${TTL_MS} ms)`,
    );
    const join = await matchmake(a.url, { mode: 'join', roomId: victimRoom });
    expect(join.ok).toBe(false);
    for (let i = 0; i < 20; i++) {
      const answer = await seat(a, { mode: 'create', maxPlayers: 4 });
      expect(new URL(answer.wsUrl).port).not.toBe(String(c.port));
    }
  });
});
