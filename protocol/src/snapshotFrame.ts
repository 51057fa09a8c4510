// Builds SNAPSHOT frames from one shared body; the body is encoded once per snapshot tick and each
// client's frame adds only its own small header, so the cost per client is a copy, not an encode.
import { packr } from './codec.js';
import { writeFields } from './fields.js';
import { ServerMessageId } from './messageIds.js';
import type { SnapshotPlayer } from './messages.js';
import { snapshotFields, snapshotPlayerFields } from './messages.js';

/** The players list of a snapshot, encoded once and shared by every client's frame. */
export function encodeSnapshotPlayers(players: readonly SnapshotPlayer[]): Uint8Array {
  const tuples: unknown[][] = new Array(players.length);
  for (let i = 0; i < players.length; i++) {
    const tuple: unknown[] = [];
    writeFields(players[i]!, snapshotPlayerFields, tuple);
    tuples[i] = tuple;
  }
  return packr.pack(tuples);
}

/** Largest header: fixarray, fixint id, uint32 tick, uint32 seq. */
const MAX_HEADER_BYTES = 1 + 1 + 5 + 5;
const SNAPSHOT_ARRAY_LENGTH = 1 + snapshotFields.length;

/**
 * One client's SNAPSHOT frame: [65, tick, lastInputSeq, <players body>], byte-identical to
 * encodeServerMessage of the same message (a test checks), without re-encoding the body.
 */
export function assembleSnapshotFrame(tick: number, lastInputSeq: number, playersBody: Uint8Array): Uint8Array {
  const frame = new Uint8Array(MAX_HEADER_BYTES + playersBody.length);
  let offset = 0;
  frame[offset++] = 0x90 | SNAPSHOT_ARRAY_LENGTH;
  frame[offset++] = ServerMessageId.SNAPSHOT;
  offset = writeUint(frame, offset, tick);
  offset = writeUint(frame, offset, lastInputSeq);
  frame.set(playersBody, offset);
  return frame.subarray(0, offset + playersBody.length);
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
