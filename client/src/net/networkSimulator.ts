// A seeded bad network around any SocketLike: latency, jitter, bandwidth and stalls, in order like
// TCP. Created once per connection (tests, bots, the browser's ?latency=); runs per frame and per timer.
import { mulberry32 } from '@tickwire/protocol';
import {
  payloadBytes,
  SOCKET_OPEN,
  type SocketCloseEvent,
  type SocketLike,
  type SocketMessageEvent,
} from './socketLike.js';

/**
 * One direction of the link. Every field is optional; `LinkOptions` gives the shared values and
 * `up` / `down` override them field by field.
 *
 * A frame's delivery time, per direction (frame n was sent at `sentAt`):
 *
 *   sentAt ── wait for frame n−1 to finish serializing ──[ bytes / rate ]── latency + U[0, jitter) ──► due
 *   delivery = after-stalls( max(due, delivery of frame n−1) )
 *
 * so a frame never overtakes the one sent ahead of it, whatever the jitter (TCP's in-order delivery).
 */
export interface DirectionLinkOptions {
  /** One-way base delay added to every frame. @default 0 ms */
  latencyMs?: number;
  /**
   * Each frame's extra delay, drawn uniformly from [0, jitterMs) and added to `latencyMs`: jitter
   * only ever lengthens the delay. Frame n of a direction uses draw n of that direction's stream. @default 0 ms
   */
  jitterMs?: number;
  /**
   * Serialization rate: a frame starts serializing when it is sent or when the previous frame of
   * this direction finished, whichever is later, and takes `bytes / rate` seconds; its latency
   * starts after that. Payload bytes, no WebSocket or TCP framing. @default Infinity B/s (no limit)
   */
  bandwidthBytesPerSecond?: number;
}

/** A window in which nothing is delivered in either direction; frames due in it arrive at its end, in order. */
export interface LinkStall {
  /** Start, in ms after the SimulatedSocket was created. */
  atMs: number;
  /** Length in ms; the window is [atMs, atMs + durationMs). */
  durationMs: number;
}

export interface LinkOptions extends DirectionLinkOptions {
  /** Client → server overrides (what `send` carries). @default the shared fields */
  up?: DirectionLinkOptions;
  /** Server → client overrides (what `onmessage` and `onclose` carry). @default the shared fields */
  down?: DirectionLinkOptions;
  /** @default [] (no stalls) */
  stalls?: readonly LinkStall[];
  /**
   * Seeds the jitter: the first two draws of mulberry32(seed) seed the up and the down streams,
   * so the same seed gives the same delays, and seed and seed + 1 share no stream. @default 1
   */
  seed?: number;
}

/** Longest latency or jitter accepted, per direction: larger values are typing mistakes. @default 60000 ms */
export const MAX_LINK_DELAY_MS = 60_000;

/** Largest seed accepted from a URL or a flag (mulberry32 reads any integer modulo 2^32). */
export const MAX_LINK_SEED = 0x7fff_ffff;

/** Timers on a clock in ms; tests pass a ManualScheduler, everything else realTimeScheduler(). */
export interface LinkScheduler {
  now(): number;
  /** Calls `fn` once, at `atMs` on this clock or later. */
  setTimer(atMs: number, fn: () => void): unknown;
  clearTimer(handle: unknown): void;
}

/**
 * setTimeout on the performance.now() clock, in the browser and in Node, never early. Node measures a
 * delay from its own millisecond loop clock, so a plain setTimeout can fire up to ~2 ms before
 * `atMs` by performance.now() (1.7 ms measured over 1350 timers of a busy loop), and a 200 ms link
 * would deliver in 198 ms. A timer that wakes early is set again for the rest.
 */
export function realTimeScheduler(): LinkScheduler {
  return {
    now: () => performance.now(),
    setTimer: (atMs, fn) => {
      const handle: { timer: ReturnType<typeof setTimeout> | undefined } = { timer: undefined };
      const arm = (): void => {
        handle.timer = setTimeout(
          () => (performance.now() >= atMs ? fn() : arm()),
          Math.max(0, atMs - performance.now()),
        );
      };
      arm();
      return handle;
    },
    clearTimer: (handle) => clearTimeout((handle as { timer: ReturnType<typeof setTimeout> | undefined }).timer),
  };
}

/** A clock that moves only when a test says so, firing the timers due on the way: for tests. */
export class ManualScheduler implements LinkScheduler {
  private timeMs: number;
  private readonly timers = new Map<number, { atMs: number; fn: () => void }>();
  private nextHandle = 1;

  constructor(startMs = 0) {
    this.timeMs = startMs;
  }

  now(): number {
    return this.timeMs;
  }

  setTimer(atMs: number, fn: () => void): number {
    const handle = this.nextHandle++;
    this.timers.set(handle, { atMs, fn });
    return handle;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Fires every timer due by `nowMs` (also those set while firing), earliest first, ties in order set. */
  advanceTo(nowMs: number): void {
    for (;;) {
      let next: number | undefined;
      for (const [handle, timer] of this.timers) {
        if (timer.atMs <= nowMs && (next === undefined || timer.atMs < this.timers.get(next)!.atMs)) next = handle;
      }
      if (next === undefined) break;
      const timer = this.timers.get(next)!;
      this.timers.delete(next);
      this.timeMs = Math.max(this.timeMs, timer.atMs);
      timer.fn();
    }
    this.timeMs = Math.max(this.timeMs, nowMs);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.timeMs + ms);
  }
}

/** One direction's counters, read at any time. */
export interface LinkDirectionStats {
  /** Messages queued and not yet delivered, and their payload bytes. */
  framesInFlight: number;
  bytesInFlight: number;
  framesDelivered: number;
  bytesDelivered: number;
  /** The longest planned delay of a message so far, from send to delivery (timer lateness not included), in ms. */
  maxDelayMs: number;
}

type Frame<T> = { kind: 'message'; item: T; bytes: number; sentAtMs: number; dueMs: number } | CloseFrame;
type CloseFrame = { kind: 'close'; sentAtMs: number; dueMs: number; deliver: () => void };

/** One direction's queue: times every frame on send, delivers them in order from one timer. */
class LinkDirection<T> {
  readonly stats: LinkDirectionStats = {
    framesInFlight: 0,
    bytesInFlight: 0,
    framesDelivered: 0,
    bytesDelivered: 0,
    maxDelayMs: 0,
  };
  private readonly queue: Frame<T>[] = [];
  private readonly latencyMs: number;
  private readonly jitterMs: number;
  private readonly msPerByte: number;
  private serializedUntilMs = Number.NEGATIVE_INFINITY;
  private lastDeliveryMs = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private timerSet = false;

  constructor(
    name: 'up' | 'down',
    options: DirectionLinkOptions,
    private readonly random: () => number,
    private readonly scheduler: LinkScheduler,
    private readonly stallEnd: (atMs: number) => number,
    private readonly deliver: (item: T) => void,
  ) {
    this.latencyMs = checked(`${name}.latencyMs`, options.latencyMs ?? 0, 0, MAX_LINK_DELAY_MS);
    this.jitterMs = checked(`${name}.jitterMs`, options.jitterMs ?? 0, 0, MAX_LINK_DELAY_MS);
    const rate = options.bandwidthBytesPerSecond ?? Number.POSITIVE_INFINITY;
    if (!(rate > 0)) throw new RangeError(`${name}.bandwidthBytesPerSecond must be above 0, got ${rate}`);
    this.msPerByte = 1000 / rate;
  }

  sendMessage(item: T, bytes: number): void {
    const nowMs = this.scheduler.now();
    this.push({ kind: 'message', item, bytes, sentAtMs: nowMs, dueMs: this.dueMs(nowMs, bytes) });
    this.stats.framesInFlight++;
    this.stats.bytesInFlight += bytes;
  }

  /** A close travels as a zero-byte frame: after every frame sent ahead of it. */
  sendClose(deliver: () => void): void {
    const nowMs = this.scheduler.now();
    this.push({ kind: 'close', deliver, sentAtMs: nowMs, dueMs: this.dueMs(nowMs, 0) });
  }

  /** Drops every undelivered frame (the connection is gone) and the timer with them. */
  discard(): void {
    this.queue.length = 0;
    this.stats.framesInFlight = 0;
    this.stats.bytesInFlight = 0;
    if (this.timerSet) this.scheduler.clearTimer(this.timer);
    this.timerSet = false;
  }

  private dueMs(nowMs: number, bytes: number): number {
    const serializedMs = Math.max(nowMs, this.serializedUntilMs) + bytes * this.msPerByte;
    this.serializedUntilMs = serializedMs;
    // One draw per frame, jitter or not, so frame n's delay depends only on the seed and n.
    const arrivalMs = serializedMs + this.latencyMs + this.random() * this.jitterMs;
    // The stall shift keeps times in order (it maps a window to its end), so in-order holds after it too.
    const deliveryMs = this.stallEnd(Math.max(arrivalMs, this.lastDeliveryMs));
    this.lastDeliveryMs = deliveryMs;
    return deliveryMs;
  }

  private push(frame: Frame<T>): void {
    this.queue.push(frame);
    this.arm();
  }

  private arm(): void {
    const head = this.queue[0];
    if (head === undefined || this.timerSet) return;
    const atMs = head.dueMs;
    this.timerSet = true;
    this.timer = this.scheduler.setTimer(atMs, () => this.pump(atMs));
  }

  /**
   * Delivers every frame due by the later of `atMs` (the timer's own time: a real timer firing a
   * little early by the performance clock still counts as due) and now (a timer firing late, as
   * browser timers do behind a long frame, must not leave the frames that fell due meanwhile to a
   * timer each, or the queue falls further behind with every message). A handler may send or close
   * meanwhile; frames it adds are due no earlier than those ahead of them, so they wait their turn.
   */
  private pump(atMs: number): void {
    this.timerSet = false;
    const limitMs = Math.max(atMs, this.scheduler.now());
    for (;;) {
      const frame = this.queue[0];
      if (frame === undefined || frame.dueMs > limitMs) break;
      this.queue.shift();
      if (frame.kind === 'close') {
        frame.deliver();
        continue;
      }
      const stats = this.stats;
      stats.framesInFlight--;
      stats.bytesInFlight -= frame.bytes;
      stats.framesDelivered++;
      stats.bytesDelivered += frame.bytes;
      stats.maxDelayMs = Math.max(stats.maxDelayMs, frame.dueMs - frame.sentAtMs);
      this.deliver(frame.item);
    }
    this.arm();
  }
}

/** WebSocket.CLOSING in both implementations. */
const SOCKET_CLOSING = 2;

type Handler<E> = ((event: E) => void) | null;

/**
 * A SocketLike that carries `inner`'s traffic over a simulated link (see DirectionLinkOptions).
 * `send` and `close` are delayed on the way up; `onmessage` and `onclose` on the way down, the close
 * after every message received before it. `onopen` and `onerror` are not delayed (the handshake is
 * not simulated). `readyState` and `binaryType` are the inner socket's, except that readyState is
 * CLOSING from close() until the inner socket says more.
 */
export class SimulatedSocket implements SocketLike {
  onopen: Handler<unknown> = null;
  onmessage: Handler<SocketMessageEvent> = null;
  onclose: Handler<SocketCloseEvent> = null;
  onerror: Handler<unknown> = null;
  readonly stats: { readonly up: LinkDirectionStats; readonly down: LinkDirectionStats };
  private readonly up: LinkDirection<Uint8Array<ArrayBuffer>>;
  private readonly down: LinkDirection<SocketMessageEvent>;
  private closeRequested = false;

  constructor(
    private readonly inner: SocketLike,
    options: LinkOptions = {},
    scheduler: LinkScheduler = realTimeScheduler(),
  ) {
    const startMs = scheduler.now();
    const stalls = (options.stalls ?? []).map(({ atMs, durationMs }, i) => {
      checked(`stalls[${i}].atMs`, atMs, 0, Number.MAX_SAFE_INTEGER);
      checked(`stalls[${i}].durationMs`, durationMs, 0, Number.MAX_SAFE_INTEGER);
      return { fromMs: startMs + atMs, toMs: startMs + atMs + durationMs };
    });
    const stallEnd = (atMs: number): number => {
      // Repeat until no window holds atMs: overlapping or back-to-back stalls chain.
      for (let moved = true; moved; ) {
        moved = false;
        for (const stall of stalls) {
          if (atMs >= stall.fromMs && atMs < stall.toMs) {
            atMs = stall.toMs;
            moved = true;
          }
        }
      }
      return atMs;
    };
    const seeds = mulberry32(options.seed ?? 1);
    const upRandom = mulberry32(Math.floor(seeds() * 2 ** 32));
    const downRandom = mulberry32(Math.floor(seeds() * 2 ** 32));
    this.up = new LinkDirection('up', direction(options, options.up), upRandom, scheduler, stallEnd, (bytes) =>
      inner.send(bytes),
    );
    this.down = new LinkDirection('down', direction(options, options.down), downRandom, scheduler, stallEnd, (event) =>
      this.onmessage?.(event),
    );
    this.stats = { up: this.up.stats, down: this.down.stats };

    inner.onopen = (event) => this.onopen?.(event);
    inner.onerror = (event) => this.onerror?.(event);
    inner.onmessage = (event) => this.down.sendMessage(event, byteLength(event.data));
    inner.onclose = (event) =>
      this.down.sendClose(() => {
        // The connection is gone: frames still going up would reach a closed socket.
        this.up.discard();
        this.onclose?.(event);
      });
  }

  get binaryType(): string {
    return this.inner.binaryType;
  }
  set binaryType(type: string) {
    this.inner.binaryType = type;
  }

  get readyState(): number {
    const state = this.inner.readyState;
    return this.closeRequested ? Math.max(state, SOCKET_CLOSING) : state;
  }

  /** Queues a copy of `data` (the caller may reuse its buffer). Not open: the inner socket's own behaviour, unless close() was called (dropped, as a browser does). */
  send(data: Uint8Array<ArrayBuffer>): void {
    if (this.closeRequested) return;
    if (this.inner.readyState !== SOCKET_OPEN) return this.inner.send(data);
    this.up.sendMessage(data.slice(), data.byteLength);
  }

  close(code?: number, reason?: string): void {
    if (this.closeRequested) return;
    this.closeRequested = true;
    this.up.sendClose(() => this.inner.close(code, reason));
  }
}

/**
 * Reads link settings from URL parameters (the browser's `?latency=150&jitter=30`): `latency` and
 * `jitter` in ms, `bandwidth` in bytes per second, `seed` an integer, `stall` a comma-separated
 * list of `AT_MS:DURATION_MS`. Undefined when none is present; throws a RangeError naming the
 * parameter when one is malformed (a debugging aid that silently did nothing would mislead).
 */
export function parseLinkOptions(
  params: URLSearchParams | Readonly<Record<string, string | undefined>>,
): LinkOptions | undefined {
  const get = (name: string): string | undefined =>
    params instanceof URLSearchParams ? (params.get(name) ?? undefined) : params[name];
  const options: LinkOptions = {};
  let present = false;
  const latency = get('latency');
  if (latency !== undefined) {
    options.latencyMs = parsedNumber('latency', latency, 0, MAX_LINK_DELAY_MS);
    present = true;
  }
  const jitter = get('jitter');
  if (jitter !== undefined) {
    options.jitterMs = parsedNumber('jitter', jitter, 0, MAX_LINK_DELAY_MS);
    present = true;
  }
  const bandwidth = get('bandwidth');
  if (bandwidth !== undefined) {
    options.bandwidthBytesPerSecond = parsedNumber('bandwidth', bandwidth, 0, Number.POSITIVE_INFINITY);
    if (options.bandwidthBytesPerSecond === 0) throw new RangeError('link parameter bandwidth must be above 0');
    present = true;
  }
  const seed = get('seed');
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed) || Number(seed) > MAX_LINK_SEED) {
      throw new RangeError(`link parameter seed must be an integer from 0 to ${MAX_LINK_SEED}, got "${seed}"`);
    }
    options.seed = Number(seed);
    present = true;
  }
  const stall = get('stall');
  if (stall !== undefined) {
    options.stalls = stall.split(',').map((window) => {
      const match = /^([^:]+):([^:]+)$/.exec(window);
      if (match === null) throw new RangeError(`link parameter stall takes AT_MS:DURATION_MS, got "${window}"`);
      return {
        atMs: parsedNumber('stall start', match[1]!, 0, Number.MAX_SAFE_INTEGER),
        durationMs: parsedNumber('stall duration', match[2]!, 0, Number.MAX_SAFE_INTEGER),
      };
    });
    present = true;
  }
  return present ? options : undefined;
}

function parsedNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value) || value < min || value > max) {
    throw new RangeError(`link parameter ${name} must be a number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** One direction's settings: its override where given, else the shared value. */
function direction(shared: DirectionLinkOptions, override: DirectionLinkOptions = {}): DirectionLinkOptions {
  return {
    latencyMs: override.latencyMs ?? shared.latencyMs,
    jitterMs: override.jitterMs ?? shared.jitterMs,
    bandwidthBytesPerSecond: override.bandwidthBytesPerSecond ?? shared.bandwidthBytesPerSecond,
  };
}

function checked(name: string, value: number, min: number, max: number): number {
  if (!(value >= min && value <= max)) throw new RangeError(`${name} must be from ${min} to ${max}, got ${value}`);
  return value;
}

/** Payload bytes of a received message: binary as is, text as UTF-8. */
function byteLength(data: unknown): number {
  if (typeof data === 'string') return new TextEncoder().encode(data).byteLength;
  return payloadBytes(data)?.byteLength ?? 0;
}
