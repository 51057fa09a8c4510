// A room's move between processes (owned → handing-over → claimed, or back to owned) against a real
// redis-server started by this file: every transition, the races between abort and claim, a target
// that dies mid-claim, the choice of target, stale epochs, and the target's inbox.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { followHandovers } from '../src/cluster/handoverInbox.js';
import type { RedisDirectory } from '../src/cluster/redisDirectory.js';
import { KEYS } from '../src/cluster/redisKeys.js';
import type { RedisLink } from '../src/cluster/redisLink.js';
import { type BeginAnswer, type Offer, offerOf } from '../src/cluster/roomMoves.js';
import { createLogger } from '../src/log.js';
import { connectDirectory, processRecord } from './support/clusterDirectory.js';
import { type RedisServer, startRedis } from './support/redisServer.js';

const log = createLogger('error');
const shape = { scenario: 'arena', maxPlayers: 8, tickRate: 30, snapshotRate: 30, viewRadius: 0 };
/** A state blob with every byte value, so a lossy (text) path anywhere would change it. */
const blob = Buffer.concat([Buffer.from([0, 255, 0xc3, 0x28, 0x80]), randomBytes(4096)]);
const DRAIN_AT = 1_000_000;

/** Poll an async condition (real Redis time passes) until it holds; fail after 10 s. */
async function eventually(condition: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not reached in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let redis: RedisServer;
const links: RedisLink[] = [];

function connected(): Promise<{ dir: RedisDirectory; link: RedisLink }> {
  return connectDirectory(redis.url, links, log);
}

const proc = processRecord;

/** A room hosted by `source` (its report writes the whole record), with 3 players; the source drains. */
async function hostedRoom(dir: RedisDirectory, source: string): Promise<string> {
  await dir.register(proc(source, { draining: true, startedAt: 0 }), 60_000);
  const id = randomBytes(12).toString('base64url');
  const record = { id, ...shape, private: false, code: undefined, createdAt: 1 };
  await dir.reportRoom(source, `http://${source}`, record, 3, []);
  return id;
}

function begun(answer: BeginAnswer): Extract<BeginAnswer, { status: 'handing-over' }> {
  if (answer.status !== 'handing-over') throw new Error(`expected handing-over, got ${JSON.stringify(answer)}`);
  return answer;
}

const ask = (roomId: string, over: { ttlMs?: number; drainStartedAt?: number } = {}) => ({
  roomId,
  source: 'src',
  state: blob,
  ttlMs: over.ttlMs ?? 30_000,
  drainStartedAt: over.drainStartedAt ?? DRAIN_AT,
});

let dir: RedisDirectory;
let link: RedisLink;

beforeAll(async () => {
  redis = await startRedis();
  ({ dir, link } = await connected());
});
beforeEach(async () => {
  await link.call(['FLUSHALL']);
});
afterAll(async () => {
  for (const l of links) await l.close();
  await redis.stop();
});

describe('room moves', () => {
  it('owned → handing-over → claimed: the record names the target, its room sets move, the claim carries the blob byte for byte', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('dst'), 60_000);
    const handover = begun(await dir.moves.begin(ask(rid)));
    expect(handover).toMatchObject({ target: 'dst', url: 'http://dst', epoch: 1 });
    expect(await dir.moves.moveOf(rid)).toEqual({ owner: 'src', move: 'handing-over', epoch: 1, target: 'dst' });
    expect(await dir.moves.incoming('dst')).toEqual([{ roomId: rid, epoch: 1, from: 'src' }]);

    const claim = await dir.moves.claim({ roomId: rid, epoch: 1, from: 'src' }, 'dst');
    expect(claim.status).toBe('claimed');
    if (claim.status === 'claimed') expect(claim.state.equals(blob)).toBe(true);
    expect(await dir.moves.moveOf(rid)).toEqual({ owner: 'dst', move: 'claimed', epoch: 1, target: undefined });
    expect(await link.call(['HGET', KEYS.room(rid), 'url'])).toBe('http://dst');
    expect(await link.call(['SMEMBERS', KEYS.procRooms('src')])).toEqual([]);
    expect(await link.call(['SMEMBERS', KEYS.procRooms('dst')])).toEqual([rid]);
    expect(await link.call(['EXISTS', KEYS.roomState(rid), KEYS.handovers, KEYS.procIncoming('dst')])).toBe(0);
    // The room is the target's now: its reports are accepted, the source's are not.
    const record = { id: rid, ...shape, private: false, code: undefined, createdAt: 0 };
    expect(await dir.reportRoom('src', 'http://src', record, 3, [])).toEqual({ otherProcess: 'dst' });
    expect(await dir.reportRoom('dst', 'http://dst', record, 3, [])).toEqual({ pending: 0 });
    // A claimed room is owned: it may move again, at the next epoch.
    await dir.register(proc('dst', { draining: true }), 60_000);
    await dir.register(proc('third'), 60_000);
    expect(begun(await dir.moves.begin({ ...ask(rid), source: 'dst' }))).toMatchObject({ target: 'third', epoch: 2 });
  });

  it('handing-over → owned by abort: the source runs it again and a late claim is refused', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('dst'), 60_000);
    const { epoch, target } = begun(await dir.moves.begin(ask(rid)));
    expect(await dir.moves.abort({ roomId: rid, source: 'src', epoch, target })).toEqual({ status: 'aborted' });
    expect(await dir.moves.moveOf(rid)).toEqual({ owner: 'src', move: 'owned', epoch: 1, target: undefined });
    expect(await link.call(['EXISTS', KEYS.roomState(rid), KEYS.handovers, KEYS.procIncoming('dst')])).toBe(0);
    expect(await dir.moves.claim({ roomId: rid, epoch, from: 'src' }, 'dst')).toEqual({ status: 'refused', epoch: 1 });
    expect(await dir.moves.moveOf(rid)).toMatchObject({ owner: 'src', move: 'owned' });
  });

  it('claimed first: the racing abort answers claimed, so the source does not run the room again', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('dst'), 60_000);
    const { epoch, target } = begun(await dir.moves.begin(ask(rid)));
    expect((await dir.moves.claim({ roomId: rid, epoch, from: 'src' }, 'dst')).status).toBe('claimed');
    expect(await dir.moves.abort({ roomId: rid, source: 'src', epoch, target })).toEqual({
      status: 'claimed',
      owner: 'dst',
      url: 'http://dst',
    });
    expect(await dir.moves.moveOf(rid)).toMatchObject({ owner: 'dst', move: 'claimed' });
  });

  it('aborted first: the racing claim fails, so the target never runs the room', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('dst'), 60_000);
    const { epoch, target } = begun(await dir.moves.begin(ask(rid)));
    expect((await dir.moves.abort({ roomId: rid, source: 'src', epoch, target })).status).toBe('aborted');
    expect((await dir.moves.claim({ roomId: rid, epoch, from: 'src' }, 'dst')).status).toBe('refused');
  });

  it('abort and claim sent at once from two connections: exactly one side gets the room, every time', async () => {
    const other = await connected();
    for (let i = 0; i < 30; i++) {
      await link.call(['FLUSHALL']);
      const rid = await hostedRoom(dir, 'src');
      await dir.register(proc('dst'), 60_000);
      const { epoch, target } = begun(await dir.moves.begin(ask(rid)));
      const [claim, abort] = await Promise.all([
        other.dir.moves.claim({ roomId: rid, epoch, from: 'src' }, 'dst'),
        dir.moves.abort({ roomId: rid, source: 'src', epoch, target }),
      ]);
      const targetRuns = claim.status === 'claimed';
      const sourceRuns = abort.status === 'aborted';
      expect(targetRuns !== sourceRuns).toBe(true);
      expect((await dir.moves.moveOf(rid))?.owner).toBe(targetRuns ? 'dst' : 'src');
    }
  });

  it('handing-over → owned when the target dies before claiming: the sweep returns it, the source aborts, the late claim fails', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('dst'), 300);
    const { epoch, target } = begun(await dir.moves.begin(ask(rid)));
    expect(target).toBe('dst');
    // The target's heartbeat stops: its key and its liveness lapse by the Redis clock.
    await eventually(async () => (await link.call<number>(['EXISTS', KEYS.proc('dst')])) === 0);
    await dir.sweep();
    expect(await dir.moves.sweep()).toEqual({ returned: 1, forgotten: 0 });
    expect(await dir.moves.moveOf(rid)).toEqual({ owner: 'src', move: 'owned', epoch: 1, target: undefined });
    expect(await link.call(['EXISTS', KEYS.roomState(rid), KEYS.handovers, KEYS.procIncoming('dst')])).toBe(0);
    expect(await dir.moves.abort({ roomId: rid, source: 'src', epoch, target })).toEqual({ status: 'aborted' });
    expect((await dir.moves.claim({ roomId: rid, epoch, from: 'src' }, 'dst')).status).toBe('refused');
  });

  it('handing-over → owned when the source aborts at its deadline because the target is not alive, before any sweep', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('dst'), 300);
    const { epoch, target } = begun(await dir.moves.begin(ask(rid)));
    await eventually(async () => (await link.call<number>(['EXISTS', KEYS.proc('dst')])) === 0);
    // A claim by a process whose heartbeat lapsed is refused, so it never holds a room the sweep drops.
    expect((await dir.moves.claim({ roomId: rid, epoch, from: 'src' }, 'dst')).status).toBe('not-alive');
    expect(await dir.moves.abort({ roomId: rid, source: 'src', epoch, target })).toEqual({ status: 'aborted' });
    expect(await dir.moves.moveOf(rid)).toMatchObject({ owner: 'src', move: 'owned' });
  });

  it('handing-over → owned when its deadline passes unclaimed (the sweep), and the blob is gone', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('dst'), 60_000);
    const { epoch } = begun(await dir.moves.begin(ask(rid, { ttlMs: 200 })));
    await eventually(async () => (await dir.moves.sweep()).returned === 1);
    expect(await dir.moves.moveOf(rid)).toMatchObject({ owner: 'src', move: 'owned', epoch: 1 });
    expect(await link.call(['EXISTS', KEYS.roomState(rid)])).toBe(0);
    expect((await dir.moves.claim({ roomId: rid, epoch, from: 'src' }, 'dst')).status).toBe('refused');
  });

  it('prefers a process that started after the drain began over an older, less loaded one', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('old', { startedAt: DRAIN_AT - 60_000 }), 60_000);
    await dir.register(proc('new', { startedAt: DRAIN_AT + 5, players: 500, cpu: 0.5 }), 60_000);
    await link.call(['SADD', KEYS.procRooms('new'), 'r1', 'r2', 'r3']);
    expect(begun(await dir.moves.begin(ask(rid))).target).toBe('new');
  });

  it('among processes alike, takes the least loaded, counting rooms already handed to it', async () => {
    const [a, b] = [await hostedRoom(dir, 'src'), await hostedRoom(dir, 'src')];
    await dir.register(proc('p1'), 60_000);
    await dir.register(proc('p2'), 60_000);
    const first = begun(await dir.moves.begin(ask(a)));
    const second = begun(await dir.moves.begin(ask(b)));
    expect(new Set([first.target, second.target])).toEqual(new Set(['p1', 'p2']));
  });

  it('answers no-target when every live process is draining (and a dead one is never chosen); the room stays owned', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('busy', { draining: true }), 60_000);
    await dir.register(proc('dead'), 200);
    await eventually(async () => (await link.call<number>(['EXISTS', KEYS.proc('dead')])) === 0);
    expect(await dir.moves.begin(ask(rid))).toEqual({ status: 'no-target' });
    expect(await dir.moves.moveOf(rid)).toEqual({ owner: 'src', move: 'owned', epoch: 0, target: undefined });
    expect(await link.call(['EXISTS', KEYS.roomState(rid), KEYS.handovers])).toBe(0);
  });

  it('refuses a target over its caps: --max-rooms, and --max-total-players with the room’s players', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('full', { maxRooms: 1 }), 60_000);
    await link.call(['SADD', KEYS.procRooms('full'), 'r1']);
    await dir.register(proc('crowded', { players: 2046, maxTotalPlayers: 2048 }), 60_000);
    expect(await dir.moves.begin(ask(rid))).toEqual({ status: 'no-target' });
  });

  it('refuses a stale epoch: the first handover’s claim and abort never touch the second', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('dst'), 60_000);
    const first = begun(await dir.moves.begin(ask(rid)));
    expect((await dir.moves.abort({ roomId: rid, source: 'src', epoch: first.epoch, target: 'dst' })).status).toBe(
      'aborted',
    );
    const second = begun(await dir.moves.begin(ask(rid)));
    expect(second.epoch).toBe(first.epoch + 1);
    expect(await dir.moves.claim({ roomId: rid, epoch: first.epoch, from: 'src' }, 'dst')).toEqual({
      status: 'refused',
      epoch: second.epoch,
    });
    expect(await dir.moves.abort({ roomId: rid, source: 'src', epoch: first.epoch, target: 'dst' })).toEqual({
      status: 'stale',
      epoch: second.epoch,
    });
    expect(await dir.moves.moveOf(rid)).toMatchObject({ move: 'handing-over', epoch: second.epoch });
    expect((await dir.moves.claim({ roomId: rid, epoch: second.epoch, from: 'src' }, 'dst')).status).toBe('claimed');
  });

  it('refuses a claim by a process the room is not handed to, and a begin by one that does not own it or is already handing over', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('dst'), 60_000);
    await dir.register(proc('thief', { draining: true }), 60_000);
    const { epoch } = begun(await dir.moves.begin(ask(rid)));
    expect((await dir.moves.claim({ roomId: rid, epoch, from: 'src' }, 'thief')).status).toBe('refused');
    expect((await dir.moves.claim({ roomId: rid, epoch, from: 'thief' }, 'dst')).status).toBe('refused');
    expect(await dir.moves.begin(ask(rid))).toEqual({ status: 'busy', epoch });
    expect(await dir.moves.begin({ ...ask(rid), source: 'thief' })).toEqual({ status: 'not-owner', owner: 'src' });
    expect(await dir.moves.begin(ask('no-such-room'))).toEqual({ status: 'not-owner', owner: undefined });
    expect((await dir.moves.claim({ roomId: 'no-such-room', epoch, from: 'src' }, 'dst')).status).toBe('gone');
  });

  it('keeps a handing-over room when its source removes it: the claim still decides where it lives', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('dst'), 60_000);
    const { epoch } = begun(await dir.moves.begin(ask(rid)));
    await dir.removeRoom('src', { id: rid, ...shape, private: false, code: undefined, createdAt: 1 }, 'ended');
    expect(await dir.moves.moveOf(rid)).toMatchObject({ owner: 'src', move: 'handing-over' });
    expect((await dir.moves.claim({ roomId: rid, epoch, from: 'src' }, 'dst')).status).toBe('claimed');
  });

  it('forgets a handover whose source died and whose room was swept with it; its claim and abort answer gone', async () => {
    const rid = await hostedRoom(dir, 'src');
    await dir.register(proc('src', { draining: true, startedAt: 0 }), 300);
    await dir.register(proc('dst'), 60_000);
    const { epoch, target } = begun(await dir.moves.begin(ask(rid)));
    await eventually(async () => (await link.call<number>(['EXISTS', KEYS.proc('src')])) === 0);
    await eventually(async () => (await dir.sweep()).rooms === 1);
    expect(await dir.moves.sweep()).toEqual({ returned: 0, forgotten: 1 });
    expect(await link.call(['EXISTS', KEYS.roomState(rid), KEYS.handovers, KEYS.procIncoming('dst')])).toBe(0);
    expect((await dir.moves.claim({ roomId: rid, epoch, from: 'src' }, 'dst')).status).toBe('gone');
    expect((await dir.moves.abort({ roomId: rid, source: 'src', epoch, target })).status).toBe('gone');
  });

  it("tells the target on its own channel, and its inbox's resync finds an offer made before it listened", async () => {
    await dir.register(proc('dst'), 60_000);
    const early = await hostedRoom(dir, 'src');
    begun(await dir.moves.begin(ask(early)));
    const heard: Offer[] = [];
    const inbox = followHandovers(link, dir.moves, 'dst', (offer) => heard.push(offer), log);
    try {
      await eventually(async () => heard.length === 1);
      expect(heard[0]).toEqual({ roomId: early, epoch: 1, from: 'src' });
      const late = await hostedRoom(dir, 'src');
      begun(await dir.moves.begin(ask(late)));
      await eventually(async () => heard.length === 2);
      expect(heard[1]).toEqual({ roomId: late, epoch: 1, from: 'src' });
      // Something else published on its channel is not an offer.
      await link.call(['PUBLISH', KEYS.procChannel('dst'), '{"type":"handover","room":7}']);
      await link.call(['PUBLISH', KEYS.procChannel('dst'), 'not json']);
      const again = await hostedRoom(dir, 'src');
      begun(await dir.moves.begin(ask(again)));
      await eventually(async () => heard.length === 3);
      expect(heard[2]?.roomId).toBe(again);
    } finally {
      inbox.stop();
    }
  });

  it('reads only well-formed offers from the channel', () => {
    expect(offerOf('{"type":"handover","room":"r","epoch":3,"from":"p"}')).toEqual({
      roomId: 'r',
      epoch: 3,
      from: 'p',
    });
    for (const bad of [
      'null',
      '[]',
      '{"type":"added","room":"r","epoch":3,"from":"p"}',
      '{"type":"handover","room":"r","epoch":0,"from":"p"}',
      '{"type":"handover","room":"r","epoch":1.5,"from":"p"}',
      '{"type":"handover","room":"r","epoch":"3","from":"p"}',
      '{"type":"handover","epoch":3,"from":"p"}',
      '{"type":"handover","room":"r","epoch":3}',
      '{',
    ]) {
      expect(offerOf(bad)).toBeUndefined();
    }
  });
});
