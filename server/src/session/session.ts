// One client connection's state on the server: handshake state, input queue, flood guard, counters.
// Created once per connection; its methods run once per received frame.
import type { CloseCode, Pong } from '@tickwire/protocol';
import type { SnapshotClient } from '../snapshot/snapshotSender.js';
import { FloodGuard } from './floodGuard.js';
import { InputQueue } from './inputQueue.js';

/** What a session needs of its socket (a ws WebSocket in production, a fake in tests). */
export interface ClientSocket {
  send(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued and not yet handed to the kernel (ws's bufferedAmount). */
  readonly bufferedAmount: number;
  /** Send buffer[start, end) using the free bytes before `start` for framing; optional. */
  sendWithHeadroom?(buffer: Uint8Array, start: number, end: number): void;
}

/**
 *   open ──► awaiting-hello ──HELLO ok──► playing ──► closed
 *                 │                          │
 *                 └──── any close code ──────┴──► closed
 */
export type SessionState = 'awaiting-hello' | 'playing' | 'closed';

export interface SessionOptions {
  inputQueue: number;
  /** Flood guard burst allowance, frames. */
  floodBurst: number;
  /** Flood guard sustained rate, frames per second. */
  floodRate: number;
  /** Where messages sent outside snapshots (send()) are counted; the room's counters. */
  sent?: { messagesOut: number; bytesOut: number };
}

/** Weight of a new round-trip or clock-offset sample in each client's moving average. */
const SAMPLE_SMOOTHING = 1 / 8;

/** The moving average after `sample`; the first sample (previous NaN) stands alone. */
function smoothed(previous: number, sample: number): number {
  return Number.isNaN(previous) ? sample : previous + (sample - previous) * SAMPLE_SMOOTHING;
}

export class Session implements SnapshotClient {
  state: SessionState = 'awaiting-hello';
  name = '';
  /** Player id in snapshots; 0 until WELCOME. */
  playerId = 0;
  /** seq of the newest INPUT received (not necessarily applied yet). */
  lastReceivedSeq = 0;
  /** Newest snapshot tick the client says it applied. */
  ackTick = 0;
  /** The close code this session ended with, once closed by the server. */
  closeCode: number | undefined;
  framesIn = 0;
  bytesIn = 0;
  /** Tick of the last snapshot sent: this client's baseline. */
  baselineTick = 0;
  backedUpSinceMs: number | undefined;
  /** The newest PING not yet answered; its pong rides in this client's next snapshot. */
  pendingPong: Pong | undefined;
  // The two smoothed figures below change with almost every INPUT. They are kept as numbers with
  // NaN for "none yet", so V8 updates them in place; a field that starts as undefined holds a
  // fresh heap number after every write (an allocation and a write barrier per input).
  private rtt = Number.NaN;
  private clockOffset = Number.NaN;
  /** The roster (PLAYERS) version last sent to this client, 0 for none. */
  rosterVersion = 0;
  /** This player's chat rate limit (room/chatRelay.ts), created at its first CHAT. */
  chatGuard: FloodGuard | undefined;
  readonly inputs: InputQueue;
  readonly flood: FloodGuard;

  constructor(
    readonly connectionId: number,
    private readonly socket: ClientSocket,
    private readonly options: SessionOptions,
    readonly openedAtMs: number,
  ) {
    this.inputs = new InputQueue(options.inputQueue);
    this.flood = new FloodGuard(options.floodBurst, options.floodRate, openedAtMs);
  }

  /** Smoothed time from sending a snapshot to receiving its ack, ms; undefined before the first. */
  get rttMs(): number | undefined {
    return Number.isNaN(this.rtt) ? undefined : this.rtt;
  }

  /**
   * Smoothed INPUT.tick minus the tick the server will apply that input at, ms: how far ahead (+)
   * or behind (−) the client's estimate of the server clock runs; undefined until it stamps one.
   */
  get clockOffsetMs(): number | undefined {
    return Number.isNaN(this.clockOffset) ? undefined : this.clockOffset;
  }

  /** One round-trip sample (snapshot sent to its ack), ms, into the moving average. */
  addRttSample(sampleMs: number): void {
    this.rtt = smoothed(this.rtt, sampleMs);
  }

  /** One clock-offset sample, ms, into the moving average. */
  addClockOffsetSample(sampleMs: number): void {
    this.clockOffset = smoothed(this.clockOffset, sampleMs);
  }

  /** seq of the newest input the simulation applied for this player, 0 before the first. */
  get lastAppliedInputSeq(): number {
    return this.inputs.lastTakenSeq;
  }

  /** Ticks so far that repeated this player's latest input for lack of a new one. */
  get starvedInputs(): number {
    return this.inputs.starved;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /** A message outside snapshots (WELCOME, PLAYERS, CHAT, DEBUG_STATE), counted in options.sent. */
  send(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    const sent = this.options.sent;
    if (sent !== undefined) {
      sent.messagesOut++;
      sent.bytesOut += bytes.byteLength;
    }
    this.socket.send(bytes);
  }

  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void {
    if (this.state === 'closed') return;
    if (this.socket.sendWithHeadroom !== undefined) this.socket.sendWithHeadroom(buffer, start, end);
    // `buffer` is shared with the next client (see SnapshotClient.sendWithHeadroom): keep a copy.
    else this.socket.send(buffer.slice(start, end));
  }

  /** Close with a code from CloseCode; later calls do nothing. */
  close(code: CloseCode, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeCode = code;
    this.socket.close(code, reason.slice(0, 120));
  }

  /** The socket went away by itself (the peer closed, or a heartbeat timeout). */
  markClosed(): void {
    this.state = 'closed';
  }
}
