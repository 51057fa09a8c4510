// Assembles and reads the per-client part of a SNAPSHOT frame (protocol 9): the head mask and the
// elements it says are present (tick, input counters, pong), then the body shared by every client
// with the same baseline. The writer runs once per client per snapshot into a buffer the caller
// reuses (the send path allocates nothing per client); the reader runs once per snapshot received.
// Mirror: writeSnapshotHeader / expandSnapshotTuple, same elements in the same order.
import { popCount } from './bits.js';
import { ServerMessageId } from './messageIds.js';
import type { Pong, SnapshotMessage } from './messages.js';
import { readUintAt, writeUintAt } from './msgpackBytes.js';
import {
  SNAPSHOT_HEAD_ALL,
  SNAPSHOT_HEADER_BITS,
  SNAPSHOT_INPUT_FIGURES,
  SnapshotHeadBit,
  type SnapshotHeaderState,
  type SnapshotInputFigures,
} from './snapshotHeader.js';

/** What differs per client in a SNAPSHOT, besides its baseline (see messages.ts, snapshotFields). */
export interface SnapshotClientPart extends SnapshotInputFigures {
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
 * a body whose baseAge (its first byte) is 0 is a full snapshot, which sends its tick. `sent` is
 * what this connection was last sent, and becomes this frame's values: call it only for a frame
 * that is sent. The frame is byte-identical to encodeSnapshotMessage of the same message and state
 * (a test checks). `target` needs start + SNAPSHOT_HEADER_MAX_BYTES + body.length bytes.
 */
export function writeSnapshotFrame(
  target: Uint8Array,
  tick: number,
  part: SnapshotClientPart,
  sent: SnapshotHeaderState,
  body: Uint8Array,
  start = 0,
): number {
  if (target.length < start + SNAPSHOT_HEADER_MAX_BYTES + body.length) {
    throw new RangeError('snapshot frame buffer too small');
  }
  const offset = writeSnapshotHeader(target, start, tick, isFullBody(body, 0), part, sent);
  target.set(body, offset);
  remember(sent, tick, part);
  return offset + body.length - start;
}

/**
 * Write this client's part of a SNAPSHOT so that it ends exactly at `bodyStart`, where a body is
 * already in `target`; return where the frame starts. The body is then shared by every client in
 * place: only this header (at most SNAPSHOT_HEADER_MAX_BYTES) is written per client. `scratch`
 * (at least SNAPSHOT_HEADER_MAX_BYTES, reused) holds the header while its length is found. The
 * frame [returned start, bodyStart + body length) is byte-identical to writeSnapshotFrame's, and
 * `sent` is updated the same way; a refused call leaves `sent` as it was.
 */
export function writeSnapshotHeaderBefore(
  target: Uint8Array,
  bodyStart: number,
  tick: number,
  part: SnapshotClientPart,
  sent: SnapshotHeaderState,
  scratch: Uint8Array,
): number {
  if (scratch.length < SNAPSHOT_HEADER_MAX_BYTES) throw new RangeError('snapshot header scratch too small');
  const length = writeSnapshotHeader(scratch, 0, tick, isFullBody(target, bodyStart), part, sent);
  const start = bodyStart - length;
  if (start < 0) throw new RangeError('no room before the body for the snapshot header');
  target.set(scratch.subarray(0, length), start);
  remember(sent, tick, part);
  return start;
}

/** Whether the body at `bodyStart` is a full snapshot's: its baseAge, the first element, is 0 (one byte, 0x00). */
function isFullBody(bytes: Uint8Array, bodyStart: number): boolean {
  return bytes[bodyStart] === 0;
}

/**
 * The head mask for this frame (PROTOCOL.md, "SNAPSHOT header"). Throws RangeError when a counter
 * that only grows went down: a bug in the caller, not something the wire can say.
 */
function snapshotHead(full: boolean, part: SnapshotClientPart, sent: SnapshotHeaderState): number {
  let head = full ? SnapshotHeadBit.TICK : 0;
  for (const { bit, key, advance } of SNAPSHOT_INPUT_FIGURES) {
    if (advance && part[key] < sent[key]) {
      throw new RangeError('lastInputSeq, starvedInputs and droppedInputs only grow');
    }
    if (part[key] !== sent[key]) head |= bit;
  }
  if (part.pong !== undefined) head |= SnapshotHeadBit.PONG;
  if (part.hasDeferred === true) head |= SnapshotHeadBit.DEFERRED;
  return head;
}

/** [65, head, ...present: the array header and the client's part, against `sent` (left as it is). */
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
  target[offset++] = 0x90 | (2 + popCount(head) + BODY_ELEMENTS);
  target[offset++] = ServerMessageId.SNAPSHOT;
  target[offset++] = head;
  if ((head & SnapshotHeadBit.TICK) !== 0) offset = writeUintAt(target, offset, tick);
  for (const { bit, key, advance } of SNAPSHOT_INPUT_FIGURES) {
    if ((head & bit) !== 0) offset = writeUintAt(target, offset, advance ? part[key] - sent[key] : part[key]);
  }
  const pong = part.pong;
  if (pong !== undefined) {
    target[offset++] = 0x94;
    offset = writeUintAt(target, offset, pong.pingId);
    offset = writeFloat64(target, offset, pong.clientTimeMs);
    offset = writeFloat64(target, offset, pong.serverReceiveTick);
    offset = writeFloat64(target, offset, pong.serverSendTick);
  }
  return offset;
}

/** What both ends hold after a SNAPSHOT: its tick and its input figures. */
function remember(state: SnapshotHeaderState, tick: number, figures: SnapshotInputFigures): void {
  state.tick = tick;
  for (const { key } of SNAPSHOT_INPUT_FIGURES) state[key] = figures[key];
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
  for (const { bit, key, advance } of SNAPSHOT_INPUT_FIGURES) {
    if ((head & bit) !== 0) wire.push(advance ? message[key] - sent[key] : message[key]);
  }
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
  const bodyAt = 2 + popCount(head & SNAPSHOT_HEADER_BITS);
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
  // lastInputSeq, inputBuffer, starvedInputs, droppedInputs: as held unless present.
  const figures: unknown[] = [];
  for (const { bit, key, advance } of SNAPSHOT_INPUT_FIGURES) {
    if ((head & bit) === 0) {
      figures.push(held[key]);
      continue;
    }
    const value = wire[at++];
    if (!advance) figures.push(value);
    else if (isAdvance(value)) figures.push(held[key] + value);
    else return `SNAPSHOT.${key}: its advance is an integer ≥ 1`;
  }
  const pong = (head & SnapshotHeadBit.PONG) !== 0 ? [wire[at++]] : [];
  return [
    ServerMessageId.SNAPSHOT,
    tick,
    ...figures,
    pong,
    ...wire.slice(at, at + BODY_ELEMENTS),
    deferred ? wire[at + BODY_ELEMENTS] : [],
  ];
}

/** After a SNAPSHOT validated whole: what the connection now holds. Mirror of `remember`. */
export function rememberSnapshotHeader(held: SnapshotHeaderState, message: SnapshotMessage): void {
  remember(held, message.tick, message);
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
  for (const { bit } of SNAPSHOT_INPUT_FIGURES) if ((head & bit) !== 0) offset = skipNumber(frame, offset);
  if ((head & SnapshotHeadBit.PONG) !== 0) {
    if (frame[offset] !== 0x94) return undefined;
    offset++;
    for (let i = 0; i < 4; i++) offset = skipNumber(frame, offset);
  }
  const baseAge = readUintAt(frame, offset);
  return baseAge === undefined ? undefined : heldTick + baseAge;
}

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

/** MessagePack float 64 (0xcb, big-endian): what msgpackr writes for any non-integer number. */
function writeFloat64(bytes: Uint8Array, offset: number, value: number): number {
  if (Number.isInteger(value) && value >= 0 && value < 0x1_0000_0000) return writeUintAt(bytes, offset, value);
  float64[0] = value;
  bytes[offset] = 0xcb;
  for (let i = 0; i < 8; i++) bytes[offset + 1 + i] = float64Bytes[littleEndian ? 7 - i : i]!;
  return offset + 9;
}
