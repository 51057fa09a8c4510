// Tests for entities entering and leaving the snapshot buffer (client/src/net/interpolation.ts), as
// interest management makes them do many times a second far from the origin: each state of an id
// belongs to one life, and nothing is drawn across two lives or past the last state of one.
import { EntityKind, type EntityTuple, mulberry32 } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { type EntitySnapshot, SnapshotBuffer } from '../src/net/interpolation.js';
import { NetClient } from '../src/net/netClient.js';
import { FakeSocket } from './support/fakeSocket.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

const TICK_RATE = 30;
/** The arena's top speed in quanta per tick. */
const SPEED_Q = 107;
/** Far from the origin: a world of 16,384 units is 262,144 quanta wide. */
const FAR = 200_000;

function newBuffer(capacity?: number): SnapshotBuffer {
  return new SnapshotBuffer({ tickRate: TICK_RATE, maxQuantaPerTick: SPEED_Q, ...(capacity ? { capacity } : {}) });
}

const at = (id: number, x: number, y = FAR, created = false): EntitySnapshot => ({ id, x, y, angle: 0, created });

describe('SnapshotBuffer: an entity entering the view', () => {
  it('appears at its true position far from the origin, at the tick it was created, and never before', () => {
    const buffer = newBuffer();
    for (let tick = 1; tick <= 3; tick++) buffer.push(tick, [at(1, FAR)], tick * 33);
    buffer.push(4, [at(1, FAR), at(2, FAR + 500, FAR, true)], 133);
    expect(buffer.sample(2, 3.5)).toBeUndefined();
    expect(buffer.sample(2, 4)).toMatchObject({ x: FAR + 500, y: FAR, lifeTick: 4 });
    // Past the newest snapshot with no earlier state of this life: held where it is, not extrapolated from 0.
    expect(buffer.sample(2, 6)).toMatchObject({ x: FAR + 500, y: FAR });
    buffer.push(5, [at(1, FAR), at(2, FAR + 600)], 166);
    expect(buffer.sample(2, 4.5)).toMatchObject({ x: FAR + 550, y: FAR, lifeTick: 4 });
  });

  it('starts a new life when created under an id the buffer held: no slide from where the old life was', () => {
    const buffer = newBuffer();
    buffer.push(5, [at(7, FAR)], 0);
    // Gone and back within one snapshot (a reused projectile id, a leave and enter between two
    // snapshots): 200 quanta away, well under the teleport distance, but another life.
    buffer.push(6, [at(7, FAR + 200, FAR, true)], 33);
    expect(buffer.sample(7, 5)).toMatchObject({ x: FAR, lifeTick: 5 });
    expect(buffer.sample(7, 5.5)).toBeUndefined();
    expect(buffer.sample(7, 6)).toMatchObject({ x: FAR + 200, lifeTick: 6 });
    // Extrapolating past the newest: no velocity taken from the older life.
    expect(buffer.sample(7, 7)).toMatchObject({ x: FAR + 200, lifeTick: 6 });
  });

  it('shows an id that left and entered again later at its new position, with no slide from where it left', () => {
    const buffer = newBuffer();
    buffer.push(5, [at(3, FAR)], 0);
    for (let tick = 6; tick <= 9; tick++) buffer.push(tick, [], tick * 33);
    buffer.push(10, [at(3, FAR + 3000, FAR + 3000, true)], 333);
    buffer.push(11, [at(3, FAR + 3050, FAR + 3000)], 366);
    for (const tick of [5.5, 7, 9.99]) expect(buffer.sample(3, tick)).toBeUndefined();
    expect(buffer.sample(3, 10)).toMatchObject({ x: FAR + 3000, y: FAR + 3000, lifeTick: 10 });
    expect(buffer.sample(3, 10.5)).toMatchObject({ x: FAR + 3025, y: FAR + 3000, lifeTick: 10 });
  });

  it('marks a state as a new life when the snapshot before lacks its id, even when it arrives out of order', () => {
    const buffer = newBuffer();
    buffer.push(5, [at(4, FAR)], 0);
    buffer.push(7, [at(4, FAR + 100)], 66);
    expect(buffer.sample(4, 6)).toMatchObject({ x: FAR + 50, lifeTick: 5 });
    buffer.push(6, [], 70); // late: the entity was out of view at tick 6
    expect(buffer.sample(4, 5.5)).toBeUndefined();
    expect(buffer.sample(4, 6.5)).toBeUndefined();
    expect(buffer.sample(4, 7)).toMatchObject({ x: FAR + 100, lifeTick: 7 });
  });
});

describe('NetClient: the snapshot buffer of a decoded delta', () => {
  const tuple = (id: number, x: number, kind: number = EntityKind.PLAYER): EntityTuple => ({
    id,
    vx: 0,
    vy: 0,
    x,
    y: 8000,
    angle: 0,
    hp: kind === EntityKind.PLAYER ? 100 : 0,
    kind,
  });

  it('takes an id in created as a new life even when its baseline held the id, and drops one in removed', () => {
    const socket = new FakeSocket();
    const client = new NetClient({ socket, name: 'me', seat: '', now: () => 0, pace: false });
    socket.deliver(welcomeMessage());
    socket.deliver({ ...emptySnapshot(10), created: [tuple(1, 16_000), tuple(40, 10_000, EntityKind.PROJECTILE)] });
    // Projectile 40 hit something and a new one took its id, 100 quanta away: created, not changed.
    socket.deliver({ ...emptySnapshot(11), baseAge: 1, created: [tuple(40, 10_100, EntityKind.PROJECTILE)] });
    const buffer = client.buffer!;
    expect(buffer.sample(40, 10)).toMatchObject({ x: 10_000, lifeTick: 10 });
    expect(buffer.sample(40, 10.5)).toBeUndefined();
    expect(buffer.sample(40, 11)).toMatchObject({ x: 10_100, lifeTick: 11 });
    socket.deliver({ ...emptySnapshot(12), baseAge: 1, removed: [40] });
    expect(buffer.sample(40, 11.5)).toBeUndefined();
    expect(buffer.sample(1, 11.5)).toMatchObject({ x: 16_000, lifeTick: 10 });
  });

  it('keeps every entity sliding into a full snapshot (a fallback after skipped snapshots lists all in created)', () => {
    const socket = new FakeSocket();
    const client = new NetClient({ socket, name: 'me', seat: '', now: () => 0, pace: false });
    socket.deliver(welcomeMessage());
    socket.deliver({ ...emptySnapshot(10), created: [tuple(1, 16_000), tuple(2, 4_000)] });
    // The server skipped this client for a while, then sent a full snapshot: every entity in created.
    socket.deliver({ ...emptySnapshot(20), created: [tuple(1, 16_100), tuple(2, 4_000)] });
    const buffer = client.buffer!;
    expect(buffer.sample(1, 15)).toMatchObject({ x: 16_050, lifeTick: 10 });
    expect(buffer.sample(2, 15)).toMatchObject({ x: 4_000, lifeTick: 10 });
  });
});

describe('SnapshotBuffer: an entity leaving the view', () => {
  it('is dropped as soon as the render tick passes its last state: not held, not extrapolated', () => {
    const buffer = newBuffer();
    buffer.push(5, [at(1, FAR), at(2, FAR)], 0);
    buffer.push(6, [at(1, FAR + 100), at(2, FAR + 100)], 33);
    buffer.push(7, [at(2, FAR + 200)], 66);
    expect(buffer.sample(1, 6)).toMatchObject({ x: FAR + 100 });
    expect(buffer.sample(1, 6.01)).toBeUndefined();
    expect(buffer.sample(1, 7)).toBeUndefined();
    // The render tick past the newest snapshot: the one still in view is extrapolated, the one gone is not.
    expect(buffer.sample(2, 8)).toMatchObject({ x: FAR + 300 });
    expect(buffer.sample(1, 8)).toBeUndefined();
  });

  it('is not frozen for the whole gap when the server skipped snapshots (baseAge 10)', () => {
    const buffer = newBuffer();
    buffer.push(10, [at(1, FAR), at(2, FAR)], 0);
    buffer.push(20, [at(2, FAR + 1000)], 333);
    expect(buffer.sample(2, 15)).toMatchObject({ x: FAR + 500 });
    expect(buffer.sample(1, 10)).toMatchObject({ x: FAR });
    expect(buffer.sample(1, 10.5)).toBeUndefined();
    expect(buffer.sample(1, 19.9)).toBeUndefined();
  });
});

/**
 * A server world seen through a moving view: every tick, `churn` entities leave and `churn` enter
 * (ids from a pool, so ids come back as new lives), all far from the origin and moving ≤ 1 top
 * speed a tick. Returns each tick's view: what push() gets, and the truth of every life.
 */
function* churningView(seed: number, ticks: number, inView: number, churn: number, idPool: number) {
  const random = mulberry32(seed);
  const view = new Map<number, { x: number; y: number; lifeTick: number }>();
  const free: number[] = [];
  for (let id = 1; id <= idPool; id++) free.push(id);
  const take = (): number => free.splice(Math.floor(random() * free.length), 1)[0]!;
  for (let tick = 1; tick <= ticks; tick++) {
    const created = new Set<number>();
    const leaving = [...view.keys()].filter(() => random() < churn / inView).slice(0, churn);
    for (const id of leaving) {
      view.delete(id);
      free.push(id);
    }
    while (view.size < inView) {
      const id = take();
      view.set(id, { x: FAR + Math.floor(random() * 50_000), y: FAR + Math.floor(random() * 50_000), lifeTick: tick });
      created.add(id);
    }
    const entities: EntitySnapshot[] = [];
    const lives = new Map<number, number>();
    for (const [id, e] of view) {
      if (!created.has(id)) {
        e.x += Math.round((random() * 2 - 1) * SPEED_Q * 0.7);
        e.y += Math.round((random() * 2 - 1) * SPEED_Q * 0.7);
      }
      entities.push({ id, x: e.x, y: e.y, angle: 0, created: created.has(id) });
      lives.set(id, e.lifeTick);
    }
    yield { tick, entities, lives };
  }
}

describe('SnapshotBuffer: many entering and leaving every second', () => {
  it('draws each entity only within one life, between two of its own states, rendered at 60 fps on a driven clock', () => {
    // 40 in view, up to 8 leaving and as many entering per snapshot at 30 Hz: up to 240 of each a second.
    const frames = [...churningView(7, 300, 40, 8, 120)];
    const buffer = newBuffer();
    const byTick = new Map(frames.map((f) => [f.tick, f]));
    let drawn = 0;
    let pushed = 0;
    /** Every broken rule, as text: collected rather than asserted one by one, for speed. */
    const faults: string[] = [];
    // The client's clock in ms; snapshot t arrives at t × 33.3 ms, the render tick trails by 3 ticks.
    for (let nowMs = 0; nowMs <= 10_000; nowMs += 1000 / 60) {
      while (pushed < frames.length && frames[pushed]!.tick * (1000 / TICK_RATE) <= nowMs) {
        const frame = frames[pushed++]!;
        buffer.push(frame.tick, frame.entities, nowMs);
      }
      const renderTick = (nowMs * TICK_RATE) / 1000 - 3;
      if (buffer.size === 0 || renderTick < 1) continue;
      const before = byTick.get(Math.floor(renderTick))!;
      const after = byTick.get(Math.floor(renderTick) + 1);
      for (const id of buffer.idsAt(renderTick)) {
        const sample = buffer.sample(id, renderTick);
        const life = before.lives.get(id);
        const onTick = renderTick === before.tick;
        const sameLifeNext = after !== undefined && after.lives.get(id) === life;
        if (life === undefined || (!onTick && !sameLifeNext)) {
          if (sample !== undefined) faults.push(`${id} at ${renderTick}: drawn, but gone or a new life next`);
          continue;
        }
        if (sample === undefined || sample.lifeTick !== life) {
          faults.push(`${id} at ${renderTick}: life ${sample?.lifeTick}, not ${life}`);
          continue;
        }
        const a = before.entities.find((e) => e.id === id)!;
        const b = sameLifeNext ? after.entities.find((e) => e.id === id)! : a;
        const within = (v: number, p: number, q: number) => v >= Math.min(p, q) && v <= Math.max(p, q);
        if (!within(sample.x, a.x, b.x) || !within(sample.y, a.y, b.y)) {
          faults.push(`${id} at ${renderTick}: (${sample.x}, ${sample.y}) off its path`);
        }
        drawn++;
      }
    }
    expect(faults).toEqual([]);
    expect(drawn).toBeGreaterThan(10_000);
  });

  it('keeps its memory bounded however many come and go: 47,000 enters and as many leaves a minute for three minutes', () => {
    const capacity = 64;
    const inView = 60;
    const buffer = newBuffer(capacity);
    // Up to 28 leave and as many enter per snapshot at 30 Hz (26.5 on average: 47,700 of each a
    // minute), over 4,000 reused ids.
    const sizes: number[] = [];
    let enters = 0;
    for (const frame of churningView(11, 5_400, inView, 28, 4_000)) {
      buffer.push(frame.tick, frame.entities, frame.tick * 33);
      for (const e of frame.entities) if (e.created) enters++;
      // Every 30 s: snapshots held, and entity states held over all of them.
      if (frame.tick % 900 === 0) sizes.push(buffer.size, buffer.storedStates);
    }
    expect(sizes).toEqual(Array.from({ length: 6 }, () => [capacity, capacity * inView]).flat());
    expect(enters).toBeGreaterThan(3 * 47_000);
  });
});
