// The dashboard's process table on real servers in this process with real sockets: two processes on
// a real redis-server (started here, stopped by PID), the dashboard of one listing both, their load
// and a player's room under the process that hosts it; a process without --redis-url lists itself.
import {
  ClientMessageId,
  decodeServerFrame,
  encodeClientMessage,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  ServerMessageId,
} from '@tickwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { defaultConfig } from '../src/config.js';
import type { DashboardProcesses } from '../src/dashboard/processTable.js';
import { type RunningServer, startGameServer } from '../src/gameServer.js';
import { silentLogger } from '../src/log.js';
import { seatSecretFrom } from '../src/rooms/seatSecret.js';
import { type RedisServer, startRedis } from './support/redisServer.js';

let redis: RedisServer;
const servers: RunningServer[] = [];
const sockets: WebSocket[] = [];
const secret = seatSecretFrom({ TICKWIRE_SEAT_SECRET: 'a-shared-seat-secret-for-this-test-0123456789' });

beforeAll(async () => {
  redis = await startRedis();
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const server of servers.splice(0)) await server.stop();
});

afterAll(async () => {
  await redis?.stop();
});

async function start(over: Partial<ReturnType<typeof defaultConfig>> = {}): Promise<RunningServer> {
  const server = await startGameServer({ ...defaultConfig(), port: 0, scenario: 'arena', ...over }, silentLogger, {
    seatSecret: secret,
  });
  servers.push(server);
  return server;
}

/** Poll until `condition` holds (real sockets and Redis: time passes); fail after 15 s. */
async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 15_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what}: not reached in 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A cluster member, once its first heartbeat reached Redis. */
async function member(processId: string): Promise<RunningServer> {
  const server = await start({ redisUrl: redis.url, processId, processHeartbeatMs: 200, processTtlMs: 2000 });
  await until(`${processId} registered`, () => server.health().lastHeartbeatAgoMs !== null);
  return server;
}

/** A dashboard on `server`: every process table it was sent (hello and seconds), newest last. */
function watch(server: RunningServer): DashboardProcesses[] {
  const tables: DashboardProcesses[] = [];
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/dashboard/ws`);
  sockets.push(ws);
  ws.on('message', (data: Buffer) => {
    tables.push((JSON.parse(data.toString()) as { processes: DashboardProcesses }).processes);
  });
  ws.on('error', () => {});
  return tables;
}

/** A player seated through `via` in a room on `on` (a cluster's member), once it has a snapshot; the room's id. */
/** A seat (not used) in a new room placed on `on`, asked through `via`. */
async function seatOn(via: RunningServer, on: RunningServer): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const answer = await via.matchmaker.matchmake({ mode: 'create', maxPlayers: 4 }, undefined, Date.now());
    if (!answer.ok) throw new Error(`matchmake: ${answer.error}`);
    if (answer.processUrl === on.url) return;
  }
  throw new Error('no room placed on the process in 40 tries');
}

async function playerOn(via: RunningServer, on: RunningServer, inCluster = true): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const answer = await via.matchmaker.matchmake({ mode: 'create', maxPlayers: 4 }, undefined, Date.now());
    if (!answer.ok) throw new Error(`matchmake: ${answer.error}`);
    if (inCluster && answer.processUrl !== on.url) continue;
    const ws = new WebSocket(`${on.wsUrl}/${answer.roomId}`);
    sockets.push(ws);
    ws.binaryType = 'nodebuffer';
    let snapshots = 0;
    ws.on('open', () =>
      ws.send(
        encodeClientMessage({
          id: ClientMessageId.HELLO,
          protocolVersion: PROTOCOL_VERSION,
          name: 'p',
          seat: answer.seat,
        }),
      ),
    );
    const held = newSnapshotHeaderState();
    ws.on('message', (data: Buffer) => {
      const decoded = decodeServerFrame(data, held);
      if (decoded.ok && decoded.message.id === ServerMessageId.SNAPSHOT) snapshots++;
    });
    ws.on('error', () => {});
    await until('a snapshot', () => snapshots > 0);
    return answer.roomId;
  }
  throw new Error(`no room placed on ${on.url} in 40 creates`);
}

// Real heartbeats, seconds and sockets: each case takes a few seconds of wall time.
describe('the dashboard process table', { timeout: 30_000 }, () => {
  it("lists every process of the cluster with its load, and a player's room under the process hosting it", async () => {
    const a = await member('dash-a');
    const b = await member('dash-b');
    const tables = watch(a);
    const roomId = await playerOn(a, b);
    const last = () => tables.at(-1);
    await until('both processes, b with its player and room', () => {
      const rowB = last()?.processes.find((p) => p.id === 'dash-b');
      return (
        last()?.processes.length === 2 &&
        rowB?.players === 1 &&
        rowB.publicRooms.some((r) => r.id === roomId && r.players === 1)
      );
    });
    const table = last()!;
    expect(table).toMatchObject({ source: 'cluster', error: null, rest: 0 });
    expect(table.readAt).toEqual(expect.any(Number));
    const [rowA, rowB] = table.processes;
    expect(rowA).toMatchObject({ id: 'dash-a', url: a.url, self: true, draining: false, publicRooms: [] });
    expect(rowB).toMatchObject({ id: 'dash-b', url: b.url, self: false, rooms: 1, draining: false });
    expect(rowB!.publicRooms).toEqual([{ id: roomId, scenario: 'arena', players: 1, maxPlayers: 4 }]);
    for (const row of table.processes) {
      // Heartbeats every 200 ms: a live process's last one is recent (well within its 2 s TTL).
      expect(row.heartbeatAgeMs).toBeGreaterThanOrEqual(0);
      expect(row.heartbeatAgeMs).toBeLessThan(2000);
      expect(row.cpu).toBeGreaterThanOrEqual(0);
    }
    // The other process's dashboard sees the same cluster, itself marked.
    const fromB = watch(b);
    await until('b lists both', () => fromB.at(-1)?.processes.length === 2);
    expect(fromB.at(-1)!.processes.map((p) => [p.id, p.self])).toEqual([
      ['dash-a', false],
      ['dash-b', true],
    ]);
  });

  it('shows a process that started draining as draining, from another process', async () => {
    const a = await member('drain-a');
    const b = await member('drain-b');
    const tables = watch(a);
    // A seat in a room placed on b holds its drain open for the seat's life (a room with a player
    // would move to a at once, and an empty process would stop and leave the directory at once).
    await seatOn(a, b);
    await until('both listed', () => tables.at(-1)?.processes.length === 2);
    void b.drain();
    await until('b draining', () => tables.at(-1)?.processes.find((p) => p.id === 'drain-b')?.draining === true);
    expect(tables.at(-1)!.processes.find((p) => p.id === 'drain-a')!.draining).toBe(false);
  });

  it('lists a process without --redis-url alone, with no heartbeat', async () => {
    const lone = await start();
    const tables = watch(lone);
    const roomId = await playerOn(lone, lone, false);
    await until('its row with the player', () => tables.at(-1)?.processes[0]?.players === 1);
    const table = tables.at(-1)!;
    expect(table).toMatchObject({ source: 'local', error: null, rest: 0 });
    expect(table.processes).toHaveLength(1);
    expect(table.processes[0]).toMatchObject({
      url: lone.url,
      self: true,
      rooms: 1,
      heartbeatAgeMs: null,
      draining: false,
    });
    expect(table.processes[0]!.publicRooms).toEqual([{ id: roomId, scenario: 'arena', players: 1, maxPlayers: 4 }]);
  });
});
