// Assembles and reads the per-client part of a SNAPSHOT frame (protocol 9): the head mask and the
// elements it says are present (tick, input counters, pong), then the body shared by every client
// with the same baseline. The writer runs once per client per snapshot into a buffer the caller
// reuses (the send path allocates nothing per client); the reader runs once per snapshot received.
// Mirror: writeSnapshotHeader / expandSnapshotTuple, same elements in the same order.
import { ServerMessageId } from './messageIds.js';
import type { Pong, SnapshotMessage } from './messages.js';
import { readUintAt, writeUintAt } from './msgpackBytes.js';
import {
  SNAPSHOT_HEAD_ALL,
  SNAPSHOT_HEADER_BITS,
  SnapshotHeadBit,
  type SnapshotHeaderState,
} from './snapshotHeader.js';

/** What differs per client in a SNAPSHOT, besides its baseline (see messages.ts, snapshotFields). */
export interface SnapshotClientPart {
  lastInputSeq: number;
  inputBuffer: number;
  starvedInputs: number;
  droppedInputs: number;
  /** The answer to this client's newest PING since its last snapshot, if any. */
  pong: Pong | undefined;
  /** Whether the body ends with a `deferred` list (a byte budget left entities out). @default false */
  hasDeferred?: boolean;
}

/**
 * Largest per-client part: fixarray, id, head, tick, the seq's advance, inputBuffer (room for a
 * uint 32, though its spec stops at 65535), the two counters' advances, and a pong [uint, f64 × 3].
 */
export const SNAPSHOT_HEADER_MAX_BYTES = 1 + 1 + 1 + 5 + 5 + 5 + 5 + 5 + (1 + 5 + 3 * 9);
/** baseAge, created, changed, removed, shots, kills. */
const BODY_ELEMENTS = 6;

// Scratch for float64 encoding: reused, holds no state between calls.
const float64 = new Float64Array(1);
const float64Bytes = new Uint8Array(float64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Write [65, head, ...present, <body>] into `target` from `start`; return the length written. `body`
 * holds the encoded baseAge, created, changed, removed, shots and kills (SnapshotEncoder's output);
 * `full` says its baseAge is 0. `sent` is what this connection was last sent, and becomes this
 * frame's values: call it only for a frame that is sent. The frame is byte-identical to
 * encodeSnapshotMessage of the same message and state (a test checks). `target` needs start +
 * SNAPSHOT_HEADER_MAX_BYTES + body.length bytes.
 */
export function writeSnapshotFrame(
  target: Uint8Array,
  tick: number,
  full: boolean,
  part: SnapshotClientPart,
  sent: SnapshotHeaderState,
  body: Uint8Array,
  start = 0,
): number {
  if (target.length < start + SNAPSHOT_HEADER_MAX_BYTES + body.length) {
    throw new RangeError('snapshot frame buffer too small');
  }
  const offset = writeSnapshotHeader(target, start, tick, full, part, sent);
  target.set(body, offset);
  return offset + body.length - start;
}

/**
 * Write this client's part of a SNAPSHOT so that it ends exactly at `bodyStart`, where a body is
 * already in `target`; return where the frame starts. The body is then shared by every client in
 * place: only this header (at most SNAPSHOT_HEADER_MAX_BYTES) is written per client. `scratch`
 * (at least SNAPSHOT_HEADER_MAX_BYTES, reused) holds the header while its length is found. The
 * frame [returned start, bodyStart + body length) is byte-identical to writeSnapshotFrame's, and
 * `sent` is updated the same way.
 */
export function writeSnapshotHeaderBefore(
  target: Uint8Array,
  bodyStart: number,
  tick: number,
  full: boolean,
  part: SnapshotClientPart,
  sent: SnapshotHeaderState,
  scratch: Uint8Array,
): number {
  if (scratch.length < SNAPSHOT_HEADER_MAX_BYTES) throw new RangeError('snapshot header scratch too small');
  // Checked before the header is written, so a refused call leaves `sent` as it was.
  if (bodyStart < snapshotHeaderLength(tick, full, part, sent)) {
    throw new RangeError('no room before the body for the snapshot header');
  }
  const length = writeSnapshotHeader(scratch, 0, tick, full, part, sent);
  const start = bodyStart - length;
  target.set(scratch.subarray(0, length), start);
  return start;
}

/**
 * The head mask for this frame (PROTOCOL.md, "SNAPSHOT header"). Throws RangeError when a counter
 * that only grows went down: a bug in the caller, not something the wire can say.
 */
function snapshotHead(full: boolean, part: SnapshotClientPart, sent: SnapshotHeaderState): number {
  if (
    part.lastInputSeq < sent.lastInputSeq ||
    part.starvedInputs < sent.starvedInputs ||
    part.droppedInputs < sent.droppedInputs
  ) {
    throw new RangeError('lastInputSeq, starvedInputs and droppedInputs only grow');
  }
  let head = 0;
  if (full) head |= SnapshotHeadBit.TICK;
  if (part.lastInputSeq !== sent.lastInputSeq) head |= SnapshotHeadBit.INPUT_SEQ;
  if (part.inputBuffer !== sent.inputBuffer) head |= SnapshotHeadBit.INPUT_BUFFER;
  if (part.starvedInputs !== sent.starvedInputs) head |= SnapshotHeadBit.STARVED;
  if (part.droppedInputs !== sent.droppedInputs) head |= SnapshotHeadBit.DROPPED;
  if (part.pong !== undefined) head |= SnapshotHeadBit.PONG;
  if (part.hasDeferred === true) head |= SnapshotHeadBit.DEFERRED;
  return head;
}

/** [65, head, ...present: the array header and the client's part; `sent` becomes this frame's values. */
function writeSnapshotHeader(
  target: Uint8Array,
  start: number,
  tick: number,
  full: boolean,
  part: SnapshotClientPart,
  sent: SnapshotHeaderState,
): number {
  const head = snapshotHead(full, part, sent);
  let offset = start;
  target[offset++] = 0x90 | (2 + bitCount(head) + BODY_ELEMENTS);
  target[offset++] = ServerMessageId.SNAPSHOT;
  target[offset++] = head;
  if ((head & SnapshotHeadBit.TICK) !== 0) offset = writeUintAt(target, offset, tick);
  if ((head & SnapshotHeadBit.INPUT_SEQ) !== 0)
    offset = writeUintAt(target, offset, part.lastInputSeq - sent.lastInputSeq);
  if ((head & SnapshotHeadBit.INPUT_BUFFER) !== 0) offset = writeUintAt(target, offset, part.inputBuffer);
  if ((head & SnapshotHeadBit.STARVED) !== 0)
    offset = writeUintAt(target, offset, part.starvedInputs - sent.starvedInputs);
  if ((head & SnapshotHeadBit.DROPPED) !== 0)
    offset = writeUintAt(target, offset, part.droppedInputs - sent.droppedInputs);
  const pong = part.pong;
  if (pong !== undefined) {
    target[offset++] = 0x94;
    offset = writeUintAt(target, offset, pong.pingId);
    offset = writeFloat64(target, offset, pong.clientTimeMs);
    offset = writeFloat64(target, offset, pong.serverReceiveTick);
    offset = writeFloat64(target, offset, pong.serverSendTick);
  }
  remember(sent, tick, part);
  return offset;
}

/** Bytes writeSnapshotHeader would write, without writing or changing `sent`. */
function snapshotHeaderLength(
  tick: number,
  full: boolean,
  part: SnapshotClientPart,
  sent: SnapshotHeaderState,
): number {
  const head = snapshotHead(full, part, sent);
  let length = 3;
  if ((head & SnapshotHeadBit.TICK) !== 0) length += uintLength(tick);
  if ((head & SnapshotHeadBit.INPUT_SEQ) !== 0) length += uintLength(part.lastInputSeq - sent.lastInputSeq);
  if ((head & SnapshotHeadBit.INPUT_BUFFER) !== 0) length += uintLength(part.inputBuffer);
  if ((head & SnapshotHeadBit.STARVED) !== 0) length += uintLength(part.starvedInputs - sent.starvedInputs);
  if ((head & SnapshotHeadBit.DROPPED) !== 0) length += uintLength(part.droppedInputs - sent.droppedInputs);
  const pong = part.pong;
  if (pong !== undefined) {
    length += 1 + uintLength(pong.pingId) + float64Length(pong.clientTimeMs);
    length += float64Length(pong.serverReceiveTick) + float64Length(pong.serverSendTick);
  }
  return length;
}

/** What both ends hold after a SNAPSHOT: its tick and its input figures. */
function remember(state: SnapshotHeaderState, tick: number, part: SnapshotClientPart): void {
  state.tick = tick;
  state.lastInputSeq = part.lastInputSeq;
  state.inputBuffer = part.inputBuffer;
  state.starvedInputs = part.starvedInputs;
  state.droppedInputs = part.droppedInputs;
}

/**
 * The wire array of `message` (a SNAPSHOT as the client reads it) for a connection that was last
 * sent `sent`, with every list as tuples: what encodeSnapshotMessage packs. Updates `sent`.
 */
export function snapshotWireTuple(
  message: SnapshotMessage,
  tuples: { pong: unknown[][]; body: unknown[] },
  sent: SnapshotHeaderState,
): unknown[] {
  const part: SnapshotClientPart = { ...message, pong: message.pong[0], hasDeferred: message.deferred.length > 0 };
  const head = snapshotHead(message.baseAge === 0, part, sent);
  const wire: unknown[] = [ServerMessageId.SNAPSHOT, head];
  if ((head & SnapshotHeadBit.TICK) !== 0) wire.push(message.tick);
  if ((head & SnapshotHeadBit.INPUT_SEQ) !== 0) wire.push(message.lastInputSeq - sent.lastInputSeq);
  if ((head & SnapshotHeadBit.INPUT_BUFFER) !== 0) wire.push(message.inputBuffer);
  if ((head & SnapshotHeadBit.STARVED) !== 0) wire.push(message.starvedInputs - sent.starvedInputs);
  if ((head & SnapshotHeadBit.DROPPED) !== 0) wire.push(message.droppedInputs - sent.droppedInputs);
  if ((head & SnapshotHeadBit.PONG) !== 0) wire.push(tuples.pong[0]);
  wire.push(...tuples.body.slice(0, BODY_ELEMENTS));
  if ((head & SnapshotHeadBit.DEFERRED) !== 0) wire.push(tuples.body[BODY_ELEMENTS]);
  remember(sent, message.tick, part);
  return wire;
}

/**
 * Read side of writeSnapshotHeader: the decoded wire array of a SNAPSHOT → the positional tuple of
 * snapshotFields ([65, tick, lastInputSeq, inputBuffer, starvedInputs, droppedInputs, pong, baseAge,
 * created, changed, removed, shots, kills]) from what the connection holds, or the problem (the
 * caller closes with 4002 INVALID_MESSAGE). Checks the head and the header's own rules; the
 * values' types and ranges are then checked on the tuple by readFields. Does not change `held`:
 * the caller calls rememberSnapshotHeader once the whole frame validated.
 */
export function expandSnapshotTuple(wire: readonly unknown[], held: SnapshotHeaderState): unknown[] | string {
  const head = wire[1];
  if (typeof head !== 'number' || !Number.isInteger(head) || head < 0 || head > SNAPSHOT_HEAD_ALL) {
    return `SNAPSHOT.head: an integer 0 … ${SNAPSHOT_HEAD_ALL}`;
  }
  const deferred = (head & SnapshotHeadBit.DEFERRED) !== 0;
  const bodyAt = 2 + bitCount(head & SNAPSHOT_HEADER_BITS);
  const expected = bodyAt + BODY_ELEMENTS + (deferred ? 1 : 0);
  if (wire.length !== expected) return `SNAPSHOT: head ${head} means ${expected} elements, got ${wire.length}`;
  const baseAge = wire[bodyAt];
  let at = 2;
  let tick: unknown;
  if ((head & SnapshotHeadBit.TICK) !== 0) {
    tick = wire[at++];
    if (baseAge !== 0) return 'SNAPSHOT.tick: sent only in a full snapshot (baseAge 0)';
  } else {
    if (!isAdvance(baseAge)) return 'SNAPSHOT.baseAge: a snapshot without tick is a delta (baseAge ≥ 1)';
    tick = held.tick + baseAge;
  }
  let lastInputSeq: unknown = held.lastInputSeq;
  if ((head & SnapshotHeadBit.INPUT_SEQ) !== 0) {
    const advance = wire[at++];
    if (!isAdvance(advance)) return 'SNAPSHOT.lastInputSeq: its advance is an integer ≥ 1';
    lastInputSeq = held.lastInputSeq + advance;
  }
  const inputBuffer = (head & SnapshotHeadBit.INPUT_BUFFER) !== 0 ? wire[at++] : held.inputBuffer;
  let starvedInputs: unknown = held.starvedInputs;
  if ((head & SnapshotHeadBit.STARVED) !== 0) {
    const advance = wire[at++];
    if (!isAdvance(advance)) return 'SNAPSHOT.starvedInputs: its advance is an integer ≥ 1';
    starvedInputs = held.starvedInputs + advance;
  }
  let droppedInputs: unknown = held.droppedInputs;
  if ((head & SnapshotHeadBit.DROPPED) !== 0) {
    const advance = wire[at++];
    if (!isAdvance(advance)) return 'SNAPSHOT.droppedInputs: its advance is an integer ≥ 1';
    droppedInputs = held.droppedInputs + advance;
  }
  const pong = (head & SnapshotHeadBit.PONG) !== 0 ? [wire[at++]] : [];
  return [
    ServerMessageId.SNAPSHOT,
    tick,
    lastInputSeq,
    inputBuffer,
    starvedInputs,
    droppedInputs,
    pong,
    ...wire.slice(at, at + BODY_ELEMENTS),
    deferred ? wire[at + BODY_ELEMENTS] : [],
  ];
}

/** After a SNAPSHOT validated whole: what the connection now holds. Mirror of `remember`. */
export function rememberSnapshotHeader(held: SnapshotHeaderState, message: SnapshotMessage): void {
  remember(held, message.tick, { ...message, pong: undefined });
}

/**
 * The tick of a SNAPSHOT frame, read from its head (and baseAge, for a delta) without decoding the
 * lists; `heldTick` is the tick of the last SNAPSHOT of this connection (0 before the first).
 * Undefined when `frame` does not start like a SNAPSHOT. For load generators that only acknowledge
 * (bots with --load-only): the caller keeps the answer as the next `heldTick`. A client that uses
 * the state decodes the whole frame with decodeServerFrame, which also validates it.
 */
export function peekSnapshotTick(frame: Uint8Array, heldTick: number): number | undefined {
  const first = frame[0];
  if (first === undefined || (first & 0xf0) !== 0x90) return undefined; // a SNAPSHOT is a fixarray
  if (frame[1] !== ServerMessageId.SNAPSHOT) return undefined;
  const head = frame[2];
  if (head === undefined || head > SNAPSHOT_HEAD_ALL) return undefined;
  if ((head & SnapshotHeadBit.TICK) !== 0) return readUintAt(frame, 3);
  let offset = 3;
  for (const bit of NUMBER_BITS) if ((head & bit) !== 0) offset = skipNumber(frame, offset);
  if ((head & SnapshotHeadBit.PONG) !== 0) {
    if (frame[offset] !== 0x94) return undefined;
    offset++;
    for (let i = 0; i < 4; i++) offset = skipNumber(frame, offset);
  }
  const baseAge = readUintAt(frame, offset);
  return baseAge === undefined ? undefined : heldTick + baseAge;
}

/** The head bits, after TICK, whose element is one number, in wire order. */
const NUMBER_BITS = [
  SnapshotHeadBit.INPUT_SEQ,
  SnapshotHeadBit.INPUT_BUFFER,
  SnapshotHeadBit.STARVED,
  SnapshotHeadBit.DROPPED,
] as const;

/** The offset after the uint or float 64 at `offset` (past the end when it is neither). */
function skipNumber(frame: Uint8Array, offset: number): number {
  const first = frame[offset];
  if (first === undefined) return frame.length + 1;
  if (first < 0x80) return offset + 1;
  if (first === 0xcc) return offset + 2;
  if (first === 0xcd) return offset + 3;
  if (first === 0xce) return offset + 5;
  if (first === 0xcb) return offset + 9;
  return frame.length + 1;
}

/** A count a header element may add: a safe integer ≥ 1. */
function isAdvance(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function bitCount(head: number): number {
  let count = 0;
  for (let bits = head; bits !== 0; bits &= bits - 1) count++;
  return count;
}

function uintLength(value: number): number {
  return value < 0x80 ? 1 : value < 0x100 ? 2 : value < 0x10000 ? 3 : 5;
}

function float64Length(value: number): number {
  return Number.isInteger(value) && value >= 0 && value < 0x1_0000_0000 ? uintLength(value) : 9;
}

/** MessagePack float 64 (0xcb, big-endian): what msgpackr writes for any non-integer number. */
function writeFloat64(bytes: Uint8Array, offset: number, value: number): number {
  if (Number.isInteger(value) && value >= 0 && value < 0x1_0000_0000) return writeUintAt(bytes, offset, value);
  float64[0] = value;
  bytes[offset] = 0xcb;
  for (let i = 0; i < 8; i++) bytes[offset + 1 + i] = float64Bytes[littleEndian ? 7 - i : i]!;
  return offset + 9;
}
