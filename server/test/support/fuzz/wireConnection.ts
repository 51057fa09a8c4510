// One fuzzed connection in process, for the receive-path property test: TCP chunks go through the
// server's DirectFrameReader and, for every frame it does not read itself, through ws's real
// Receiver, into the Room, exactly as wsTransport.ts wires them. Its socket refuses what ws refuses.
// Created per connection of a generated case; write() runs per chunk.

import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { NORMAL_CLOSURE } from '@tickwire/protocol';
import * as wsModule from 'ws';
import type { Room } from '../../../src/room/room.js';
import type { Session } from '../../../src/session/session.js';
import { DirectFrameReader } from '../../../src/transport/directFrameReader.js';
import { FakeSocket } from '../fakeRoom.js';

/** ws's rule for a close code it may send (ws/lib/validation.js isValidStatusCode). */
export function wsAcceptsCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)
  );
}

/** The largest close reason ws sends: a close frame's payload is at most 125 bytes, 2 of them the code. */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * A FakeSocket that holds the server to what ws's WebSocket enforces: close() throws TypeError for a
 * code ws would not send and RangeError for a reason over 123 UTF-8 bytes, as ws 8 does (after
 * marking itself closing, as ws does, so a second close() is ignored); a send after close is recorded.
 */
export class StrictSocket extends FakeSocket {
  /** Every close() the server called, valid or not. */
  readonly closeCalls: { code: number; reason: string }[] = [];
  /** Server actions ws would have ignored or refused without throwing (a send after close). */
  readonly violations: string[] = [];
  /** How ws itself closed the socket (a peer's close frame, a protocol error), if it did. */
  closedByWs: number | undefined;
  private closing = false;

  override send(bytes: Uint8Array): void {
    if (this.closing) {
      this.violations.push(`send of ${bytes.byteLength} bytes after close`);
      return;
    }
    super.send(bytes);
  }

  override close(code: number, reason: string): void {
    this.closeCalls.push({ code, reason });
    if (this.closing) return;
    this.closing = true;
    if (!wsAcceptsCode(code)) throw new TypeError('First argument must be a valid error code number');
    if (Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) {
      throw new RangeError('The message must not be greater than 123 bytes');
    }
    super.close(code, reason);
  }

  /** ws closed the socket on its own (an echoed close frame, or a frame its Receiver refused). */
  wsClosed(code: number): void {
    this.closing = true;
    this.closedByWs ??= code;
  }
}

/** What this harness uses of ws's Receiver (ws/lib/receiver.js; @types/ws does not declare it). */
interface WsReceiver extends EventEmitter {
  write(chunk: Buffer): boolean;
  readonly errored: (Error & { [key: symbol]: unknown }) | null;
  _allowSynchronousEvents: boolean;
}
type ReceiverClass = new (options: {
  isServer: boolean;
  maxPayload: number;
  skipUTF8Validation: boolean;
  allowSynchronousEvents: boolean;
}) => WsReceiver;
const Receiver = (wsModule as unknown as { Receiver: ReceiverClass }).Receiver;

/** ws keeps a refused frame's close code on the error under this symbol's description. */
function statusOf(error: Error & { [key: symbol]: unknown }): number {
  const key = Object.getOwnPropertySymbols(error).find((symbol) => symbol.description === 'status-code');
  return key === undefined ? 1006 : Number(error[key]);
}

export class WireConnection {
  readonly socket = new StrictSocket();
  readonly session: Session;
  private readonly receiver: WsReceiver;
  private readonly reader: DirectFrameReader<Session>;
  /** The ws state the direct reader reads (see WsReadState in directFrameReader.ts). */
  private readonly wsState: { _closeFrameReceived: boolean; _receiver: WsReceiver };
  private gone = false;

  constructor(
    private readonly room: Room,
    now: () => number,
    maxPayload: number,
  ) {
    this.session = room.open(this.socket, now());
    this.receiver = new Receiver({
      isServer: true,
      maxPayload,
      skipUTF8Validation: false,
      allowSynchronousEvents: true,
    });
    this.wsState = { _closeFrameReceived: false, _receiver: this.receiver };
    // The events wsTransport.ts listens to, with what ws itself does on each.
    this.receiver.on('message', (data: Buffer, isBinary: boolean) => room.receive(this.session, data, isBinary, now()));
    this.receiver.on('ping', () => room.chargeControlFrame(this.session, now()));
    this.receiver.on('conclude', (code: number) => {
      // ws echoes the close frame, stops reading, and the socket's 'close' follows.
      this.wsState._closeFrameReceived = true;
      this.socket.wsClosed(code === 1005 ? 1000 : code);
      this.disconnect();
    });
    // ws closes the socket with the error's status code; an 'error' listener keeps the emit harmless.
    this.receiver.on('error', () => {});
    const receiver = this.receiver;
    this.reader = new DirectFrameReader(
      this.wsState as unknown as ConstructorParameters<typeof DirectFrameReader>[0],
      new EventEmitter() as unknown as Duplex,
      (chunk: Buffer) => {
        receiver.write(chunk);
      },
      (session: Session, payload: Buffer) => room.receive(session, payload, true, now()),
      this.session,
      maxPayload,
    );
  }

  /** One TCP chunk from the client. */
  write(chunk: Buffer): void {
    if (this.gone) return;
    this.reader.onData(chunk);
    const error = this.receiver.errored;
    if (error !== null && !this.gone) {
      this.socket.wsClosed(statusOf(error));
      this.disconnect();
    }
  }

  /** The socket's 'close' event: the room forgets the session. */
  private disconnect(): void {
    if (this.gone) return;
    this.gone = true;
    this.room.disconnected(this.session, NORMAL_CLOSURE);
  }
}
