// Tests for the seeded link simulator (client/src/net/networkSimulator.ts), on a ManualScheduler: no test sleeps.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { decodeClientFrame, encodeServerMessage } from '@tickwire/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { openWsSocket } from '../src/bot/wsSocket.js';
import { Connection } from '../src/net/connection.js';
import {
  type LinkOptions,
  type LinkScheduler,
  ManualScheduler,
  parseLinkOptions,
  realTimeScheduler,
  SimulatedSocket,
} from '../src/net/networkSimulator.js';
import { SOCKET_OPEN, type SocketCloseEvent, type SocketLike, type SocketMessageEvent } from '../src/net/socketLike.js';
import { welcomeMessage } from './support/messages.js';

/** An inner socket the test plays the server through: records what reaches it, emits what the server sends. */
class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = SOCKET_OPEN;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: SocketMessageEvent) => void) | null = null;
  onclose: ((event: SocketCloseEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** What reached the wire, with the clock reading at the time. */
  readonly sent: { atMs: number; bytes: Uint8Array }[] = [];
  readonly closes: { atMs: number; code?: number; reason?: string }[] = [];

  constructor(private readonly clock: ManualScheduler) {}

  send(data: Uint8Array): void {
    this.sent.push({ atMs: this.clock.now(), bytes: data });
  }
  close(code?: number, reason?: string): void {
    this.closes.push({ atMs: this.clock.now(), code, reason });
  }
  receive(bytes: Uint8Array): void {
    this.onmessage?.({ data: bytes.slice().buffer });
  }
  closedByPeer(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

interface Link {
  clock: ManualScheduler;
  inner: FakeSocket;
  socket: SimulatedSocket;
  /** What reached the wrapper's onmessage and onclose, with the clock reading at the time. */
  received: { atMs: number; bytes: Uint8Array }[];
  closed: { atMs: number; event: SocketCloseEvent }[];
}

function link(options: LinkOptions, startMs = 0): Link {
  const clock = new ManualScheduler(startMs);
  const inner = new FakeSocket(clock);
  const socket = new SimulatedSocket(inner, options, clock);
  const received: Link['received'] = [];
  const closed: Link['closed'] = [];
  socket.onmessage = (event) => received.push({ atMs: clock.now(), bytes: new Uint8Array(event.data as ArrayBuffer) });
  socket.onclose = (event) => closed.push({ atMs: clock.now(), event });
  return { clock, inner, socket, received, closed };
}

/** A frame of `size` bytes, each byte `tag`, so tests can tell frames apart after the trip. */
function frame(tag: number, size = 1): Uint8Array<ArrayBuffer> {
  return new Uint8Array(size).fill(tag);
}

/** The one-way delays of `count` frames sent one at a time, far enough apart never to queue behind each other. */
function delays(options: LinkOptions, count: number): number[] {
  const { clock, inner, socket } = link(options);
  const result: number[] = [];
  for (let i = 0; i < count; i++) {
    const sentAt = clock.now();
    socket.send(frame(i));
    clock.advanceBy(10_000);
    result.push(inner.sent[i]!.atMs - sentAt);
  }
  return result;
}

describe('SimulatedSocket', () => {
  it('delays frames by the latency in both directions', () => {
    const { clock, inner, socket, received } = link({ latencyMs: 150 });
    socket.send(frame(1));
    inner.receive(frame(2));
    clock.advanceTo(149);
    expect(inner.sent).toEqual([]);
    expect(received).toEqual([]);
    expect(socket.stats.up).toMatchObject({ framesInFlight: 1, bytesInFlight: 1 });
    expect(socket.stats.down).toMatchObject({ framesInFlight: 1, bytesInFlight: 1 });
    clock.advanceTo(150);
    expect(inner.sent).toEqual([{ atMs: 150, bytes: frame(1) }]);
    expect(received).toEqual([{ atMs: 150, bytes: frame(2) }]);
    expect(socket.stats.up).toEqual({
      framesInFlight: 0,
      bytesInFlight: 0,
      framesDelivered: 1,
      bytesDelivered: 1,
      maxDelayMs: 150,
    });
    expect(socket.stats.down.maxDelayMs).toBe(150);
  });

  it('takes per-direction settings over the shared ones', () => {
    const { clock, inner, socket, received } = link({
      latencyMs: 100,
      up: { latencyMs: 20 },
      down: { latencyMs: undefined, bandwidthBytesPerSecond: 1000 },
    });
    socket.send(frame(1, 100));
    inner.receive(frame(2, 100));
    clock.advanceTo(1000);
    expect(inner.sent[0]!.atMs).toBe(20);
    // The shared 100 ms latency, after 100 ms of serialization at 1000 B/s.
    expect(received[0]!.atMs).toBe(200);
  });

  it('adds jitter in [0, jitter) on top of the latency, the same for the same seed', () => {
    const options = { latencyMs: 50, jitterMs: 30, seed: 7 };
    const first = delays(options, 200);
    for (const delay of first) {
      expect(delay).toBeGreaterThanOrEqual(50);
      expect(delay).toBeLessThan(80);
    }
    // Spread over the range, not a constant.
    expect(Math.min(...first)).toBeLessThan(55);
    expect(Math.max(...first)).toBeGreaterThan(75);
    expect(delays(options, 200)).toEqual(first);
    expect(delays({ ...options, seed: 8 }, 200)).not.toEqual(first);
  });

  it('draws the up and the down jitter from separate streams', () => {
    const { clock, inner, socket, received } = link({ jitterMs: 1000, seed: 3 });
    socket.send(frame(1));
    inner.receive(frame(2));
    clock.advanceTo(10_000);
    expect(inner.sent[0]!.atMs).not.toBe(received[0]!.atMs);
  });

  it('never reorders frames, whatever the jitter, bandwidth and stalls', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff_ffff }),
        fc.record({
          latencyMs: fc.integer({ min: 0, max: 300 }),
          jitterMs: fc.integer({ min: 0, max: 1000 }),
          bandwidthBytesPerSecond: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 100, max: 1e6 })),
          stalls: fc.array(fc.record({ atMs: fc.nat(2000), durationMs: fc.nat(500) }), { maxLength: 3 }),
        }),
        fc.array(fc.tuple(fc.nat(50), fc.integer({ min: 1, max: 500 }), fc.boolean()), { minLength: 1, maxLength: 60 }),
        (seed, options, sends) => {
          const { clock, inner, socket, received } = link({ ...options, seed });
          const sentAtMs: number[] = [];
          sends.forEach(([gapMs, size, up], i) => {
            clock.advanceBy(gapMs);
            sentAtMs.push(clock.now());
            if (up) socket.send(frame(i, size));
            else inner.receive(frame(i, size));
          });
          clock.advanceTo(1e9);
          for (const [delivered, stats] of [
            [inner.sent, socket.stats.up],
            [received, socket.stats.down],
          ] as const) {
            const tags = delivered.map(({ bytes }) => bytes[0]!);
            expect(tags).toEqual([...tags].sort((a, b) => a - b));
            const times = delivered.map(({ atMs }) => atMs);
            expect(times).toEqual([...times].sort((a, b) => a - b));
            const delays = delivered.map(({ atMs, bytes }) => atMs - sentAtMs[bytes[0]!]!);
            for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(options.latencyMs);
            // The planned delays the counters keep are the ones the frames actually took.
            expect(stats.maxDelayMs).toBe(Math.max(0, ...delays));
          }
          expect(inner.sent.length + received.length).toBe(sends.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('spaces frames by their serialization time at the bandwidth', () => {
    const { clock, inner, socket } = link({ latencyMs: 50, bandwidthBytesPerSecond: 1000 });
    for (let i = 0; i < 3; i++) socket.send(frame(i, 100));
    clock.advanceTo(1000);
    // 100 bytes at 1000 B/s serialize in 100 ms each, then travel 50 ms.
    expect(inner.sent.map(({ atMs }) => atMs)).toEqual([150, 250, 350]);
    expect(socket.stats.up.maxDelayMs).toBe(350);
  });

  it('lets a frame sent after the link went idle start at once', () => {
    const { clock, inner, socket } = link({ bandwidthBytesPerSecond: 1000 });
    socket.send(frame(1, 100));
    clock.advanceTo(500);
    socket.send(frame(2, 100));
    clock.advanceTo(1000);
    expect(inner.sent.map(({ atMs }) => atMs)).toEqual([100, 600]);
  });

  it('holds frames through a stall and releases them in order at its end', () => {
    const { clock, inner, socket, received } = link({ latencyMs: 20, stalls: [{ atMs: 100, durationMs: 400 }] }, 1000);
    // Times are from creation (clock 1000): the stall is [1100, 1500).
    clock.advanceTo(1070);
    socket.send(frame(1)); // due 1090, before the stall
    clock.advanceTo(1090);
    socket.send(frame(2)); // due 1110, in it
    inner.receive(frame(3));
    clock.advanceTo(1300);
    socket.send(frame(4));
    inner.receive(frame(5));
    clock.advanceTo(1499);
    expect(inner.sent.map(({ bytes }) => bytes[0])).toEqual([1]);
    expect(received).toEqual([]);
    clock.advanceTo(1500);
    expect(inner.sent.slice(1)).toEqual([
      { atMs: 1500, bytes: frame(2) },
      { atMs: 1500, bytes: frame(4) },
    ]);
    expect(received).toEqual([
      { atMs: 1500, bytes: frame(3) },
      { atMs: 1500, bytes: frame(5) },
    ]);
    // After the stall, the latency alone again.
    socket.send(frame(6));
    clock.advanceTo(1520);
    expect(inner.sent[3]).toEqual({ atMs: 1520, bytes: frame(6) });
  });

  it('chains back-to-back stalls', () => {
    const { clock, inner, socket } = link({
      stalls: [
        { atMs: 200, durationMs: 100 },
        { atMs: 100, durationMs: 100 },
      ],
    });
    clock.advanceTo(150);
    socket.send(frame(1));
    clock.advanceTo(1000);
    expect(inner.sent[0]!.atMs).toBe(300);
  });

  it("delivers the peer's close after the frames received before it", () => {
    const { clock, inner, socket, received, closed } = link({ latencyMs: 100, jitterMs: 50 });
    inner.receive(frame(1, 10));
    inner.receive(frame(2, 10));
    inner.closedByPeer(4001, 'bye');
    expect(socket.readyState).toBe(3);
    clock.advanceTo(1000);
    expect(received.map(({ bytes }) => bytes[0])).toEqual([1, 2]);
    expect(closed).toHaveLength(1);
    expect(closed[0]!.event).toEqual({ code: 4001, reason: 'bye' });
    expect(closed[0]!.atMs).toBeGreaterThanOrEqual(received[1]!.atMs);
    expect(clock.pendingTimers).toBe(0);
  });

  it('sends its own close after the frames sent before it, and nothing after', () => {
    const { clock, inner, socket } = link({ latencyMs: 100 });
    socket.send(frame(1));
    socket.close(1000, 'done');
    expect(socket.readyState).toBe(2);
    socket.send(frame(2));
    clock.advanceTo(99);
    expect(inner.closes).toEqual([]);
    clock.advanceTo(100);
    expect(inner.sent).toEqual([{ atMs: 100, bytes: frame(1) }]);
    expect(inner.closes).toEqual([{ atMs: 100, code: 1000, reason: 'done' }]);
  });

  it('drops frames still going up once the close has come down', () => {
    const { clock, inner, socket, closed } = link({ up: { latencyMs: 500 }, down: { latencyMs: 10 } });
    socket.send(frame(1));
    inner.closedByPeer(1006);
    clock.advanceTo(1000);
    expect(closed).toHaveLength(1);
    expect(inner.sent).toEqual([]);
    expect(socket.stats.up.framesInFlight).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('copies outgoing bytes at send time', () => {
    const { clock, inner, socket } = link({ latencyMs: 10 });
    const buffer = frame(1, 4);
    socket.send(buffer);
    buffer.fill(9);
    clock.advanceTo(10);
    expect(inner.sent[0]!.bytes).toEqual(frame(1, 4));
  });

  it('passes open, error, readyState and binaryType through undelayed', () => {
    const { inner, socket } = link({ latencyMs: 100 });
    const events: string[] = [];
    socket.onopen = () => events.push('open');
    socket.onerror = () => events.push('error');
    inner.onopen?.({});
    inner.onerror?.({});
    expect(events).toEqual(['open', 'error']);
    socket.binaryType = 'arraybuffer';
    expect(inner.binaryType).toBe('arraybuffer');
    inner.readyState = 0;
    expect(socket.readyState).toBe(0);
  });

  it('rejects settings out of range', () => {
    const inner = new FakeSocket(new ManualScheduler());
    expect(() => new SimulatedSocket(inner, { latencyMs: -1 }, new ManualScheduler())).toThrow(
      'up.latencyMs must be from 0 to 60000, got -1',
    );
    expect(() => new SimulatedSocket(inner, { down: { bandwidthBytesPerSecond: 0 } }, new ManualScheduler())).toThrow(
      'down.bandwidthBytesPerSecond must be above 0, got 0',
    );
  });

  it('carries a Connection through a real ws server on the real-time scheduler', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
    try {
      await once(server, 'listening');
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
      const connected = once(server, 'connection') as Promise<[WebSocket]>;
      const startMs = performance.now();
      const welcomed = new Promise<number>((resolve) => {
        new Connection(new SimulatedSocket(openWsSocket(url), { latencyMs: 20 }, realTimeScheduler()), {
          name: 'bot0',
          seat: '',
          now: () => performance.now(),
          onWelcome: (_welcome, nowMs) => resolve(nowMs),
        });
      });
      const [peer] = await connected;
      const [hello] = (await once(peer, 'message')) as [Buffer];
      expect(decodeClientFrame(hello)).toMatchObject({ ok: true });
      peer.send(encodeServerMessage(welcomeMessage({ tick: 5 })));
      // HELLO up and WELCOME down, 20 ms each way (timers never fire early on this clock by more than 1 ms).
      expect((await welcomed) - startMs).toBeGreaterThanOrEqual(39);
    } finally {
      for (const client of server.clients) client.terminate();
      server.close();
    }
  });
});

describe('parseLinkOptions', () => {
  it('is undefined without link parameters', () => {
    expect(parseLinkOptions(new URLSearchParams('name=ann&e2e'))).toBeUndefined();
    expect(parseLinkOptions({ name: 'ann', latency: undefined })).toBeUndefined();
  });

  it('reads latency, jitter, bandwidth, seed and stalls', () => {
    expect(
      parseLinkOptions(new URLSearchParams('latency=150&jitter=30&bandwidth=64000&seed=9&stall=5000:2000,9000:500')),
    ).toEqual({
      latencyMs: 150,
      jitterMs: 30,
      bandwidthBytesPerSecond: 64000,
      seed: 9,
      stalls: [
        { atMs: 5000, durationMs: 2000 },
        { atMs: 9000, durationMs: 500 },
      ],
    });
    expect(parseLinkOptions({ jitter: '12.5' })).toEqual({ jitterMs: 12.5 });
  });

  it.each([
    ['latency=', 'link parameter latency must be a number from 0 to 60000, got ""'],
    ['latency=-5', 'link parameter latency must be a number from 0 to 60000, got "-5"'],
    ['jitter=lots', 'link parameter jitter must be a number from 0 to 60000, got "lots"'],
    ['bandwidth=0', 'link parameter bandwidth must be above 0'],
    ['seed=1.5', 'link parameter seed must be an integer from 0 to 2147483647, got "1.5"'],
    ['stall=5000', 'link parameter stall takes AT_MS:DURATION_MS, got "5000"'],
  ])('rejects %s', (query, message) => {
    expect(() => parseLinkOptions(new URLSearchParams(query))).toThrow(message);
  });
});

/** Timers that fire only at "frames", late, as a busy browser tab's do: now() is the frame's time. */
class FrameScheduler implements LinkScheduler {
  timeMs = 0;
  private timers: { atMs: number; fn: () => void; handle: number }[] = [];
  private nextHandle = 1;
  now(): number {
    return this.timeMs;
  }
  setTimer(atMs: number, fn: () => void): number {
    const handle = this.nextHandle++;
    this.timers.push({ atMs, fn, handle });
    return handle;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  }
  /** One frame at `nowMs`: each timer due by then fires once (timers set meanwhile wait a frame). */
  frame(nowMs: number): void {
    this.timeMs = nowMs;
    const due = this.timers.filter((t) => t.atMs <= nowMs);
    this.timers = this.timers.filter((t) => t.atMs > nowMs);
    for (const timer of due) timer.fn();
  }
}

describe('SimulatedSocket with late timers', () => {
  it('delivers everything that fell due when a timer fires late, so delays stay bounded by the lateness', () => {
    const clock = new FrameScheduler();
    const inner = new FakeSocket(new ManualScheduler());
    const socket = new SimulatedSocket(inner, { latencyMs: 150 }, clock);
    const received: number[] = [];
    socket.onmessage = () => received.push(clock.now());
    // 30 messages a second arrive for 10 s; the page only runs a frame every 40 ms.
    let nextMessageMs = 0;
    let sentCount = 0;
    for (let t = 0; t <= 10_000; t += 40) {
      while (nextMessageMs <= t) {
        clock.timeMs = nextMessageMs;
        inner.receive(frame(sentCount++ % 256));
        nextMessageMs += 1000 / 30;
      }
      clock.frame(t);
    }
    // Each message is late by at most one frame past its 150 ms: the backlog never grows.
    const inFlight = sentCount - received.length;
    expect(inFlight).toBeLessThanOrEqual(Math.ceil((150 + 40) / (1000 / 30)) + 1);
    expect(socket.stats.down.framesInFlight).toBe(inFlight);
  });
});
