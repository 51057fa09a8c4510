// Assembles one client's SNAPSHOT frame: its own small part (tick, its input stats, its pong), then
// the body shared by every client with the same baseline. Runs once per client per snapshot; writes
// into a buffer the caller reuses, so the send path allocates nothing per client.
import { ServerMessageId } from './messageIds.js';
import { type Pong, snapshotFields } from './messages.js';
import { readUintAt, writeUintAt } from './msgpackBytes.js';

/** What differs per client in a SNAPSHOT, besides its baseline (see messages.ts, snapshotFields). */
export interface SnapshotClientPart {
  lastInputSeq: number;
  inputBuffer: number;
  starvedInputs: number;
  droppedInputs: number;
  /** The answer to this client's newest PING since its last snapshot, if any. */
  pong: Pong | undefined;
}

/** Largest per-client part: fixarray, id, tick, 4 uints, and a pong [[uint, f64, f64, f64]]. */
export const SNAPSHOT_HEADER_MAX_BYTES = 1 + 1 + 5 + 4 * 5 + (1 + 1 + 5 + 3 * 9);
const SNAPSHOT_ARRAY_LENGTH = 1 + snapshotFields.length;

// Scratch for float64 encoding: reused, holds no state between calls.
const float64 = new Float64Array(1);
const float64Bytes = new Uint8Array(float64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Write [65, tick, lastInputSeq, inputBuffer, starvedInputs, droppedInputs, pong, <body>] into
 * `target` from `start`; return the length written. `body` holds the encoded baseAge, created,
 * changed, removed, shots and kills (SnapshotEncoder's output). The frame is byte-identical to encodeServerMessage
 * of the same message (a test checks). `target` needs start + SNAPSHOT_HEADER_MAX_BYTES + body.length bytes.
 */
export function writeSnapshotFrame(
  target: Uint8Array,
  tick: number,
  part: SnapshotClientPart,
  body: Uint8Array,
  start = 0,
): number {
  if (target.length < start + SNAPSHOT_HEADER_MAX_BYTES + body.length) {
    throw new RangeError('snapshot frame buffer too small');
  }
  const offset = writeSnapshotHeader(target, start, tick, part);
  target.set(body, offset);
  return offset + body.length - start;
}

/**
 * Write this client's part of a SNAPSHOT so that it ends exactly at `bodyStart`, where a body is
 * already in `target`; return where the frame starts. The body is then shared by every client in
 * place: only this header (at most SNAPSHOT_HEADER_MAX_BYTES) is written per client. `scratch`
 * (at least SNAPSHOT_HEADER_MAX_BYTES, reused) holds the header while its length is found. The
 * frame [returned start, bodyStart + body length) is byte-identical to writeSnapshotFrame's.
 */
export function writeSnapshotHeaderBefore(
  target: Uint8Array,
  bodyStart: number,
  tick: number,
  part: SnapshotClientPart,
  scratch: Uint8Array,
): number {
  if (scratch.length < SNAPSHOT_HEADER_MAX_BYTES) throw new RangeError('snapshot header scratch too small');
  const length = writeSnapshotHeader(scratch, 0, tick, part);
  const start = bodyStart - length;
  if (start < 0) throw new RangeError('no room before the body for the snapshot header');
  target.set(scratch.subarray(0, length), start);
  return start;
}

/** [65, tick, lastInputSeq, inputBuffer, starvedInputs, droppedInputs, pong, ...: the array header and the client's part. */
function writeSnapshotHeader(target: Uint8Array, start: number, tick: number, part: SnapshotClientPart): number {
  let offset = start;
  target[offset++] = 0x90 | SNAPSHOT_ARRAY_LENGTH;
  target[offset++] = ServerMessageId.SNAPSHOT;
  offset = writeUintAt(target, offset, tick);
  offset = writeUintAt(target, offset, part.lastInputSeq);
  offset = writeUintAt(target, offset, part.inputBuffer);
  offset = writeUintAt(target, offset, part.starvedInputs);
  offset = writeUintAt(target, offset, part.droppedInputs);
  const pong = part.pong;
  if (pong === undefined) {
    target[offset++] = 0x90;
  } else {
    target[offset++] = 0x91;
    target[offset++] = 0x94;
    offset = writeUintAt(target, offset, pong.pingId);
    offset = writeFloat64(target, offset, pong.clientTimeMs);
    offset = writeFloat64(target, offset, pong.serverReceiveTick);
    offset = writeFloat64(target, offset, pong.serverSendTick);
  }
  return offset;
}

/**
 * The tick of a SNAPSHOT frame, read from its first bytes (array header, id, tick) without decoding
 * the rest; undefined when `frame` does not start like a SNAPSHOT. For load generators that only
 * acknowledge (bots with --load-only). A client that uses the state decodes the whole frame with
 * decodeServerFrame, which also validates it.
 */
export function peekSnapshotTick(frame: Uint8Array): number | undefined {
  const first = frame[0];
  let offset: number;
  if (first !== undefined && (first & 0xf0) === 0x90)
    offset = 1; // fixarray
  else if (first === 0xdc)
    offset = 3; // array 16
  else return undefined;
  if (frame[offset] !== ServerMessageId.SNAPSHOT) return undefined;
  return readUintAt(frame, offset + 1);
}

/** MessagePack float 64 (0xcb, big-endian): what msgpackr writes for any non-integer number. */
function writeFloat64(bytes: Uint8Array, offset: number, value: number): number {
  if (Number.isInteger(value) && value >= 0 && value < 0x1_0000_0000) return writeUintAt(bytes, offset, value);
  float64[0] = value;
  bytes[offset] = 0xcb;
  for (let i = 0; i < 8; i++) bytes[offset + 1 + i] = float64Bytes[littleEndian ? 7 - i : i]!;
  return offset + 9;
}
