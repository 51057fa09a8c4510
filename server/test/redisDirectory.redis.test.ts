// The Redis directory's scripts against a real redis-server (started by this file, stopped by PID):
// placement, seats that never overfill a room, idempotent retries, sweeping dead processes.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisDirectory, type RoomToPlace } from '../src/cluster/redisDirectory.js';
import { KEYS } from '../src/cluster/redisKeys.js';
import { RedisLink } from '../src/cluster/redisLink.js';
import { createLogger } from '../src/log.js';
import { connectDirectory, processRecord } from './support/clusterDirectory.js';
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
const shape = { scenario: 'arena', maxPlayers: 8, tickRate: 30, snapshotRate: 30, viewRadius: 0 };
const newId = () => randomBytes(12).toString('base64url');
const nonce = () => randomBytes(16).toString('base64url');
const ask = (requestId: string | undefined, ttlMs: number) => ({ nonce: nonce(), requestId, ttlMs });
const room = (over: Partial<RoomToPlace> = {}): RoomToPlace => ({
  id: newId(),
  shape,
  private: false,
  code: undefined,
  ...over,
});

let redis: RedisServer;
const links: RedisLink[] = [];

function directory(): Promise<{ dir: RedisDirectory; link: RedisLink }> {
  return connectDirectory(redis.url, links, log);
}

const proc = processRecord;

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
      Array.from({ length: 500 }, (_, i) => dirs[i % 3]!.dir.joinOrCreate(shape, newId, ask(undefined, 15_000))),
    );
    const perRoom = new Map<string, number>();
    const roomsPerProc = new Map<string, Set<string>>();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    for (const r of results) {
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

  it("carries a room's viewRadius in its placed record, its hosting reports and the public listing", async () => {
    const { dir, link } = await directory();
    await link.call(['FLUSHALL']);
    await dir.register(proc('pv'), 60_000);
    const made = await dir.create(
      room({ shape: { ...shape, scenario: 'world', viewRadius: 2500 } }),
      ask(undefined, 15_000),
    );
    if (!made.ok) throw new Error('not placed');
    const id = made.grant.roomId;
    expect(await dir.placedRoom(id)).toMatchObject({ scenario: 'world', viewRadius: 2500, state: 'placed' });
    expect((await dir.listPublic()).find((r) => r.id === id)).toMatchObject({ viewRadius: 2500 });
    // The hosting process's report rewrites the record: the radius the room runs with stays.
    const record = { id, ...shape, scenario: 'world', viewRadius: 2500, private: false, code: undefined, createdAt: 1 };
    await dir.reportRoom('pv', 'http://pv', record, 1, [made.grant.nonce]);
    expect(await dir.placedRoom(id)).toMatchObject({ viewRadius: 2500, state: 'hosted' });
    // A record from a process older than the option: the scenario's default.
    await link.call(['HDEL', KEYS.room(id), 'viewRadius']);
    expect(await dir.placedRoom(id)).toMatchObject({ viewRadius: 1000 });
  });

  it('answers a retried create with the same room and seat', async () => {
    const { dir } = await directory();
    await dir.register(proc('pr'), 60_000);
    const requestId = 'retry-request-1';
    const first = await dir.create(room(), ask(requestId, 15_000));
    const second = await dir.create(room(), ask(requestId, 15_000));
    expect(first.ok && second.ok).toBe(true);
    if (first.ok && second.ok) expect(second.grant).toEqual(first.grant);
  });

  it('keeps a late-but-alive process listed and drops a dead one after its TTL', async () => {
    const { dir, link } = await directory();
    await link.call(['FLUSHALL']);
    await dir.register(proc('live', { url: 'http://live' }), 60_000);
    await dir.register(proc('dies', { url: 'http://dies' }), 400);
    const live = await dir.create(room(), ask(undefined, 15_000));
    expect(live.ok).toBe(true);
    // Place rooms until one lands on each.
    const placed = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await dir.create(room(), ask(undefined, 15_000));
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

describe("RedisDirectory, the anchors' bugs", () => {
  it('makes no SUBSCRIBE and reads no whole room list per joinOrCreate, in at most 3 round trips', async () => {
    const { dir, link } = await directory();
    await link.call(['FLUSHALL']);
    await dir.register(proc('px'), 60_000);
    // 200 rooms listed, each with a free seat.
    await Promise.all(Array.from({ length: 200 }, () => dir.create(room(), ask(undefined, 15_000))));
    await link.call(['CONFIG', 'RESETSTAT']);
    // Every round trip goes through link.call (a script too): record them.
    const sent: string[][] = [];
    const call = link.call.bind(link);
    link.call = <T>(args: readonly (string | number)[]) => {
      sent.push(args.map(String));
      return call<T>(args);
    };
    const calls = 20;
    for (let i = 0; i < calls; i++)
      expect((await dir.joinOrCreate(shape, newId, ask(undefined, 15_000))).ok).toBe(true);
    link.call = call;
    expect(sent.length / calls).toBeLessThanOrEqual(3);
    // No whole list read: the only plain reads are one bounded page of the shape's open index.
    for (const args of sent.filter((a) => a[0] !== 'EVALSHA' && a[0] !== 'EVAL')) {
      expect(args.slice(0, 2)).toEqual(['ZRANGE', KEYS.open(shape)]);
      expect(args).toContain('LIMIT');
    }
    // Server side, scripts included (commandstats counts what a script calls too): no pub/sub churn.
    const stats = commandStats(await link.call<string>(['INFO', 'commandstats']));
    for (const never of ['subscribe', 'unsubscribe', 'psubscribe', 'hgetall', 'keys', 'scan', 'smembers']) {
      expect(stats.get(never)).toBeUndefined();
    }
  });

  it('never yields two rooms when a create times out after Redis ran it and is retried', async () => {
    const { dir, link } = await directory();
    await link.call(['FLUSHALL']);
    await dir.register(proc('pt'), 60_000);
    const hasty = new RedisLink({ url: redis.url, timeoutMs: 50, log });
    hasty.connect();
    links.push(hasty);
    await until(() => hasty.up);
    const hastyDir = new RedisDirectory(hasty, log);
    await hastyDir.processIds(); // its process list is cached before Redis stalls
    // Redis stalls past the caller's deadline; the script still runs once the pause ends.
    await link.call(['CLIENT', 'PAUSE', '300', 'WRITE']);
    await expect(hastyDir.create(room(), ask('timed-out-create', 15_000))).rejects.toThrow(/redis unavailable/);
    const retried = await dir.create(room(), ask('timed-out-create', 15_000));
    expect(retried.ok).toBe(true);
    expect(await link.call(['ZCARD', KEYS.public])).toBe(1);
  });

  it('drops the rooms of a former life when a process restarts under the same id', async () => {
    const { dir, link } = await directory();
    await link.call(['FLUSHALL']);
    await dir.register(proc('again'), 60_000);
    const kept = await dir.create(room(), ask(undefined, 15_000));
    await dir.create(
      room({ shape: { ...shape, maxPlayers: 4 }, private: true, code: 'ABCDEF' }),
      ask(undefined, 15_000),
    );
    expect(kept.ok).toBe(true);
    if (!kept.ok) return;
    // The new life hosts only the first room (say a seat for it arrived), not the private one.
    expect(await dir.dropStaleRooms('again', new Set([kept.grant.roomId]))).toBe(1);
    expect((await dir.listPublic()).map((r) => r.id)).toEqual([kept.grant.roomId]);
    expect(await dir.roomOfCode('ABCDEF')).toBeUndefined();
    expect(await link.call(['SCARD', KEYS.procRooms('again')])).toBe(1);
  });

  it('places an idle room again when another process reserved a seat in it at the last moment', async () => {
    const { dir, link } = await directory();
    await link.call(['FLUSHALL']);
    await dir.register(proc('idle'), 60_000);
    const made = await dir.create(room(), ask(undefined, 15_000));
    if (!made.ok) throw new Error('not placed');
    const record = { id: made.grant.roomId, ...shape, private: false, code: undefined, createdAt: 0 };
    await dir.reportRoom('idle', 'http://idle', record, 0, [made.grant.nonce]); // hosted, its creator's seat used
    expect((await dir.join(made.grant.roomId, ask(undefined, 15_000))).ok).toBe(true); // a seat the host has not heard of
    expect(await dir.removeRoom('idle', record, 'idle')).toBe('placed-again');
    expect((await dir.placedRoom(made.grant.roomId))?.state).toBe('placed');
    // Without a seat out, an idle room is dropped; an ended one always is.
    await link.call(['DEL', KEYS.seats(made.grant.roomId)]);
    expect(await dir.removeRoom('idle', record, 'idle')).toBe('removed');
    expect(await dir.placedRoom(made.grant.roomId)).toBeUndefined();
  });

  it('marks a process that stops with rooms still listed dead and draining, so the sweep drops them', async () => {
    const { dir, link } = await directory();
    await link.call(['FLUSHALL']);
    await dir.register(proc('leaver'), 60_000);
    await dir.create(room(), ask(undefined, 15_000));
    expect(await dir.unregister('leaver')).toBe(false);
    expect(await link.call(['EXISTS', KEYS.proc('leaver')])).toBe(0);
    expect(await link.call(['SISMEMBER', KEYS.draining, 'leaver'])).toBe(1);
    expect(await dir.listPublic()).toEqual([]);
    await dir.sweep();
    expect(await link.call(['ZCARD', KEYS.procs])).toBe(0);
    expect(await link.call(['ZCARD', KEYS.public])).toBe(0);
  });

  it('gives no new room or seat to a process whose heartbeats are late, and keeps its rooms listed', async () => {
    const { dir, link } = await directory();
    await link.call(['FLUSHALL']);
    await dir.register(proc('late', { heartbeatMs: 100 }), 60_000);
    const made = await dir.create(room(), ask(undefined, 15_000));
    if (!made.ok) throw new Error('not placed');
    expect(made.grant.processId).toBe('late');
    await dir.register(proc('prompt'), 60_000);
    // 'late' beats no more: after 2.5 of its heartbeats it is not fresh, though alive (TTL 60 s).
    await eventually(async () => {
      const [freshUntil, [seconds, micros]] = await Promise.all([
        link.call<string>(['ZSCORE', KEYS.fresh, 'late']),
        link.call<[string, string]>(['TIME']),
      ]);
      // The scripts' clock is whole ms (includes/now.lua): judged the same way, or a test landing in the
      // millisecond freshUntil names would see it stale while the script still sees it fresh.
      return Number(freshUntil) < Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    });
    expect(await dir.join(made.grant.roomId, ask(undefined, 15_000))).toEqual({ ok: false, reason: 'late' });
    for (let i = 0; i < 5; i++) {
      const r = await dir.create(room(), ask(undefined, 15_000));
      expect(r.ok && r.grant.processId).toBe('prompt');
    }
    expect((await dir.listPublic()).map((r) => r.id)).toContain(made.grant.roomId);
    // It beats again: seats go to it again.
    await dir.register(proc('late', { heartbeatMs: 100 }), 60_000);
    expect((await dir.join(made.grant.roomId, ask(undefined, 15_000))).ok).toBe(true);
  });

  it('holds --max-rooms in placement: the room past it is refused', async () => {
    const { dir, link } = await directory();
    await link.call(['FLUSHALL']);
    await dir.register(proc('small', { maxRooms: 2 }), 60_000);
    expect((await dir.create(room(), ask(undefined, 15_000))).ok).toBe(true);
    expect((await dir.create(room(), ask(undefined, 15_000))).ok).toBe(true);
    expect(await dir.create(room(), ask(undefined, 15_000))).toEqual({
      ok: false,
      reason: 'at-capacity',
    });
  });

  it('lets a placed room nobody joins expire, and keeps one whose seat is still live', async () => {
    const { link } = await directory();
    await link.call(['FLUSHALL']);
    const dir = new RedisDirectory(link, log, 50);
    await dir.register(proc('pp'), 60_000);
    const lonely = await dir.create(room(), ask(undefined, 100));
    const awaited = await dir.create(room(), ask(undefined, 60_000));
    expect(lonely.ok && awaited.ok).toBe(true);
    if (!lonely.ok || !awaited.ok) return;
    await eventually(async () => {
      await dir.sweep();
      return (await dir.listPublic()).every((r) => r.id !== lonely.grant.roomId);
    });
    expect((await dir.listPublic()).map((r) => r.id)).toEqual([awaited.grant.roomId]);
    expect(await link.call(['EXISTS', KEYS.room(lonely.grant.roomId)])).toBe(0);
    expect(await link.call(['SISMEMBER', KEYS.procRooms('pp'), lonely.grant.roomId])).toBe(0);
  });
});

/** INFO commandstats → calls per command (lower case, subcommands as `config|resetstat`). */
function commandStats(info: string): Map<string, number> {
  const stats = new Map<string, number>();
  for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) stats.set(name!, Number(calls));
  return stats;
}
