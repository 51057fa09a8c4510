// Tests for remote-entity interpolation: the snapshot buffer (client/src/net/interpolation.ts) and the
// adaptive render clock (client/src/net/renderClock.ts), driven end to end through a seeded fake link.
import { FIELD_COUNT, FieldIndex, mulberry32, WorldState } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { ClockSync } from '../src/net/clockSync.js';
import { lerpAngle, SnapshotBuffer } from '../src/net/interpolation.js';
import { DEFAULT_MAX_RATE_BOOST, RenderClock } from '../src/net/renderClock.js';

const TICK_RATE = 30;
const PERIOD_MS = 1000 / TICK_RATE;
const FRAME_MS = 1000 / 60;
/** The arena's top speed, 200 units/s × 16 quanta / 30 Hz, rounded up to the grid. */
const SPEED_Q = 107;
const EPSILON = DEFAULT_MAX_RATE_BOOST;

function newBuffer(capacity?: number): SnapshotBuffer {
  return new SnapshotBuffer({ tickRate: TICK_RATE, maxQuantaPerTick: SPEED_Q, ...(capacity ? { capacity } : {}) });
}

describe('SnapshotBuffer', () => {
  it('interpolates linearly between the two snapshots around the render tick', () => {
    const buffer = newBuffer();
    buffer.push(10, [{ id: 7, x: 1000, y: 2000, angle: 10 }], 0);
    buffer.push(11, [{ id: 7, x: 1100, y: 1950, angle: 20 }], 33);
    expect(buffer.sample(7, 10)).toMatchObject({ x: 1000, y: 2000, angle: 10 });
    expect(buffer.sample(7, 10.25)).toMatchObject({ x: 1025, y: 1987.5, angle: 12.5 });
    expect(buffer.sample(7, 11)).toMatchObject({ x: 1100, y: 1950, angle: 20 });
    expect(buffer.sample(8, 10.5)).toBeUndefined();
  });

  it("carries each entity's kind and hp from the snapshot at or before the render tick, never blended", () => {
    const buffer = newBuffer();
    buffer.push(
      10,
      [
        { id: 7, x: 1000, y: 0, angle: 0, kind: 0, hp: 100 },
        { id: 300, x: 0, y: 0, angle: 0, kind: 1 },
      ],
      0,
    );
    buffer.push(
      11,
      [
        { id: 7, x: 1100, y: 0, angle: 0, kind: 0, hp: 80 },
        { id: 300, x: 256, y: 0, angle: 0, kind: 1 },
      ],
      33,
    );
    expect(buffer.sample(7, 10.5)).toEqual({ x: 1050, y: 0, angle: 0, kind: 0, hp: 100, lifeTick: 10 });
    expect(buffer.sample(7, 11)).toEqual({ x: 1100, y: 0, angle: 0, kind: 0, hp: 80, lifeTick: 10 });
    // A projectile: 256 quanta a tick (480 units/s) is no teleport at the player's top speed of 107.
    expect(buffer.sample(300, 10.5)).toEqual({ x: 128, y: 0, angle: 0, kind: 1, hp: 0, lifeTick: 10 });
    const scratch = { x: 0, y: 0, angle: 0 };
    expect(buffer.sample(300, 12, scratch)).toBe(scratch);
    expect(scratch).toMatchObject({ kind: 1 });
  });

  it('turns the short way round: 250 → 5 passes through 0, and 5 → 250 back through it', () => {
    expect(lerpAngle(250, 5, 0.5)).toBeCloseTo(255.5, 9);
    expect(lerpAngle(250, 5, 0.75)).toBeCloseTo(2.25, 9);
    expect(lerpAngle(5, 250, 0.5)).toBeCloseTo(255.5, 9);
    const buffer = newBuffer();
    buffer.push(1, [{ id: 1, x: 0, y: 0, angle: 250 }], 0);
    buffer.push(2, [{ id: 1, x: 0, y: 0, angle: 5 }], 33);
    const angles = [0, 0.2, 0.4, 0.6, 0.8, 1].map((f) => buffer.sample(1, 1 + f)!.angle);
    const unwrapped = angles.map((a) => (a < 128 ? a + 256 : a));
    expect(unwrapped).toEqual([...unwrapped].sort((a, b) => a - b));
    expect(unwrapped.at(-1)! - unwrapped[0]!).toBeCloseTo(11, 9);
  });

  it('snaps a teleport at the later snapshot instead of sliding: a long jump, or the teleport flag', () => {
    const buffer = newBuffer();
    buffer.push(1, [{ id: 1, x: 0, y: 0, angle: 0 }], 0);
    buffer.push(3, [{ id: 1, x: 3 * SPEED_Q * 2 + 1, y: 0, angle: 0 }], 66); // just over 3× top speed for 2 ticks
    buffer.push(4, [{ id: 1, x: 700, y: 0, angle: 0, teleport: true }], 100); // a short step, but flagged
    buffer.push(5, [{ id: 1, x: 600, y: 0, angle: 64 }], 133); // an ordinary step back
    expect(buffer.sample(1, 2.99)!.x).toBe(0);
    expect(buffer.sample(1, 3)!.x).toBe(643);
    expect(buffer.sample(1, 3.99)!.x).toBe(643);
    expect(buffer.sample(1, 4)!.x).toBe(700);
    expect(buffer.sample(1, 4.5)).toMatchObject({ x: 650, y: 0, angle: 32 });
  });

  it('extrapolates from the last two snapshots for 250 ms past the newest, then holds', () => {
    const buffer = newBuffer();
    buffer.push(1, [{ id: 1, x: 100, y: 100, angle: 3 }], 0);
    buffer.push(2, [{ id: 1, x: 150, y: 90, angle: 9 }], 33);
    expect(buffer.sample(1, 3)).toMatchObject({ x: 200, y: 80, angle: 9 }); // angle held
    const limitTicks = (250 / 1000) * TICK_RATE; // 7.5
    expect(buffer.sample(1, 2 + limitTicks)!.x).toBeCloseTo(150 + 50 * limitTicks, 9);
    expect(buffer.sample(1, 100)).toEqual(buffer.sample(1, 2 + limitTicks));
    // No velocity to carry on from: a single snapshot, or a teleport into the newest, holds.
    const single = newBuffer();
    single.push(1, [{ id: 1, x: 5, y: 5, angle: 0 }], 0);
    expect(single.sample(1, 4)).toMatchObject({ x: 5, y: 5, angle: 0 });
    const teleported = newBuffer();
    teleported.push(1, [{ id: 1, x: 0, y: 0, angle: 0 }], 0);
    teleported.push(2, [{ id: 1, x: 5000, y: 0, angle: 0 }], 33);
    expect(teleported.sample(1, 4)).toMatchObject({ x: 5000, y: 0, angle: 0 });
  });

  it('holds at the oldest snapshot before it, and follows entities created and removed', () => {
    const buffer = newBuffer();
    buffer.push(5, [{ id: 1, x: 10, y: 0, angle: 0 }], 0);
    buffer.push(
      6,
      [
        { id: 1, x: 20, y: 0, angle: 0 },
        { id: 2, x: 0, y: 0, angle: 0 },
      ],
      33,
    );
    buffer.push(7, [{ id: 2, x: 10, y: 0, angle: 0 }], 66);
    expect(buffer.sample(1, 2)!.x).toBe(10);
    expect(buffer.sample(2, 5.5)).toBeUndefined(); // created at tick 6
    expect(buffer.sample(2, 6.5)!.x).toBe(5);
    expect(buffer.sample(1, 6)!.x).toBe(20);
    expect(buffer.sample(1, 6.5)).toBeUndefined(); // removed at tick 7: dropped after its last state, not held
    expect(buffer.sample(1, 7)).toBeUndefined();
    expect([...buffer.idsAt(6.5)]).toEqual([1, 2]);
    expect([...buffer.idsAt(7)]).toEqual([2]);
  });

  it('sorts snapshots that arrive out of order, refuses duplicates, and evicts the oldest beyond its capacity', () => {
    const buffer = newBuffer(3);
    buffer.push(2, [{ id: 1, x: 20, y: 0, angle: 0 }], 0);
    buffer.push(4, [{ id: 1, x: 40, y: 0, angle: 0 }], 1);
    buffer.push(3, [{ id: 1, x: 30, y: 0, angle: 0 }], 2);
    expect(buffer.sample(1, 3.5)!.x).toBe(35);
    expect(buffer.push(3, [{ id: 1, x: 0, y: 0, angle: 0 }], 3)).toBe(false);
    buffer.push(5, [{ id: 1, x: 50, y: 0, angle: 0 }], 3);
    expect([buffer.oldestTick, buffer.newestTick, buffer.size]).toEqual([3, 5, 3]);
    expect(buffer.push(1, [], 4)).toBe(false); // older than everything held, and full
    expect(buffer.droppedCount).toBe(2);
  });
});

/**
 * One direction of a TCP-like link: baseMs ± jitter (uniform, independent per message), in-order delivery,
 * and anything due during a stall held and delivered, in order, when it ends.
 */
function tcpChannel(
  random: () => number,
  baseMs: number,
  jitterMsAt: (sendMs: number) => number,
  stall?: { fromMs: number; toMs: number },
) {
  let lastArrivalMs = Number.NEGATIVE_INFINITY;
  return (sendMs: number): number => {
    let arrivalMs = sendMs + baseMs + (random() * 2 - 1) * jitterMsAt(sendMs);
    if (stall && arrivalMs >= stall.fromMs && arrivalMs < stall.toMs) arrivalMs = stall.toMs;
    lastArrivalMs = Math.max(lastArrivalMs, arrivalMs);
    return lastArrivalMs;
  };
}

interface Frame {
  clientMs: number;
  renderTick: number;
  /** Rendered x, and the true x on the entity's path at renderTick. */
  x: number;
  trueX: number;
  rate: number;
  delayMs: number;
  lagMs: number;
  targetDelayMs: number;
  jitterMs: number;
  extrapolatingMs: number;
  snapshotRateHz: number;
}

interface SessionOptions {
  durationMs: number;
  /** One-way jitter (±, uniform) for a message sent at client time sendMs. @default 30 ms */
  jitterMsAt?: (sendMs: number) => number;
  /** The server stops sending snapshots at this client time. */
  snapshotsUntilMs?: number;
  /** Added to every server tick estimate the render clock sees (it must not matter). */
  clockErrorMs?: number;
  /** Both directions deliver nothing in this client-time span, then everything held at once. */
  stall?: { fromMs: number; toMs: number };
}

/**
 * A client watching one remote entity move +107 quanta per tick along x, over a 100 ms ± jitter link to a
 * server (30 Hz ticks, a snapshot per tick) whose clock is off by a random ±10 s. The client pings at
 * 10 Hz; each snapshot carries the pong of the newest PING since the last one. Frames at 60 fps.
 */
function runSession(seed: number, options: SessionOptions): Frame[] {
  const random = mulberry32(seed);
  const trueOffsetMs = (random() * 2 - 1) * 10_000;
  const jitterMsAt = options.jitterMsAt ?? (() => 30);
  const up = tcpChannel(random, 100, jitterMsAt, options.stall);
  const down = tcpChannel(random, 100, jitterMsAt, options.stall);
  const startX = 1000;
  const firstTick = Math.ceil((trueOffsetMs + 50) / PERIOD_MS);
  const trueX = (tick: number) => startX + SPEED_Q * (tick - firstTick);

  const pings: { clientSendMs: number; serverReceiveTick: number }[] = [];
  for (let sendMs = 0; sendMs < options.durationMs; sendMs += 100) {
    pings.push({ clientSendMs: sendMs, serverReceiveTick: (up(sendMs) + trueOffsetMs) / PERIOD_MS });
  }
  const snapshots: { tick: number; arrivalMs: number; pong: (typeof pings)[number] | undefined }[] = [];
  let nextPing = 0;
  const lastTick = Math.floor(
    (trueOffsetMs + Math.min(options.durationMs, options.snapshotsUntilMs ?? Infinity)) / PERIOD_MS,
  );
  for (let tick = firstTick; tick <= lastTick; tick++) {
    let pong: (typeof pings)[number] | undefined;
    for (; nextPing < pings.length && pings[nextPing]!.serverReceiveTick <= tick; nextPing++) pong = pings[nextPing];
    snapshots.push({ tick, arrivalMs: down(tick * PERIOD_MS - trueOffsetMs), pong });
  }

  const sync = new ClockSync({ tickRate: TICK_RATE });
  const buffer = new SnapshotBuffer({ tickRate: TICK_RATE, maxQuantaPerTick: SPEED_Q });
  const clock = new RenderClock({ tickRate: TICK_RATE, snapshotRate: TICK_RATE });
  const errorTicks = (options.clockErrorMs ?? 0) / PERIOD_MS;
  const frames: Frame[] = [];
  let next = 0;
  for (let frame = 0; frame * FRAME_MS <= options.durationMs; frame++) {
    const nowMs = frame * FRAME_MS;
    for (; next < snapshots.length && snapshots[next]!.arrivalMs <= nowMs; next++) {
      const s = snapshots[next]!;
      if (s.pong) sync.addSample({ ...s.pong, serverSendTick: s.tick, clientReceiveMs: s.arrivalMs });
      buffer.push(s.tick, [{ id: 1, x: trueX(s.tick), y: 500, angle: 0 }], s.arrivalMs);
      // Until the first pong the server clock is unknown: snapshots are buffered but not timed.
      if (sync.synced) clock.onSnapshot(s.tick, s.arrivalMs, sync.serverTickAt(s.arrivalMs) + errorTicks);
    }
    sync.update(nowMs);
    if (!sync.synced) continue;
    const renderTick = clock.update(nowMs, sync.serverTickAt(nowMs) + errorTicks);
    if (renderTick === undefined) continue;
    frames.push({
      clientMs: nowMs,
      renderTick,
      x: buffer.sample(1, renderTick)!.x,
      trueX: trueX(renderTick),
      rate: clock.rate,
      delayMs: clock.delayMs,
      lagMs: clock.lagMs,
      targetDelayMs: clock.targetDelayMs,
      jitterMs: clock.jitterMs,
      extrapolatingMs: clock.extrapolatingMs,
      snapshotRateHz: clock.snapshotRateHz,
    });
  }
  return frames;
}

/**
 * The invariants every rendered session keeps: the entity is on its true path within one quantum, never
 * steps back along it, and render time never decreases nor runs faster than 1 + ε times real time.
 */
function expectSmoothRender(frames: Frame[]): void {
  expect(frames.length).toBeGreaterThan(0);
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k]!;
    expect(Math.abs(f.x - f.trueX)).toBeLessThanOrEqual(1);
    expect(f.rate).toBeGreaterThanOrEqual(0);
    expect(f.rate).toBeLessThanOrEqual(1 + EPSILON + 1e-9);
    if (k === 0) continue;
    const prev = frames[k - 1]!;
    expect(f.renderTick).toBeGreaterThanOrEqual(prev.renderTick);
    expect(f.x).toBeGreaterThanOrEqual(prev.x);
    const realTicks = (f.clientMs - prev.clientMs) / PERIOD_MS;
    expect(f.renderTick - prev.renderTick).toBeLessThanOrEqual((1 + EPSILON) * realTicks + 1e-9);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The frame at or just before client time ms. */
function frameAt(frames: Frame[], ms: number): Frame {
  return frames.filter((f) => f.clientMs <= ms).at(-1)!;
}

describe('RenderClock', () => {
  it('renders a 107 q/tick entity on its path at every frame over a 100 ± 30 ms link, 30 seeds', () => {
    const delays: number[] = [];
    const lags: number[] = [];
    const jitters: number[] = [];
    let extrapolatingFrames = 0;
    let steadyFrames = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const frames = runSession(seed, { durationMs: 10_000 });
      expectSmoothRender(frames);
      for (const f of frames.filter((f) => f.clientMs >= 5000)) {
        delays.push(f.delayMs);
        lags.push(f.lagMs);
        jitters.push(f.jitterMs);
        steadyFrames++;
        if (f.extrapolatingMs > 0) extrapolatingFrames++;
      }
    }
    console.log(
      `renderClock under 100 ± 30 ms: interpolation delay median ${median(delays).toFixed(1)} ms ` +
        `(range ${Math.min(...delays).toFixed(1)}–${Math.max(...delays).toFixed(1)}), behind the server clock ` +
        `${median(lags).toFixed(1)} ms, jitter (peak-to-peak) ${median(jitters).toFixed(1)} ms, ` +
        `frames extrapolating ${((100 * extrapolatingFrames) / steadyFrames).toFixed(2)} %`,
    );
    expect(median(delays)).toBeGreaterThan(2 * PERIOD_MS);
    expect(median(delays)).toBeLessThan(150);
  });

  it('raises the delay quickly when jitter increases, and lowers it slowly when it drops', () => {
    // ±5 ms until 8 s, ±40 ms until 16 s, ±5 ms after.
    const jitterMsAt = (sendMs: number) => (sendMs >= 8000 && sendMs < 16_000 ? 40 : 5);
    const frames = runSession(7, { durationMs: 30_000, jitterMsAt });
    expectSmoothRender(frames);
    const calm = frameAt(frames, 7900).delayMs;
    const rough = frameAt(frames, 15_900).delayMs;
    console.log(
      `renderClock delay: ${calm.toFixed(1)} ms at ±5 ms, ${rough.toFixed(1)} ms at ±40 ms, then ` +
        [17, 20, 22, 25, 30].map((s) => `${frameAt(frames, s * 1000).delayMs.toFixed(1)} at ${s} s`).join(', '),
    );
    expect(rough).toBeGreaterThan(calm + 40);
    // Up quickly: most of the way within a second of the change (plus the link's 100 ms).
    expect(frameAt(frames, 9200).delayMs).toBeGreaterThan(calm + 0.6 * (rough - calm));
    // Down slowly: still high a second after the link calms, back near the calm figure at the end.
    expect(frameAt(frames, 17_100).delayMs).toBeGreaterThan(rough - 10);
    expect(frameAt(frames, 30_000).delayMs).toBeLessThan(calm + 10);
    // Never faster than the clock's ε allows (plus ClockSync's own ≤ 10 ms/s slew).
    for (let k = 1; k < frames.length; k++) {
      const dt = frames[k]!.clientMs - frames[k - 1]!.clientMs;
      expect(frames[k - 1]!.lagMs - frames[k]!.lagMs).toBeLessThanOrEqual((EPSILON + 0.01) * dt + 1e-6);
    }
  });

  it('extrapolates for 250 ms when snapshots stop, then holds the render tick', () => {
    const frames = runSession(3, { durationMs: 4000, snapshotsUntilMs: 3000 });
    expectSmoothRender(frames);
    const held = frames.filter((f) => f.extrapolatingMs >= 250 - 1e-9);
    expect(held.length).toBeGreaterThan(10);
    expect(Math.max(...frames.map((f) => f.extrapolatingMs))).toBeCloseTo(250, 9);
    expect(new Set(held.map((f) => f.renderTick)).size).toBe(1);
    expect(held.slice(1).every((f) => f.rate === 0)).toBe(true);
    // It only got there through extrapolation that stayed on the path (checked by expectSmoothRender).
    expect(frames.some((f) => f.extrapolatingMs > 0 && f.extrapolatingMs < 250)).toBe(true);
  });

  it('rides out a 500 ms stall: extrapolates 250 ms, holds, resumes without stepping back, recovers its delay', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const frames = runSession(seed, { durationMs: 15_000, stall: { fromMs: 5000, toMs: 5500 } });
      expectSmoothRender(frames);
      const during = frames.filter((f) => f.clientMs >= 5000 && f.clientMs < 5500);
      expect(Math.max(...during.map((f) => f.extrapolatingMs))).toBeCloseTo(250, 9);
      expect(Math.max(...frames.map((f) => f.targetDelayMs))).toBeLessThanOrEqual(300);
      const before = frameAt(frames, 4900).delayMs;
      expect(Math.abs(frameAt(frames, 15_000).delayMs - before)).toBeLessThan(20);
    }
  });

  it('renders the same ticks whatever constant error the server clock estimate carries', () => {
    const exact = runSession(11, { durationMs: 5000 });
    const off = runSession(11, { durationMs: 5000, clockErrorMs: 400 });
    expect(off.length).toBe(exact.length);
    for (let k = 0; k < exact.length; k++) expect(off[k]!.renderTick).toBeCloseTo(exact[k]!.renderTick, 6);
  });

  it('reports the snapshot rate it measures, and nothing before the first snapshot', () => {
    const clock = new RenderClock({ tickRate: TICK_RATE, snapshotRate: 20 });
    expect(clock.update(0, 100)).toBeUndefined();
    expect(clock.targetDelayMs).toBeCloseTo(100, 9); // two 50 ms intervals
    const frames = runSession(5, { durationMs: 5000 });
    expect(frameAt(frames, 5000).snapshotRateHz).toBeCloseTo(30, 0);
  });
});

describe('SnapshotBuffer.pushWorld', () => {
  it('stores a decoded world exactly as push() stores the same entities', () => {
    const world = new WorldState(8, 8);
    world.reset(42);
    const entities = [
      { id: 3, vx: 5, vy: -5, x: 1600, y: 3200, angle: 64, hp: 100, kind: 0 },
      { id: 7, vx: 0, vy: 0, x: 0, y: 16, angle: 255, hp: 0, kind: 1 },
    ];
    for (const entity of entities) {
      const row = world.add(entity.id, 1);
      for (const [name, index] of Object.entries(FieldIndex)) {
        world.values[row * FIELD_COUNT + index] = entity[name as keyof typeof entity];
      }
    }
    const fromWorld = newBuffer();
    const fromList = newBuffer();
    expect(fromWorld.pushWorld(world, 1000)).toBe(true);
    expect(fromList.push(42, entities, 1000)).toBe(true);
    for (const { id } of entities) expect(fromWorld.sample(id, 42)).toEqual(fromList.sample(id, 42));
    expect([...fromWorld.idsAt(42)]).toEqual([3, 7]);
    // The same tick again is refused, as push() refuses it.
    expect(fromWorld.pushWorld(world, 1033)).toBe(false);
  });
});
