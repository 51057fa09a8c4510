// The Redis directory's scripts against a real redis-server (started by this file, stopped by PID):
// placement, seats that never overfill a room, idempotent retries, sweeping dead processes.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessRecord, RedisDirectory } from '../src/cluster/redisDirectory.js';
import { KEYS } from '../src/cluster/redisKeys.js';
import { RedisLink } from '../src/cluster/redisLink.js';
import { createLogger } from '../src/log.js';
import { type RedisServer, startRedis } from './support/redisServer.js';
import { until } from './support/until.js';

const log = createLogger('error');

/** Poll an async condition (real Redis time passes) until it holds; fail after 10 s. */
async function eventually(condition: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not reached in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const shape = { scenario: 'arena', maxPlayers: 8, tickRate: 30, snapshotRate: 30 };
const newId = () => randomBytes(12).toString('base64url');
const nonce = () => randomBytes(16).toString('base64url');

let redis: RedisServer;
const links: RedisLink[] = [];

async function directory(): Promise<{ dir: RedisDirectory; link: RedisLink }> {
  // A generous deadline: the test asserts outcomes, and CI machines are shared.
  const link = new RedisLink({ url: redis.url, timeoutMs: 20_000, log });
  link.connect();
  links.push(link);
  await until(() => link.up);
  return { dir: new RedisDirectory(link, log), link };
}

function proc(id: string, over: Partial<ProcessRecord> = {}): ProcessRecord {
  return {
    id,
    url: `http://127.0.0.1:${id.length}`,
    rooms: 0,
    players: 0,
    cpu: 0,
    maxRooms: 256,
    maxTotalPlayers: 2048,
    draining: false,
    startedAt: 0,
    ...over,
  };
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const link of links) await link.close();
  await redis.stop();
});

describe('RedisDirectory', () => {
  it('spreads 500 concurrent joinOrCreate calls over 3 processes without overfilling a room', async () => {
    const dirs = await Promise.all([directory(), directory(), directory()]);
    const pids = ['pa', 'pb', 'pc'];
    await Promise.all(pids.map((pid, i) => dirs[i]!.dir.register(proc(pid), 60_000)));
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => dirs[i % 3]!.dir.joinOrCreate(shape, newId, nonce(), undefined, 15_000)),
    );
    const perRoom = new Map<string, number>();
    const roomsPerProc = new Map<string, Set<string>>();
    for (const r of results) {
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      perRoom.set(r.grant.roomId, (perRoom.get(r.grant.roomId) ?? 0) + 1);
      const set = roomsPerProc.get(r.grant.processId) ?? new Set();
      set.add(r.grant.roomId);
      roomsPerProc.set(r.grant.processId, set);
    }
    for (const seats of perRoom.values()) expect(seats).toBeLessThanOrEqual(8);
    expect(perRoom.size).toBeGreaterThanOrEqual(63);
    const counts = [...roomsPerProc.values()].map((s) => s.size);
    expect(counts).toHaveLength(3);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    const { dir } = dirs[0]!;
    expect((await dir.listPublic()).length).toBe(perRoom.size);
  });

  it('answers a retried create with the same room and seat', async () => {
    const { dir } = await directory();
    await dir.register(proc('pr'), 60_000);
    const requestId = 'retry-request-1';
    const first = await dir.create(shape, false, undefined, newId(), nonce(), requestId, 15_000);
    const second = await dir.create(shape, false, undefined, newId(), nonce(), requestId, 15_000);
    expect(first.ok && second.ok).toBe(true);
    if (first.ok && second.ok) expect(second.grant).toEqual(first.grant);
  });

  it('keeps a late-but-alive process listed and drops a dead one after its TTL', async () => {
    const { dir, link } = await directory();
    await link.call(['FLUSHALL']);
    await dir.register(proc('live', { url: 'http://live' }), 60_000);
    await dir.register(proc('dies', { url: 'http://dies' }), 400);
    const live = await dir.create(shape, false, undefined, newId(), nonce(), undefined, 15_000);
    expect(live.ok).toBe(true);
    // Place rooms until one lands on each.
    const placed = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await dir.create(shape, false, undefined, newId(), nonce(), undefined, 15_000);
      if (r.ok) placed.add(r.grant.processId);
    }
    expect(placed).toEqual(new Set(['live', 'dies']));
    await dir.sweep();
    const before = await dir.listPublic();
    expect(new Set(before.map((r) => r.process.id))).toEqual(new Set(['live', 'dies']));
    const liveRooms = before.filter((r) => r.process.id === 'live').length;
    await eventually(async () => (await dir.listPublic()).every((r) => r.process.id === 'live'));
    await dir.sweep();
    expect(await link.call(['ZSCORE', KEYS.procs, 'dies'])).toBeNull();
    expect(await link.call(['SCARD', KEYS.procRooms('dies')])).toBe(0);
    expect((await link.call<string[]>(['ZRANGE', KEYS.public, 0, -1])).length).toBe(liveRooms);
  });
});
