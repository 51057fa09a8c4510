// Reads a client's WebSocket frames straight off its TCP socket, once per TCP chunk. A small binary
// frame (final, no RSV bits, masked, payload ≤ 125 bytes and ≤ maxPayload: every INPUT a client
// sends) is unmasked in place and handed to `onBinary`. Every other frame (text, control, a
// fragment, a larger or malformed one) goes, from its first byte, to ws's own Receiver, which reads,
// answers, refuses or closes exactly as it would have without this.
//
// Why: ws's Receiver is a Writable stream; each small message passes through write(), its buffer
// list, a parse loop and two event emits. At arena-200 that was about 11 ms of CPU per second, more
// than the rest of the receive path together. The send side skips ws's framing the same way
// (rawFrame.ts). Frames never reorder: the reader is only put in front of a ws that emits each
// message as soon as its frame is read (allowSynchronousEvents, no extension), so a frame handed to
// ws is delivered before the next one here.
//
// One difference from ws alone, in timing only: a frame for ws is handed over once its whole header
// (at most 14 bytes) is here, so a client that sends the first bytes of a bad header and stalls is
// refused when the rest arrives, or dropped by the heartbeat, rather than at once.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { socketOf } from './rawFrame.js';

/** The largest payload read here: what a frame's 7-bit length holds without an extended length. */
export const DIRECT_PAYLOAD_MAX = 125;

/** FIN set, RSV bits clear, opcode 2 (binary). */
const FINAL_BINARY = 0x82;
const MASK_BIT = 0x80;
/** Header of a masked frame with a 7-bit length: two bytes, then the four-byte mask. */
const SMALL_MASKED_HEADER = 6;
const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;

/** ws's socket 'data' listener (websocket.js socketOnData): feeds the Receiver, pauses when it is full. */
type WsDataListener = (this: Duplex, chunk: Buffer) => void;

/**
 * The ws state this reads (ws 8, websocket.js): ws stops reading a socket once it has a close frame
 * (receiverOnConclude) or its Receiver, a Writable, has failed on a frame (receiverOnError, which
 * follows a tick later; the Receiver refuses every write from the moment it is `errored`). From
 * then on this reader reads nothing either. `_allowSynchronousEvents` is the Receiver's copy of the
 * server option of that name.
 */
interface WsReadState {
  _closeFrameReceived: boolean;
  _receiver: { errored: Error | null; _allowSynchronousEvents?: boolean } | null;
}

export class DirectFrameReader<T> {
  /** The start of a frame not yet whole (a header, or a small binary frame): at most 131 bytes. */
  private pending: Buffer | undefined;
  /** Bytes of a frame ws was handed the start of and still needs before the next frame starts. */
  private owedToWs = 0;
  /** ws holds the first fragments of a message: until the final fragment, every frame goes to ws. */
  private fragmented = false;
  /**
   * ws no longer reads this socket (see WsReadState). Only ws's own reading can stop it, so it is
   * checked after each hand-over, not per chunk: the fast path then touches no ws object at all.
   */
  private wsStopped = false;
  private readonly smallLimit: number;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    private readonly wsOnData: WsDataListener,
    private readonly onBinary: (target: T, payload: Buffer) => void,
    private readonly target: T,
    maxPayload: number,
    /** Called when reading a chunk threw (a bug): the connection is the caller's to close. */
    readonly onFault: (error: unknown) => void = (error) => {
      throw error;
    },
  ) {
    this.smallLimit = Math.min(DIRECT_PAYLOAD_MAX, maxPayload);
  }

  /** One TCP chunk, in place of ws's 'data' listener (see onSocketData). */
  onData(chunk: Buffer): void {
    if (this.wsStopped) return; // ws would no longer be listening: its bytes go nowhere
    let bytes = chunk;
    if (this.pending !== undefined) {
      bytes = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    const end = bytes.length;
    let at = 0;
    if (this.owedToWs > 0) {
      at = Math.min(this.owedToWs, end);
      this.owedToWs -= at;
      this.toWs(bytes.subarray(0, at));
      if (this.wsStopped) return;
    }
    // Each frame needs its first two bytes to be told apart.
    while (end - at >= 2) {
      const first = bytes[at]!;
      const second = bytes[at + 1]!;
      const masked = (second & MASK_BIT) !== 0;
      const length7 = second & 0x7f;
      if (first === FINAL_BINARY && masked && length7 <= this.smallLimit && !this.fragmented) {
        const payloadStart = at + SMALL_MASKED_HEADER;
        const frameEnd = payloadStart + length7;
        if (frameEnd > end) break;
        unmask(bytes, at + 2, payloadStart, frameEnd);
        // onBinary may close this connection; ws then still reads, for the peer's close frame.
        this.onBinary(this.target, bytes.subarray(payloadStart, frameEnd));
        at = frameEnd;
        continue;
      }
      // Any other frame is ws's, from its first byte. Its length is read here only to find where
      // the next frame starts; ws checks it (and refuses one over maxPayload at its header).
      const header = 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + (masked ? 4 : 0);
      if (end - at < header) break;
      const payload =
        length7 < 126
          ? length7
          : length7 === 126
            ? bytes.readUInt16BE(at + 2)
            : bytes.readUInt32BE(at + 2) * 2 ** 32 + bytes.readUInt32BE(at + 6);
      const frameEnd = at + header + payload;
      this.noteFragments(first);
      if (frameEnd > end) {
        this.owedToWs = frameEnd - end;
        this.toWs(bytes.subarray(at));
        return;
      }
      this.toWs(bytes.subarray(at, frameEnd));
      at = frameEnd;
      if (this.wsStopped) return;
    }
    // Copied: the chunk is not kept alive for the few bytes of a frame that has not all arrived.
    if (at < end) this.pending = Buffer.from(bytes.subarray(at));
  }

  /** Hand bytes to ws, as its own listener would have been handed them; note whether ws stopped reading. */
  private toWs(bytes: Buffer): void {
    this.wsOnData.call(this.socket, bytes);
    const state = this.ws as unknown as WsReadState;
    this.wsStopped = state._closeFrameReceived || state._receiver?.errored != null;
  }

  /** A data frame that is not final opens a fragmented message; the final continuation closes it. */
  private noteFragments(first: number): void {
    const final = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    if ((opcode === OPCODE_TEXT || opcode === OPCODE_BINARY) && !final) this.fragmented = true;
    else if (opcode === OPCODE_CONTINUATION && final) this.fragmented = false;
  }
}

/** XOR `bytes[start, end)` with the four mask bytes at `maskAt` (RFC 6455 §5.3). */
function unmask(bytes: Buffer, maskAt: number, start: number, end: number): void {
  const m0 = bytes[maskAt]!;
  const m1 = bytes[maskAt + 1]!;
  const m2 = bytes[maskAt + 2]!;
  const m3 = bytes[maskAt + 3]!;
  let i = start;
  for (; i + 3 < end; i += 4) {
    bytes[i] = bytes[i]! ^ m0;
    bytes[i + 1] = bytes[i + 1]! ^ m1;
    bytes[i + 2] = bytes[i + 2]! ^ m2;
    bytes[i + 3] = bytes[i + 3]! ^ m3;
  }
  if (i < end) bytes[i] = bytes[i]! ^ m0;
  if (i + 1 < end) bytes[i + 1] = bytes[i + 1]! ^ m1;
  if (i + 2 < end) bytes[i + 2] = bytes[i + 2]! ^ m2;
}

/** Where a socket keeps its reader, for the one 'data' listener every socket shares. */
const READER = Symbol('DirectFrameReader');

/**
 * The 'data' listener of every socket with a reader: one ordinary function, as ws's own listener
 * is, not a closure per socket. Node's emit() looks up `apply` on the listener; with an arrow
 * function per socket (another kind of function object than the other listeners it sees) that
 * lookup became generic, 2.5 ms of CPU per second at arena-200.
 */
function onSocketData(this: Duplex, chunk: Buffer): void {
  const reader = (this as unknown as { [READER]: DirectFrameReader<unknown> })[READER];
  // A 'data' listener that throws would be an uncaught exception: the whole process. Read on no
  // further, and let the reader's owner close this one connection.
  try {
    reader.onData(chunk);
  } catch (error) {
    this.removeListener('data', onSocketData);
    reader.onFault(error);
  }
}

/**
 * Put a DirectFrameReader in front of ws for this connection: small binary frames go to
 * `onBinary(target, payload)`, everything else still reaches ws and its 'message', 'ping', 'pong', 'close' and
 * 'error' events. Returns undefined, leaving ws as it was, when the socket does not look as ws 8
 * leaves it after the handshake (exactly one 'data' listener, ws's socketOnData), or when ws would
 * emit messages later than it reads them (allowSynchronousEvents off, or an extension such as
 * permessage-deflate negotiated): frames read here could then overtake them. `onBinary` can be one
 * function shared by every connection, `target` what it needs of this one (a per-connection closure
 * would cost two more objects, two more cache misses, per frame).
 */
export function readFramesDirectly<T>(
  ws: WebSocket,
  onBinary: (target: T, payload: Buffer) => void,
  target: T,
  maxPayload: number,
  onFault?: (error: unknown) => void,
): DirectFrameReader<T> | undefined {
  const socket = socketOf(ws);
  if (socket === undefined) return undefined;
  const listeners = socket.listeners('data');
  const wsOnData = listeners[0];
  if (listeners.length !== 1 || typeof wsOnData !== 'function' || wsOnData.name !== 'socketOnData') return undefined;
  const receiver = (ws as unknown as WsReadState)._receiver;
  if (receiver?._allowSynchronousEvents !== true || ws.extensions !== '') return undefined;
  const reader = new DirectFrameReader(ws, socket, wsOnData as WsDataListener, onBinary, target, maxPayload, onFault);
  (socket as unknown as { [READER]: DirectFrameReader<T> })[READER] = reader;
  socket.removeListener('data', wsOnData as WsDataListener);
  socket.on('data', onSocketData);
  // A socket that closes while paused still holds bytes; ws's socketOnClose would read them straight
  // into its Receiver, mid-frame if this reader holds the start of one. Read them here first.
  socket.prependListener('close', () => {
    if (socket.readableLength === 0 || socket.readableEnded || socket.listenerCount('data') === 0) return;
    try {
      reader.onData(socket.read(socket.readableLength) as Buffer);
    } catch (error) {
      reader.onFault(error);
    }
  });
  return reader;
}
