// The one configured MessagePack codec and the frame decoders; runs once per frame sent or received.
// Frames are plain MessagePack arrays [id, ...fields] that any MessagePack library reads:
// no records, no shared structures, no msgpackr extensions (PROTOCOL.md, Encoding).
import { C1, Packr } from 'msgpackr';
import { CloseCode } from './closeCodes.js';
import { type FieldSpec, isFieldError, readFields, requiredFieldCount, writeFields } from './fields.js';
import { ClientMessageId, isClientMessageId, isServerMessageId, messageIdName, ServerMessageId } from './messageIds.js';
import {
  type ClientMessage,
  clientMessageFields,
  type ServerMessage,
  type SnapshotMessage,
  serverMessageFields,
  snapshotFields,
} from './messages.js';
import { expandSnapshotTuple, rememberSnapshotHeader, snapshotWireTuple } from './snapshotFrame.js';
import type { SnapshotHeaderState } from './snapshotHeader.js';
import { PROTOCOL_VERSION } from './version.js';

/** useRecords off and no structures: plain MessagePack; int64 decodes to a number the validator range-checks. */
export const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  bundleStrings: false,
  mapsAsObjects: true,
  int64AsType: 'number',
});

export type DecodeResult<M> = { ok: true; message: M } | { ok: false; code: CloseCode; reason: string };

export function encodeClientMessage(message: ClientMessage): Uint8Array {
  return encodeWith(message, clientMessageFields[message.id]);
}

/** Every server message but SNAPSHOT, whose header depends on the connection: encodeSnapshotMessage. */
export function encodeServerMessage(message: Exclude<ServerMessage, SnapshotMessage>): Uint8Array {
  return encodeWith(message, serverMessageFields[message.id]);
}

/**
 * A SNAPSHOT for a connection that was last sent `sent` (newSnapshotHeaderState() before its first);
 * `sent` becomes this message's values. The slow twin of writeSnapshotFrame, byte for byte.
 */
export function encodeSnapshotMessage(message: SnapshotMessage, sent: SnapshotHeaderState): Uint8Array {
  const tuple: unknown[] = [];
  writeFields(message, snapshotFields, tuple);
  return packr.pack(snapshotWireTuple(message, { pong: tuple[5] as unknown[][], body: tuple.slice(6) }, sent));
}

function encodeWith(message: { id: number }, fields: readonly FieldSpec[]): Uint8Array {
  const tuple: unknown[] = [message.id];
  writeFields(message as never, fields, tuple);
  // An optional trailing field left out (HELLO's resumeToken) is not sent at all.
  if (tuple[tuple.length - 1] === undefined) tuple.pop();
  return packr.pack(tuple);
}

/** Untrusted bytes from a client → a checked message, or the close code to send. Never throws. */
export function decodeClientFrame(bytes: Uint8Array): DecodeResult<ClientMessage> {
  return decodeFrame(bytes, (id) => (isClientMessageId(id) ? clientMessageFields[id] : undefined));
}

/**
 * Bytes from the server → a checked message, or why not. Never throws. `held` is what this
 * connection's SNAPSHOTs left (newSnapshotHeaderState() when it opens): a SNAPSHOT's header is read
 * from it, and it is updated once the SNAPSHOT validated whole.
 */
export function decodeServerFrame(bytes: Uint8Array, held: SnapshotHeaderState): DecodeResult<ServerMessage> {
  const result = decodeFrame<ServerMessage>(
    bytes,
    (id) => (isServerMessageId(id) ? serverMessageFields[id] : undefined),
    held,
  );
  if (result.ok && result.message.id === ServerMessageId.SNAPSHOT) rememberSnapshotHeader(held, result.message);
  return result;
}

function decodeFrame<M>(
  bytes: Uint8Array,
  fieldsOf: (id: number) => readonly FieldSpec[] | undefined,
  held?: SnapshotHeaderState,
): DecodeResult<M> {
  let value: unknown;
  try {
    // unpack throws on truncated data and on trailing bytes after the first value.
    value = packr.unpack(bytes);
  } catch (error) {
    return { ok: false, code: CloseCode.UNDECODABLE, reason: undecodableReason(error) };
  }
  // msgpackr returns a marker for the reserved byte 0xc1 instead of throwing. Inside an array it is
  // just a field of the wrong type (INVALID_MESSAGE); as the whole frame it is not MessagePack.
  if (value === C1) return { ok: false, code: CloseCode.UNDECODABLE, reason: 'reserved byte 0xc1' };
  if (!Array.isArray(value) || value.length === 0) {
    return { ok: false, code: CloseCode.INVALID_MESSAGE, reason: 'a message is a non-empty array' };
  }
  const id: unknown = value[0];
  if (typeof id !== 'number' || !Number.isInteger(id)) {
    return { ok: false, code: CloseCode.INVALID_MESSAGE, reason: 'message id is not an integer' };
  }
  const fields = fieldsOf(id);
  if (fields === undefined) {
    return { ok: false, code: CloseCode.UNKNOWN_MESSAGE, reason: `unknown message id ${id}` };
  }
  // HELLO's resumeToken (position 4) may be absent: a client that never resumes need not send it.
  if (id === ClientMessageId.HELLO && value.length === fields.length) value.push('');
  // A SNAPSHOT's header leaves out what the connection already holds (snapshotFrame.ts): put it
  // back, then check the whole like any message.
  let tuple: readonly unknown[] = value;
  if (id === ServerMessageId.SNAPSHOT && held !== undefined) {
    const expanded = expandSnapshotTuple(value, held);
    if (typeof expanded === 'string') return { ok: false, code: CloseCode.INVALID_MESSAGE, reason: expanded };
    tuple = expanded;
  }
  const read = readFields(tuple, 1, fields, messageIdName(id), { id });
  if (isFieldError(read)) {
    // A HELLO of an older protocol version has fewer fields: a client of version 6 (no seat) is
    // told its version is wrong, not that its message is malformed. (Version 7's HELLO is version
    // 9's without its optional resumeToken, and version 8's is version 9's: they decode, and the
    // room answers their version.)
    if (
      id === ClientMessageId.HELLO &&
      value.length <= requiredFieldCount(fields) &&
      Number.isInteger(value[1]) &&
      value[1] !== PROTOCOL_VERSION
    ) {
      return {
        ok: false,
        code: CloseCode.VERSION_MISMATCH,
        reason: `server speaks protocol ${PROTOCOL_VERSION}, client ${String(value[1]).slice(0, 12)}`,
      };
    }
    return { ok: false, code: CloseCode.INVALID_MESSAGE, reason: `${read.path}: ${read.problem}` };
  }
  return { ok: true, message: read as M };
}

/**
 * Why the bytes are not one MessagePack value, in words of our own: msgpackr's messages quote the
 * decoded value (as JSON, at any length), and a close reason must never echo untrusted input.
 */
function undecodableReason(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('Data read, but end of buffer not reached')) {
    return 'not one MessagePack value: bytes left over after the first value';
  }
  if (message.startsWith('Unexpected end')) return 'not one MessagePack value: the value is cut short';
  return 'not one MessagePack value';
}
