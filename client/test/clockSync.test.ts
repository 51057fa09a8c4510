// Tests for the client's server clock estimate (client/src/net/clockSync.ts), on a seeded fake link and clock.
import { mulberry32 } from '@tickwire/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClockSync, DEFAULT_MAX_SLEW_MS_PER_SECOND } from '../src/net/clockSync.js';
import { PingSchedule } from '../src/net/pingSchedule.js';

const TICK_RATE = 30;
const PERIOD_MS = 1000 / TICK_RATE;
const FRAME_MS = 1000 / 60;

/**
 * One direction of a TCP-like link: each message takes baseMs ± jitterMs (uniform, independent), messages
 * are delivered in order, and anything due during a stall is held and delivered, in order, when it ends.
 */
function tcpChannel(random: () => number, baseMs: number, jitterMs: number, stall?: { fromMs: number; toMs: number }) {
  let lastArrivalMs = Number.NEGATIVE_INFINITY;
  return (sendMs: number): number => {
    let arrivalMs = sendMs + baseMs + (random() * 2 - 1) * jitterMs;
    if (stall && arrivalMs >= stall.fromMs && arrivalMs < stall.toMs) arrivalMs = stall.toMs;
    lastArrivalMs = Math.max(arrivalMs, lastArrivalMs);
    return lastArrivalMs;
  };
}

interface Trace {
  /** Client ms of each frame, and |applied − true offset| then. */
  frameMs: number[];
  errorMs: number[];
  /** offsetMs after each update(), to check the slew limit between consecutive calls. */
  offsetMs: number[];
  snapCount: number;
}

/**
 * A client pinging every `pingEveryMs` over a 100 ± 30 ms link to a server whose clock is off by a random
 * ±10 s, answering each PING in its next snapshot (the next tick boundary). Frames at 60 fps call update().
 */
function simulate(
  seed: number,
  options: { durationMs: number; pingEveryMs: number; stall?: { fromMs: number; toMs: number } },
): Trace {
  const random = mulberry32(seed);
  const trueOffsetMs = (random() * 2 - 1) * 10_000;
  const up = tcpChannel(random, 100, 30, options.stall);
  const down = tcpChannel(random, 100, 30, options.stall);
  const pongs: { clientSendMs: number; serverReceiveTick: number; serverSendTick: number; clientReceiveMs: number }[] =
    [];
  for (let sendMs = 0; sendMs < options.durationMs; sendMs += options.pingEveryMs) {
    const serverReceiveTick = (up(sendMs) + trueOffsetMs) / PERIOD_MS;
    const serverSendTick = Math.floor(serverReceiveTick) + 1;
    const clientReceiveMs = down(serverSendTick * PERIOD_MS - trueOffsetMs);
    pongs.push({ clientSendMs: sendMs, serverReceiveTick, serverSendTick, clientReceiveMs });
  }
  const sync = new ClockSync({ tickRate: TICK_RATE });
  const trace: Trace = { frameMs: [], errorMs: [], offsetMs: [], snapCount: 0 };
  let next = 0;
  for (let frame = 0; frame * FRAME_MS <= options.durationMs; frame++) {
    const nowMs = frame * FRAME_MS;
    for (; next < pongs.length && pongs[next]!.clientReceiveMs <= nowMs; next++) sync.addSample(pongs[next]!);
    sync.update(nowMs);
    if (!sync.synced) continue;
    trace.frameMs.push(nowMs);
    trace.errorMs.push(Math.abs(sync.offsetMs - trueOffsetMs));
    trace.offsetMs.push(sync.offsetMs);
  }
  trace.snapCount = sync.snapCount;
  return trace;
}

/** The invariant every run must keep: between consecutive frames the applied offset moves at most maxSlew × elapsed. */
function expectSlewWithinLimit(trace: Trace, maxSlewMsPerSecond = DEFAULT_MAX_SLEW_MS_PER_SECOND): void {
  for (let k = 1; k < trace.offsetMs.length; k++) {
    const allowedMs = (maxSlewMsPerSecond * (trace.frameMs[k]! - trace.frameMs[k - 1]!)) / 1000;
    expect(Math.abs(trace.offsetMs[k]! - trace.offsetMs[k - 1]!)).toBeLessThanOrEqual(allowedMs + 1e-9);
  }
}

/** Client ms from which |error| stays ≤ limitMs until the end of the trace. */
function settledAtMs(trace: Trace, limitMs: number): number {
  let k = trace.errorMs.length;
  while (k > 0 && trace.errorMs[k - 1]! <= limitMs) k--;
  return k === trace.errorMs.length ? Number.POSITIVE_INFINITY : trace.frameMs[k]!;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('ClockSync', () => {
  it('sets the offset directly from the first sample, and maps client ms to server ticks with it', () => {
    const sync = new ClockSync({ tickRate: TICK_RATE });
    // 40 ms each way, server clock 5000 ms ahead: the PING leaves at client 1000 (server 6000).
    expect(
      sync.addSample({
        clientSendMs: 1000,
        serverReceiveTick: 6040 / PERIOD_MS,
        serverSendTick: 6050 / PERIOD_MS,
        clientReceiveMs: 1090,
      }),
    ).toBe(true);
    expect(sync.synced).toBe(true);
    expect(sync.offsetMs).toBeCloseTo(5000, 9);
    expect(sync.roundTripMs).toBeCloseTo(80, 9);
    expect(sync.serverTimeMsAt(2000)).toBeCloseTo(7000, 9);
    expect(sync.serverTickAt(2000)).toBeCloseTo(7000 / PERIOD_MS, 9);
    expect(sync.serverTickAt(2000)).toBeCloseTo(2000 / PERIOD_MS + sync.offsetTicks, 9);
    expect(sync.clientMsAtServerTick(sync.serverTickAt(1234))).toBeCloseTo(1234, 9);
  });

  it('refuses impossible samples: negative round trip, send before receive, NaN', () => {
    const sync = new ClockSync({ tickRate: TICK_RATE });
    expect(sync.addSample({ clientSendMs: 100, serverReceiveTick: 10, serverSendTick: 20, clientReceiveMs: 200 })).toBe(
      false,
    );
    expect(sync.addSample({ clientSendMs: 100, serverReceiveTick: 11, serverSendTick: 10, clientReceiveMs: 200 })).toBe(
      false,
    );
    expect(
      sync.addSample({ clientSendMs: 100, serverReceiveTick: Number.NaN, serverSendTick: 10, clientReceiveMs: 200 }),
    ).toBe(false);
    expect(sync.rejectedCount).toBe(3);
    expect(sync.synced).toBe(false);
  });

  it('ignores a jitter spike: a sample with one slow leg does not move the target', () => {
    const sync = new ClockSync({ tickRate: TICK_RATE });
    const offsetMs = 3000;
    const ping = (sendMs: number, upMs: number, downMs: number) =>
      sync.addSample({
        clientSendMs: sendMs,
        serverReceiveTick: (sendMs + upMs + offsetMs) / PERIOD_MS,
        serverSendTick: (sendMs + upMs + offsetMs + 10) / PERIOD_MS,
        clientReceiveMs: sendMs + upMs + 10 + downMs,
      });
    ping(0, 50, 50);
    ping(100, 50, 50);
    expect(sync.targetOffsetMs).toBeCloseTo(offsetMs, 2); // within the 15 ppm widening of older samples
    ping(200, 400, 50); // uplink spike
    ping(300, 50, 400); // downlink spike
    expect(sync.targetOffsetMs).toBeCloseTo(offsetMs, 2); // within the 15 ppm widening of older samples
    expect(sync.roundTripMs).toBeCloseTo(100, 9);
    expect(sync.latestRoundTripMs).toBeCloseTo(450, 9);
  });

  it('takes the fastest uplink and the fastest downlink from different pings', () => {
    const sync = new ClockSync({ tickRate: TICK_RATE });
    const offsetMs = -2500;
    const ping = (sendMs: number, upMs: number, downMs: number) =>
      sync.addSample({
        clientSendMs: sendMs,
        serverReceiveTick: (sendMs + upMs + offsetMs) / PERIOD_MS,
        serverSendTick: (sendMs + upMs + offsetMs) / PERIOD_MS,
        clientReceiveMs: sendMs + upMs + downMs,
      });
    ping(0, 60, 90); // fast up, slow down: midpoint alone is 15 ms off
    ping(100, 90, 60); // slow up, fast down: 15 ms off the other way
    expect(sync.targetOffsetMs).toBeCloseTo(offsetMs, 2); // within the 15 ppm widening of older samples
    expect(sync.roundTripMs).toBeCloseTo(150, 9);
  });

  it('slews a small correction at maxSlewMsPerSecond, and snaps one larger than 250 ms', () => {
    const sync = new ClockSync({ tickRate: TICK_RATE });
    const sample = (sendMs: number, offsetMs: number) =>
      sync.addSample({
        clientSendMs: sendMs,
        serverReceiveTick: (sendMs + 20 + offsetMs) / PERIOD_MS,
        serverSendTick: (sendMs + 20 + offsetMs) / PERIOD_MS,
        clientReceiveMs: sendMs + 40,
      });
    sample(0, 1000); // 20 ms each way
    expect(sync.offsetMs).toBeCloseTo(1000, 9);
    // A faster round trip (10 ms each way) whose bracket [995, 1015] narrows the window to 1005.
    sync.addSample({
      clientSendMs: 100,
      serverReceiveTick: (100 + 10 + 1005) / PERIOD_MS,
      serverSendTick: (100 + 10 + 1005) / PERIOD_MS,
      clientReceiveMs: 120,
    });
    expect(sync.targetOffsetMs).toBeCloseTo(1005, 9);
    sync.update(240); // 200 ms after the first sample's receipt: 2 ms of the 5 ms
    expect(sync.offsetMs).toBeCloseTo(1002, 9);
    sync.update(1240);
    expect(sync.offsetMs).toBeCloseTo(1005, 9);
    expect(sync.snapCount).toBe(1);
    // The server restarts with a clock 60 s later: the window restarts and the offset snaps.
    sample(2000, 61_000);
    expect(sync.resetCount).toBe(1);
    expect(sync.sampleCount).toBe(1);
    sync.update(2100);
    expect(sync.offsetMs).toBeCloseTo(61_000, 9);
    expect(sync.snapCount).toBe(2);
  });

  describe('over 100 seeds: 100 ± 30 ms each way, offset up to ±10 s, 10 Hz pings, a 500 ms stall at 5 s', () => {
    const seeds = Array.from({ length: 100 }, (_, k) => k + 1);
    const stall = { fromMs: 5000, toMs: 5500 };
    let traces: Trace[] = [];
    beforeAll(() => {
      traces = seeds.map((seed) => simulate(seed, { durationMs: 10_000, pingEveryMs: 100, stall }));
    });

    it('keeps the p95 over seeds of |error| ≤ 5 ms at every frame from 3 s on, through the stall', () => {
      const worstAfter3s = traces.map((trace) =>
        Math.max(...trace.errorMs.filter((_, k) => trace.frameMs[k]! >= 3000)),
      );
      const settled = traces.map((trace) => settledAtMs(trace, 5) / 1000);
      const p95 = percentile(worstAfter3s, 95);
      console.log(
        `clockSync: p95 over seeds of max |error| from 3 s to 10 s = ${p95.toFixed(2)} ms ` +
          `(worst seed ${Math.max(...worstAfter3s).toFixed(2)} ms); |error| ≤ 5 ms for good after ` +
          `median ${percentile(settled, 50).toFixed(2)} s, p95 ${percentile(settled, 95).toFixed(2)} s`,
      );
      expect(p95).toBeLessThanOrEqual(5);
    });

    it('never changes the applied offset faster than 10 ms per second after the first sample', () => {
      for (const trace of traces) {
        expectSlewWithinLimit(trace);
        expect(trace.snapCount).toBe(1);
      }
    });
  });

  it("stays within 5 ms for 90 s at PingSchedule's rate (10 Hz for 3 s, then 1 Hz), clocks drifting 50 ppm apart", () => {
    const worst: number[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      const random = mulberry32(seed + 1000);
      const trueOffsetMs = (random() * 2 - 1) * 10_000;
      const rate = 1 + 50e-6;
      const serverMsAt = (clientMs: number) => clientMs * rate + trueOffsetMs;
      const clientMsAt = (serverMs: number) => (serverMs - trueOffsetMs) / rate;
      const up = tcpChannel(random, 100, 30);
      const down = tcpChannel(random, 100, 30);
      const sync = new ClockSync({ tickRate: TICK_RATE });
      const pings = new PingSchedule();
      const inFlight: {
        clientSendMs: number;
        serverReceiveTick: number;
        serverSendTick: number;
        clientReceiveMs: number;
      }[] = [];
      let worstMs = 0;
      for (let frame = 0; frame * FRAME_MS <= 90_000; frame++) {
        const nowMs = frame * FRAME_MS;
        if (pings.due(nowMs)) {
          const serverReceiveTick = serverMsAt(up(nowMs)) / PERIOD_MS;
          const serverSendTick = Math.floor(serverReceiveTick) + 1;
          const clientReceiveMs = down(clientMsAt(serverSendTick * PERIOD_MS));
          inFlight.push({ clientSendMs: nowMs, serverReceiveTick, serverSendTick, clientReceiveMs });
        }
        while (inFlight.length > 0 && inFlight[0]!.clientReceiveMs <= nowMs) sync.addSample(inFlight.shift()!);
        sync.update(nowMs);
        if (nowMs >= 3000) worstMs = Math.max(worstMs, Math.abs(sync.serverTimeMsAt(nowMs) - serverMsAt(nowMs)));
      }
      worst.push(worstMs);
    }
    expect(percentile(worst, 95)).toBeLessThanOrEqual(5);
  });
});
