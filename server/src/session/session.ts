// One client connection's state on the server: handshake state, input queue, flood guard, counters.
// Created once per connection; its methods run once per received frame.
import {
  type CloseCode,
  closeReason,
  newSnapshotHeaderState,
  type Pong,
  type SnapshotHeaderState,
} from '@tickwire/protocol';
import type { SnapshotClient } from '../snapshot/snapshotSender.js';
import { FLOOD_BUCKET_SIZE, type FloodGuard, fillBucket, takeToken } from './floodGuard.js';
import { InputQueue } from './inputQueue.js';

/** What a session needs of its socket (a ws WebSocket in production, a fake in tests). */
export interface ClientSocket {
  send(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued and not yet handed to the kernel (ws's bufferedAmount, less its unused Sender queue). */
  readonly queuedBytes: number;
  /** Send buffer[start, end) using the free bytes before `start` for framing; optional. */
  sendWithHeadroom?(buffer: Uint8Array, start: number, end: number): void;
}

/**
 *   open ──► awaiting-hello ──HELLO ok──► playing ──────────────────────────► closed
 *                 │                          │                                  ▲
 *                 └──── any close code ──────┤ dropped, not consented           │
 *                                            ▼ (grace > 0, membership.ts)       │
 *                                          away ── grace over / resumed ────────┘
 *
 * `away`: the socket is gone but the room keeps the player for --reconnect-grace-ms. A resume moves
 * the player to the resuming connection's session; this one then ends closed, like one taken over.
 */
export type SessionState = 'awaiting-hello' | 'playing' | 'away' | 'closed';

export interface SessionOptions {
  inputQueue: number;
  /** Flood guard burst allowance, frames. */
  floodBurst: number;
  /** Flood guard sustained rate, frames per second. */
  floodRate: number;
  /** Where messages sent outside snapshots (send()) are counted; the room's counters. */
  sent?: { messagesOut: number; bytesOut: number };
}

/** Where each per-frame double sits in the front of the input queue's array (see the constructor). */
const RTT = 0;
const CLOCK_OFFSET = 1;
const FLOOD_BUCKET = 2;
const LAST_ACTIVE = FLOOD_BUCKET + FLOOD_BUCKET_SIZE;
const NUMBERS = LAST_ACTIVE + 1;

/** Weight of a new round-trip or clock-offset sample in each client's moving average. */
const SAMPLE_SMOOTHING = 1 / 8;

/** A figure kept as NaN-for-none, as the getters hand it out. */
function definedOrNot(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}

/** The moving average after `sample`; the first sample (previous NaN) stands alone. */
function smoothed(previous: number, sample: number): number {
  return Number.isNaN(previous) ? sample : previous + (sample - previous) * SAMPLE_SMOOTHING;
}

/**
 * A session is its player's input queue: it extends InputQueue instead of holding one. The receive
 * path, the room's input feed and the snapshot loop each read a client's queue and session together;
 * as one object they cost one cache miss per client per pass instead of two. Callers still reach
 * the queue through `inputs`; a session field named like a queue member would need `override`
 * (noImplicitOverride), so the two cannot clash unnoticed.
 */
export class Session extends InputQueue implements SnapshotClient {
  state: SessionState = 'awaiting-hello';
  name = '';
  /** Player id in snapshots; 0 until WELCOME. */
  playerId = 0;
  /** seq of the newest INPUT received (not necessarily applied yet). */
  lastReceivedSeq = 0;
  /** Newest snapshot tick the client says it applied (INPUT or ACK); the tick it joined at before its first ack. */
  ackTick = 0;
  /** The close code this session ended with, once closed by the server. */
  closeCode: number | undefined;
  framesIn = 0;
  bytesIn = 0;
  /** Tick of the last snapshot sent: this client's baseline. */
  baselineTick = 0;
  /** What the last SNAPSHOT header sent on this connection said (a resume is a new session: all 0 again). */
  readonly headerSent: SnapshotHeaderState = newSnapshotHeaderState();
  backedUpSinceMs: number | undefined;
  /** The newest PING not yet answered; its pong rides in this client's next snapshot. */
  pendingPong: Pong | undefined;
  /** The key its client address is limited under (transport/clientAddress.ts); undefined if exempt. */
  addressKey: string | undefined;
  /** This player's chat rate limit (room/chatRelay.ts), created at its first CHAT; a resume carries it over. */
  chatGuard: FloodGuard | undefined;
  /** The nonce of the newest resume token issued to this player: the only one a resume accepts. */
  resumeNonce = '';
  /** While away: when the grace runs out on the room's clock, ms. */
  awayUntilMs = 0;

  constructor(
    readonly connectionId: number,
    private readonly socket: ClientSocket,
    private readonly options: SessionOptions,
    readonly openedAtMs: number,
  ) {
    // The doubles that change with almost every frame sit at the front of the input queue's array
    // (InputQueue `reserved`): the smoothed round trip and clock offset (NaN for "none yet") and the
    // flood guard's bucket. As fields, each would sit in a heap-number box of its own, a cache miss
    // apiece per INPUT; here they share the queue's first cache lines.
    super(options.inputQueue, NUMBERS);
    this.items[RTT] = Number.NaN;
    this.items[CLOCK_OFFSET] = Number.NaN;
    fillBucket(this.items, FLOOD_BUCKET, options.floodBurst, options.floodRate, openedAtMs);
    this.items[LAST_ACTIVE] = openedAtMs;
  }

  /** When this player last sent a non-idle INPUT (one that moves or holds a button), or joined, ms. */
  get lastActiveMs(): number {
    return this.items[LAST_ACTIVE]!;
  }

  /** The player did something (a non-idle INPUT), or joined, at `nowMs`: the idle kick starts again. */
  markActive(nowMs: number): void {
    this.items[LAST_ACTIVE] = nowMs;
  }

  /** The connection dropped and the room keeps the player for a resume (the roster's reconnecting flag). */
  get away(): boolean {
    return this.state === 'away';
  }

  /** This player's input queue: the session itself (see the class comment). */
  get inputs(): InputQueue {
    return this;
  }

  /** Smoothed time from sending a snapshot to receiving its ack, ms; undefined before the first. */
  get rttMs(): number | undefined {
    return definedOrNot(this.items[RTT]!);
  }

  /**
   * Smoothed INPUT.tick minus the tick the server will apply that input at, ms: how far ahead (+)
   * or behind (−) the client's estimate of the server clock runs; undefined until it stamps one.
   */
  get clockOffsetMs(): number | undefined {
    return definedOrNot(this.items[CLOCK_OFFSET]!);
  }

  /** One round-trip sample (snapshot sent to its ack), ms, into the moving average. */
  addRttSample(sampleMs: number): void {
    this.items[RTT] = smoothed(this.items[RTT]!, sampleMs);
  }

  /** One clock-offset sample, ms, into the moving average. */
  addClockOffsetSample(sampleMs: number): void {
    this.items[CLOCK_OFFSET] = smoothed(this.items[CLOCK_OFFSET]!, sampleMs);
  }

  /** Charge one received frame (or control frame) at `nowMs` to the flood guard; false: flooding. */
  takeFloodToken(nowMs: number): boolean {
    return takeToken(this.items, FLOOD_BUCKET, nowMs);
  }

  get bufferedAmount(): number {
    return this.socket.queuedBytes;
  }

  /** A message outside snapshots (WELCOME, PLAYERS, ROSTER_CHANGES, CHAT, DEBUG_STATE), counted in options.sent. */
  send(bytes: Uint8Array): void {
    if (this.state === 'closed' || this.state === 'away') return;
    const sent = this.options.sent;
    if (sent !== undefined) {
      sent.messagesOut++;
      sent.bytesOut += bytes.byteLength;
    }
    this.socket.send(bytes);
  }

  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void {
    if (this.state === 'closed' || this.state === 'away') return;
    if (this.socket.sendWithHeadroom !== undefined) this.socket.sendWithHeadroom(buffer, start, end);
    // `buffer` is shared with the next client (see SnapshotClient.sendWithHeadroom): keep a copy.
    else this.socket.send(buffer.slice(start, end));
  }

  /** Close with a code from CloseCode; later calls do nothing. The reason is cut to fit a close frame. */
  close(code: CloseCode, reason: string): void {
    if (this.state === 'closed') return;
    // Away, the socket is gone already: the player only ends.
    if (this.state === 'away') return this.markClosed();
    this.state = 'closed';
    this.closeCode = code;
    this.socket.close(code, closeReason(reason));
  }

  /** The socket went away by itself (the peer closed, or a heartbeat timeout), or the player's grace ended. */
  markClosed(): void {
    this.state = 'closed';
  }

  /** The socket went away without a consented leave: the player is kept until `untilMs` (room clock). */
  markAway(untilMs: number): void {
    this.state = 'away';
    this.awayUntilMs = untilMs;
  }
}
