// Assembles one client's SNAPSHOT frame: its own small header, then the body shared by every client
// with the same baseline. Runs once per client per snapshot; writes into a buffer the caller reuses,
// so the send path allocates nothing per client.
import { ServerMessageId } from './messageIds.js';
import { snapshotFields } from './messages.js';

/** Largest header: fixarray, fixint id, uint32 tick, uint32 lastInputSeq. */
export const SNAPSHOT_HEADER_MAX_BYTES = 1 + 1 + 5 + 5;
const SNAPSHOT_ARRAY_LENGTH = 1 + snapshotFields.length;

/**
 * Write [65, tick, lastInputSeq, <body>] into `target` from `offset` and return the length written.
 * `body` holds the encoded baseAge, created, changed and removed (SnapshotEncoder's output).
 * The frame is byte-identical to encodeServerMessage of the same message (a test checks).
 * `target` must hold offset + SNAPSHOT_HEADER_MAX_BYTES + body.length bytes.
 */
export function writeSnapshotFrame(
  target: Uint8Array,
  tick: number,
  lastInputSeq: number,
  body: Uint8Array,
  start = 0,
): number {
  if (target.length < start + SNAPSHOT_HEADER_MAX_BYTES + body.length) {
    throw new RangeError('snapshot frame buffer too small');
  }
  let offset = start;
  target[offset++] = 0x90 | SNAPSHOT_ARRAY_LENGTH;
  target[offset++] = ServerMessageId.SNAPSHOT;
  offset = writeUint(target, offset, tick);
  offset = writeUint(target, offset, lastInputSeq);
  target.set(body, offset);
  return offset + body.length - start;
}

/** MessagePack's shortest encoding of an unsigned integer up to 2^32 − 1. */
function writeUint(bytes: Uint8Array, offset: number, value: number): number {
  if (value < 0x80) {
    bytes[offset] = value;
    return offset + 1;
  }
  if (value < 0x100) {
    bytes[offset] = 0xcc;
    bytes[offset + 1] = value;
    return offset + 2;
  }
  if (value < 0x10000) {
    bytes[offset] = 0xcd;
    bytes[offset + 1] = value >>> 8;
    bytes[offset + 2] = value & 0xff;
    return offset + 3;
  }
  bytes[offset] = 0xce;
  bytes[offset + 1] = value >>> 24;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 8) & 0xff;
  bytes[offset + 4] = value & 0xff;
  return offset + 5;
}
