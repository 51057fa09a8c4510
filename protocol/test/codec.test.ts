// Codec tests: every message round-trips, the bytes are plain MessagePack that an independent
// library reads and writes, and every malformed frame gets its close code without a throw.
// Most cases are generated from the field specs, so a new message or field is covered without edits.
import { decode, encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ClientMessage,
  ClientMessageId,
  CloseCode,
  clientMessageFields,
  type DecodeResult,
  decodeClientFrame,
  decodeServerFrame,
  encodeClientMessage,
  encodeServerMessage,
  encodeSnapshotMessage,
  type FieldSpec,
  messageIdName,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  requiredFieldCount,
  type ServerMessage,
  ServerMessageId,
  type SnapshotMessage,
  serverMessageFields,
} from '../src/index.js';

// ── Generators and layouts driven by the field specs, so a new field is covered without edits ──

function fieldArbitrary(field: FieldSpec): fc.Arbitrary<unknown> {
  switch (field.type) {
    case 'uint':
      return fc.integer({ min: field.min ?? 0, max: field.max });
    case 'int':
      return fc.integer({ min: field.min, max: field.max });
    case 'float':
      // -0 is sent as the integer 0 (a test below says so), so generate +0 only.
      return fc.double({ min: field.min, max: field.max, noNaN: true }).map((value) => value + 0);
    case 'string':
      return fc.string({ unit: 'binary', maxLength: field.maxLength }).filter((s) => s.length <= field.maxLength);
    case 'ints':
      return fc.array(fc.integer({ min: field.min, max: field.max }), { maxLength: Math.min(field.maxItems, 60) });
    case 'list':
      return fc.array(recordArbitrary(field.item), { maxLength: Math.min(field.maxItems, 40) });
  }
}

function recordArbitrary(fields: readonly FieldSpec[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(fields.map((field) => [field.name, fieldArbitrary(field)])));
}

function messageArbitrary<M>(id: number, fields: readonly FieldSpec[]): fc.Arbitrary<M> {
  return recordArbitrary(fields).map((record) => ({ id, ...record }) as M);
}

/** The wire tuple of a message, written out independently of writeFields. */
function tupleOf(record: Record<string, unknown>, fields: readonly FieldSpec[]): unknown[] {
  return fields.map((field) => {
    const value = record[field.name];
    return field.type === 'list'
      ? (value as Record<string, unknown>[]).map((item) => tupleOf(item, field.item))
      : value;
  });
}

/** A valid example of every field (its minimum), for building malformed variants. */
function exampleValue(field: FieldSpec): unknown {
  switch (field.type) {
    case 'uint':
      return field.min ?? 0;
    case 'int':
    case 'float':
      return field.min;
    case 'string':
      return 'bot';
    case 'ints':
      return [field.min, field.max];
    case 'list':
      return [field.item.map(exampleValue)];
  }
}

function exampleTuple(id: number, fields: readonly FieldSpec[]): unknown[] {
  return [id, ...fields.map(exampleValue)];
}

const clientMessages = Object.entries(clientMessageFields).map(([id, fields]) => ({
  id: Number(id),
  name: messageIdName(Number(id)),
  fields: fields as readonly FieldSpec[],
}));
// SNAPSHOT is left out of the spec-driven cases: its header depends on what the connection holds,
// so its wire array is not [id, ...fields] (snapshotHeader.test.ts covers it).
const serverMessages = Object.entries(serverMessageFields)
  .map(([id, fields]) => ({
    id: Number(id),
    name: messageIdName(Number(id)),
    fields: fields as readonly FieldSpec[],
  }))
  .filter(({ id }) => id !== ServerMessageId.SNAPSHOT);
type NonSnapshotMessage = Exclude<ServerMessage, SnapshotMessage>;
const closeCodes = new Set<number>(Object.values(CloseCode));

/** A server frame as the first frame a connection reads (nothing held yet). */
function decodeServer(bytes: Uint8Array): DecodeResult<ServerMessage> {
  return decodeServerFrame(bytes, newSnapshotHeaderState());
}

function codeOf(result: DecodeResult<unknown>): number | 'ok' {
  return result.ok ? 'ok' : result.code;
}

/** Bytes from hex text; spaces are ignored. */
function hex(text: string): Uint8Array {
  return Uint8Array.from(text.replace(/\s+/g, '').match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The next float 64 above `value`: the smallest step past a bound the wire can carry there. */
function nextUp(value: number): number {
  if (value === 0) return Number.MIN_VALUE;
  const float = new Float64Array([value]);
  const bits = new BigInt64Array(float.buffer);
  bits[0] = bits[0]! + (value > 0 ? 1n : -1n);
  return float[0]!;
}

function nextDown(value: number): number {
  return -nextUp(-value);
}

/**
 * Whether a message holds a float field whose value is a whole number of 2^32 or more. msgpackr
 * writes those as float 64 and @msgpack/msgpack as uint 64: both plain MessagePack, same value.
 */
function holdsLargeWholeFloat(record: Record<string, unknown>, fields: readonly FieldSpec[]): boolean {
  return fields.some((field) => {
    const value = record[field.name];
    if (field.type === 'float') return Number.isInteger(value) && Math.abs(value as number) >= 2 ** 32;
    if (field.type === 'list') {
      return (value as Record<string, unknown>[]).some((item) => holdsLargeWholeFloat(item, field.item));
    }
    return false;
  });
}

const validInput: ClientMessage = {
  id: ClientMessageId.INPUT,
  seq: 7,
  ackTick: 42,
  tick: 45,
  moveX: Math.SQRT1_2,
  moveY: -Math.SQRT1_2,
  buttons: 0,
  aimAngle: 0,
  viewTick: 0,
};

// ── Round trips ──

describe('round trips', () => {
  for (const { id, name, fields } of clientMessages) {
    it(`${name} survives encodeClientMessage → decodeClientFrame unchanged`, () => {
      fc.assert(
        fc.property(messageArbitrary<ClientMessage>(id, fields), (message) => {
          expect(decodeClientFrame(encodeClientMessage(message))).toEqual({ ok: true, message });
        }),
        { numRuns: 500 },
      );
    });
  }
  for (const { id, name, fields } of serverMessages) {
    it(`${name} survives encodeServerMessage → decodeServerFrame unchanged`, () => {
      fc.assert(
        fc.property(messageArbitrary<NonSnapshotMessage>(id, fields), (message) => {
          expect(decodeServer(encodeServerMessage(message))).toEqual({ ok: true, message });
        }),
        { numRuns: 300 },
      );
    });
  }

  it('sends a float field of -0 as the integer 0, which decodes to 0', () => {
    const bytes = encodeClientMessage({ ...validInput, moveX: -0 });
    expect(bytes[5]).toBe(0x00); // [0x99, 2, 7, 42, 45, moveX, …]
    expect(decode(bytes)).toEqual([2, 7, 42, 45, 0, -Math.SQRT1_2, 0, 0, 0]);
    expect(decodeClientFrame(bytes)).toEqual({ ok: true, message: { ...validInput, moveX: 0 } });
  });

  it('decodes a frame that is a view into a larger buffer (ws hands out pooled slices)', () => {
    const frame = encodeClientMessage(validInput);
    const pool = new Uint8Array(256).fill(0xc1);
    pool.set(frame, 37);
    expect(decodeClientFrame(pool.subarray(37, 37 + frame.length))).toEqual({ ok: true, message: validInput });
  });

  it('gives a decoded message exactly the id and the spec fields as own properties', () => {
    fc.assert(
      fc.property(fc.constantFrom(...clientMessages), ({ id, fields }) => {
        const decoded = decodeClientFrame(encode(exampleTuple(id, fields)));
        expect(decoded.ok).toBe(true);
        if (decoded.ok) expect(Object.keys(decoded.message)).toEqual(['id', ...fields.map((field) => field.name)]);
      }),
    );
  });
});

// ── Plain MessagePack, both ways, against an independent library ──

describe('plain MessagePack', () => {
  for (const { id, name, fields } of clientMessages) {
    it(`${name} bytes decode with @msgpack/msgpack to [id, ...fields] and equal its own encoding`, () => {
      fc.assert(
        fc.property(messageArbitrary<ClientMessage>(id, fields), (message) => {
          const bytes = encodeClientMessage(message);
          const tuple = [id, ...tupleOf(message, fields)];
          expect(decode(bytes)).toEqual(tuple);
          // Same bytes as another encoder: shortest integers, float64, no extensions (a whole
          // float ≥ 2^32 is the one difference: a test below pins both forms).
          if (!holdsLargeWholeFloat(message, fields)) expect(toHex(bytes)).toBe(toHex(encode(tuple)));
        }),
        { numRuns: 300 },
      );
    });
    it(`${name} encoded by @msgpack/msgpack decodes with decodeClientFrame`, () => {
      fc.assert(
        fc.property(messageArbitrary<ClientMessage>(id, fields), (message) => {
          expect(decodeClientFrame(encode([id, ...tupleOf(message, fields)]))).toEqual({ ok: true, message });
        }),
        { numRuns: 300 },
      );
    });
  }
  for (const { id, name, fields } of serverMessages) {
    it(`${name} bytes decode with @msgpack/msgpack to [id, ...fields] and equal its own encoding`, () => {
      fc.assert(
        fc.property(messageArbitrary<NonSnapshotMessage>(id, fields), (message) => {
          const bytes = encodeServerMessage(message);
          const tuple = [id, ...tupleOf(message, fields)];
          expect(decode(bytes)).toEqual(tuple);
          if (!holdsLargeWholeFloat(message, fields)) expect(toHex(bytes)).toBe(toHex(encode(tuple)));
        }),
        { numRuns: 200 },
      );
    });
    it(`${name} encoded by @msgpack/msgpack decodes with decodeServerFrame`, () => {
      fc.assert(
        fc.property(messageArbitrary<NonSnapshotMessage>(id, fields), (message) => {
          expect(decodeServer(encode([id, ...tupleOf(message, fields)]))).toEqual({ ok: true, message });
        }),
        { numRuns: 200 },
      );
    });
  }

  it('encodes a HELLO as the bytes a reader of PROTOCOL.md would write by hand', () => {
    const bytes = encodeClientMessage({ id: ClientMessageId.HELLO, protocolVersion: 7, name: 'bot', seat: 'a.b' });
    // fixarray(4), fixint 1, fixint 7, fixstr(3) "bot", fixstr(3) "a.b"
    expect(toHex(bytes)).toBe('940107a3626f74a3612e62');
  });

  it('closes a HELLO of version 6 (no seat) with 4005 VERSION_MISMATCH, not as malformed', () => {
    // [1, 6, "bot"]: what a client of the previous version sends.
    const result = decodeClientFrame(hex('930106a3626f74'));
    expect(codeOf(result)).toBe(CloseCode.VERSION_MISMATCH);
    // The same short HELLO claiming this version is malformed.
    expect(codeOf(decodeClientFrame(encode([1, PROTOCOL_VERSION, 'bot'])))).toBe(CloseCode.INVALID_MESSAGE);
  });

  it('encodes an INPUT with its tick estimate between ackTick and moveX', () => {
    const bytes = encodeClientMessage({ ...validInput, tick: 300, moveX: 1, moveY: 0 });
    // fixarray(9), 2, seq 7, ackTick 42, tick uint16 300, moveX 1, moveY 0, buttons 0, aimAngle 0, viewTick 0
    expect(toHex(bytes)).toBe(toHex(hex('99 02 07 2a cd 01 2c 01 00 00 00 00')));
  });

  it('encodes an INPUT firing both weapons, aimed west, seeing tick 298.5, as float 64 aim and view', () => {
    const bytes = encodeClientMessage({
      ...validInput,
      tick: 300,
      moveX: 0,
      moveY: 0,
      buttons: 3,
      aimAngle: Math.PI,
      viewTick: 298.5,
    });
    // … buttons 3, aimAngle float64 π, viewTick float64 298.5
    expect(toHex(bytes)).toBe(
      toHex(hex('99 02 07 2a cd 01 2c 00 00 03 cb 40 09 21 fb 54 44 2d 18 cb 40 72 a8 00 00 00 00 00')),
    );
  });

  it('encodes a CHAT as [6, text] with the text as a str of UTF-8 bytes', () => {
    const bytes = encodeClientMessage({ id: ClientMessageId.CHAT, text: 'gg é' });
    // fixarray(2), 6, fixstr(5) "gg é" (é is two UTF-8 bytes)
    expect(toHex(bytes)).toBe(toHex(hex('92 06 a5 67 67 20 c3 a9')));
  });

  it('encodes a PING with a fractional clientTimeMs as float 64 and a whole one below 2^32 as an integer', () => {
    const fractional = encodeClientMessage({ id: ClientMessageId.PING, pingId: 1, clientTimeMs: 12345.678 });
    expect(toHex(fractional)).toBe(toHex(hex('93 04 01 cb 40 c8 1c d6 c8 b4 39 58')));
    const whole = encodeClientMessage({ id: ClientMessageId.PING, pingId: 300, clientTimeMs: 7 });
    expect(toHex(whole)).toBe(toHex(hex('93 04 cd 01 2c 07')));
    expect(decodeClientFrame(whole)).toEqual({
      ok: true,
      message: { id: ClientMessageId.PING, pingId: 300, clientTimeMs: 7 },
    });
  });

  it('writes a whole float of 2^32 or more as float 64, and reads it as uint 64 from other encoders', () => {
    // Date.now() is such a number. msgpackr writes float 64 (like writeSnapshotFrame);
    // @msgpack/msgpack writes uint 64. Both are plain MessagePack for the same value.
    const ping = { id: ClientMessageId.PING, pingId: 1, clientTimeMs: 1_700_000_000_000 } as const;
    const ours = encodeClientMessage(ping);
    const theirs = encode([4, 1, 1_700_000_000_000]);
    expect(toHex(ours)).toBe(toHex(hex('93 04 01 cb 42 78 bc fe 56 80 00 00')));
    expect(toHex(theirs)).toBe(toHex(hex('93 04 01 cf 00 00 01 8b cf e5 68 00')));
    expect(decodeClientFrame(ours)).toEqual({ ok: true, message: ping });
    expect(decodeClientFrame(theirs)).toEqual({ ok: true, message: ping });
    expect(decode(ours)).toEqual([4, 1, 1_700_000_000_000]);
  });

  it('encodes a DEBUG_NUDGE with negative and positive quanta as signed and unsigned integers', () => {
    const bytes = encodeClientMessage({ id: ClientMessageId.DEBUG_NUDGE, dx: -16, dy: 300 });
    // fixarray(3), 5, negative fixint -16, uint16 300
    expect(toHex(bytes)).toBe(toHex(hex('93 05 f0 cd 01 2c')));
    expect(toHex(encodeClientMessage({ id: ClientMessageId.DEBUG_NUDGE, dx: -32768, dy: 32767 }))).toBe(
      toHex(hex('93 05 d1 80 00 cd 7f ff')),
    );
  });

  it('encodes a DEBUG_STATE_REQUEST as the id alone in a one-element array', () => {
    const bytes = encodeClientMessage({ id: ClientMessageId.DEBUG_STATE_REQUEST });
    expect(toHex(bytes)).toBe('9103');
    expect(decodeClientFrame(bytes)).toEqual({ ok: true, message: { id: ClientMessageId.DEBUG_STATE_REQUEST } });
  });

  it('encodes a delta SNAPSHOT as the bytes a reader of PROTOCOL.md would write by hand', () => {
    const sent = { tick: 123, lastInputSeq: 8, inputBuffer: 1, starvedInputs: 0, droppedInputs: 150 };
    const bytes = encodeSnapshotMessage(
      {
        id: ServerMessageId.SNAPSHOT,
        tick: 124,
        lastInputSeq: 9,
        inputBuffer: 1,
        starvedInputs: 0,
        droppedInputs: 200,
        pong: [],
        baseAge: 1,
        created: [],
        changed: [7, 0b000101, 75, 16589],
        removed: [4],
        shots: [{ tick: 124, shooterId: 7, weapon: 0, x0: 16589, y0: 8000, x1: 16000, y1: 8000, hitId: 4 }],
        kills: [{ tick: 124, killerId: 7, victimId: 4, weapon: 0 }],
        deferred: [],
      },
      sent,
    );
    // fixarray(10), 65, head 18 (INPUT_SEQ 2 + DROPPED 16), seq +1, dropped +50 (tick: 123 held + baseAge;
    // inputBuffer and starvedInputs unchanged), baseAge 1, created [], changed [7, 5, 75, uint16 16589],
    // removed [4], shots [[124, 7, 0, 16589, 8000, 16000, 8000, 4]], kills [[124, 7, 4, 0]]
    expect(toHex(bytes)).toBe(
      toHex(
        hex(
          '9a 41 12 01 32 01 90 94 07 05 4b cd 40 cd 91 04 ' +
            '91 98 7c 07 00 cd 40 cd cd 1f 40 cd 3e 80 cd 1f 40 04 91 94 7c 07 04 00',
        ),
      ),
    );
    expect(sent).toEqual({ tick: 124, lastInputSeq: 9, inputBuffer: 1, starvedInputs: 0, droppedInputs: 200 });
  });

  it('encodes a SNAPSHOT pong as the tuple [pingId, clientTimeMs, serverReceiveTick, serverSendTick] behind its bit', () => {
    const sent = { ...newSnapshotHeaderState(), tick: 130 };
    const bytes = encodeSnapshotMessage(
      {
        id: ServerMessageId.SNAPSHOT,
        tick: 131,
        lastInputSeq: 9,
        inputBuffer: 1,
        starvedInputs: 0,
        droppedInputs: 0,
        pong: [{ pingId: 3, clientTimeMs: 0.5, serverReceiveTick: 130, serverSendTick: 131.25 }],
        baseAge: 1,
        created: [],
        changed: [],
        removed: [],
        shots: [],
        kills: [],
        deferred: [],
      },
      sent,
    );
    // fixarray(11), 65, head 38 (INPUT_SEQ 2 + INPUT_BUFFER 4 + PONG 32), seq +9, inputBuffer 1,
    // pong [3, float64 0.5, 130 (whole: an integer), float64 131.25], baseAge 1, [], [], [], [], []
    expect(toHex(bytes)).toBe(
      toHex(hex('9b 41 26 09 01 94 03 cb 3f e0 00 00 00 00 00 00 cc 82 cb 40 60 68 00 00 00 00 00 01 90 90 90 90 90')),
    );
  });

  it('accepts integers in any width, not only the shortest (uint64 1 and int16 1 read as 1)', () => {
    const uint64One = hex('94 01 cf 00 00 00 00 00 00 00 01 a0 a0');
    const int16One = hex('94 01 d1 00 01 a0 a0');
    // resumeToken, left off (a HELLO of version 7's shape), reads as ''.
    const hello = { id: 1, protocolVersion: 1, name: '', seat: '', resumeToken: '' };
    expect(decodeClientFrame(uint64One)).toEqual({ ok: true, message: hello });
    expect(decodeClientFrame(int16One)).toEqual({ ok: true, message: hello });
  });

  it('accepts float32 and integers in float fields', () => {
    // [2, 1, 0, 0, float32 0.5, int -1, 0, float32 -0.5, int 3]
    const bytes = hex('99 02 01 00 00 ca 3f 00 00 00 ff 00 ca bf 00 00 00 03');
    expect(decodeClientFrame(bytes)).toEqual({
      ok: true,
      message: { id: 2, seq: 1, ackTick: 0, tick: 0, moveX: 0.5, moveY: -1, buttons: 0, aimAngle: -0.5, viewTick: 3 },
    });
    // [4, 1, float32 0.25] and [4, 1, uint64 5]
    expect(decodeClientFrame(hex('93 04 01 ca 3e 80 00 00'))).toEqual({
      ok: true,
      message: { id: 4, pingId: 1, clientTimeMs: 0.25 },
    });
    expect(decodeClientFrame(hex('93 04 01 cf 00 00 00 00 00 00 00 05'))).toEqual({
      ok: true,
      message: { id: 4, pingId: 1, clientTimeMs: 5 },
    });
  });

  it('does not let a msgpackr record definition in one frame change how the next frame decodes', () => {
    // [2, <msgpackr record definition: slot 0x40 = {a}, value {a: 1}>]: a msgpackr-only extension.
    const recordFrame = hex('9202d4724091a16101');
    expect(codeOf(decodeClientFrame(recordFrame))).toBe(CloseCode.INVALID_MESSAGE);
    // 0x40 is a plain fixint 64 in the next frame, not a reference to that record.
    const next = encode([ClientMessageId.INPUT, 0x40, 0x40, 0x40, 0, 0, 0, 0, 0]);
    expect(next[2]).toBe(0x40);
    expect(decodeClientFrame(next)).toEqual({
      ok: true,
      message: { id: 2, seq: 64, ackTick: 64, tick: 64, moveX: 0, moveY: 0, buttons: 0, aimAngle: 0, viewTick: 0 },
    });
  });
});

// ── Malformed frames: each gets its close code, none throws ──

interface BadFrame {
  name: string;
  bytes: Uint8Array;
  code: number;
}

const inputBytes = encodeClientMessage(validInput);

const notOneValue: BadFrame[] = [
  { name: 'an empty buffer', bytes: new Uint8Array(0), code: CloseCode.UNDECODABLE },
  { name: 'a truncated INPUT (last byte missing)', bytes: inputBytes.subarray(0, -1), code: CloseCode.UNDECODABLE },
  { name: 'a truncated INPUT (half a float)', bytes: inputBytes.subarray(0, 8), code: CloseCode.UNDECODABLE },
  {
    name: 'an INPUT with a trailing byte',
    bytes: Uint8Array.from([...inputBytes, 0x00]),
    code: CloseCode.UNDECODABLE,
  },
  {
    name: 'two INPUTs in one frame',
    bytes: Uint8Array.from([...inputBytes, ...inputBytes]),
    code: CloseCode.UNDECODABLE,
  },
  { name: 'the reserved byte 0xc1', bytes: hex('c1'), code: CloseCode.UNDECODABLE },
  { name: 'an unknown extension (fixext1 type 5)', bytes: hex('d40500'), code: CloseCode.UNDECODABLE },
  { name: 'an unknown extension inside HELLO', bytes: hex('930101d40500'), code: CloseCode.UNDECODABLE },
  { name: 'an array32 header claiming 2^32−1 items, no data', bytes: hex('ddffffffff'), code: CloseCode.UNDECODABLE },
  { name: 'a map32 header claiming 2^32−1 pairs, no data', bytes: hex('dfffffffff'), code: CloseCode.UNDECODABLE },
  { name: 'a str32 header claiming 4 GiB, no data', bytes: hex('dbffffffff'), code: CloseCode.UNDECODABLE },
  { name: 'a bin32 header claiming 4 GiB, no data', bytes: hex('c6ffffffff'), code: CloseCode.UNDECODABLE },
  {
    name: 'an array32 header claiming 2^32−1 items inside HELLO',
    bytes: hex('930101ddffffffff'),
    code: CloseCode.UNDECODABLE,
  },
];

const notAMessage: BadFrame[] = [
  // msgpackr reads the reserved byte 0xc1 inside an array as a marker object: a field of the wrong type.
  { name: 'the reserved byte 0xc1 as the message id', bytes: hex('91c1'), code: CloseCode.INVALID_MESSAGE },
  // The timestamp extension (-1) is the one msgpackr knows: it becomes a Date, a wrong type everywhere.
  { name: 'a timestamp', bytes: encode(new Date(0)), code: CloseCode.INVALID_MESSAGE },
  { name: 'a timestamp as the message id', bytes: encode([new Date(0), 1, '']), code: CloseCode.INVALID_MESSAGE },
  { name: 'nil', bytes: encode(null), code: CloseCode.INVALID_MESSAGE },
  { name: 'an integer', bytes: encode(2), code: CloseCode.INVALID_MESSAGE },
  { name: 'a string', bytes: encode('HELLO'), code: CloseCode.INVALID_MESSAGE },
  { name: 'binary', bytes: encode(Uint8Array.of(1, 1)), code: CloseCode.INVALID_MESSAGE },
  { name: 'a map', bytes: encode({ id: 1, protocolVersion: 1, name: '' }), code: CloseCode.INVALID_MESSAGE },
  { name: 'a map with a __proto__ key', bytes: hex('81a95f5f70726f746f5f5f01'), code: CloseCode.INVALID_MESSAGE },
  { name: 'an empty array', bytes: encode([]), code: CloseCode.INVALID_MESSAGE },
  { name: 'a float id', bytes: encode([1.5, 1, '']), code: CloseCode.INVALID_MESSAGE },
  { name: 'a string id', bytes: encode(['1', 1, '']), code: CloseCode.INVALID_MESSAGE },
  { name: 'a nil id', bytes: encode([null, 1, '']), code: CloseCode.INVALID_MESSAGE },
  { name: 'a NaN id', bytes: encode([Number.NaN, 1, '']), code: CloseCode.INVALID_MESSAGE },
  { name: 'an array id', bytes: encode([[1], 1, '']), code: CloseCode.INVALID_MESSAGE },
];

// 1–7 are client ids now (PING 4, DEBUG_NUDGE 5, CHAT 6, ACK 7): 8 is the first free one.
const unknownIds = [
  0,
  8,
  17,
  63,
  ServerMessageId.WELCOME,
  ServerMessageId.SNAPSHOT,
  ServerMessageId.DEBUG_STATE,
  ServerMessageId.PLAYERS,
  ServerMessageId.CHAT,
  ServerMessageId.ROSTER_CHANGES,
  127,
  128,
  255,
  -1,
  2 ** 32,
];

describe('both decoders on malformed frames', () => {
  it.each(notOneValue)('closes $name with 4001 UNDECODABLE', ({ bytes, code }) => {
    expect(codeOf(decodeClientFrame(bytes))).toBe(code);
    expect(codeOf(decodeServer(bytes))).toBe(code);
  });

  it.each(notAMessage)('closes $name with 4002 INVALID_MESSAGE', ({ bytes, code }) => {
    expect(codeOf(decodeClientFrame(bytes))).toBe(code);
    expect(codeOf(decodeServer(bytes))).toBe(code);
  });

  it('closes every proper prefix of every valid client frame with 4001', () => {
    for (const { id, fields } of clientMessages) {
      const bytes = encode(exampleTuple(id, fields));
      for (let end = 0; end < bytes.length; end++) {
        expect(codeOf(decodeClientFrame(bytes.subarray(0, end))), `${id} cut at ${end}`).toBe(CloseCode.UNDECODABLE);
      }
    }
  });

  it('closes the reserved byte 0xc1 or a timestamp where HELLO.name belongs with 4002', () => {
    expect(codeOf(decodeClientFrame(hex('940101c1a0')))).toBe(CloseCode.INVALID_MESSAGE);
    expect(codeOf(decodeClientFrame(encode([1, 1, new Date(0), ''])))).toBe(CloseCode.INVALID_MESSAGE);
  });

  it.each(unknownIds)('closes a frame with unknown client id %d with 4003 UNKNOWN_MESSAGE', (id) => {
    expect(codeOf(decodeClientFrame(encode([id, 1, ''])))).toBe(CloseCode.UNKNOWN_MESSAGE);
  });

  it('closes a server id sent to the server and a client id sent to the client with 4003', () => {
    const welcome = encode(exampleTuple(ServerMessageId.WELCOME, serverMessageFields[ServerMessageId.WELCOME]));
    const hello = encode(exampleTuple(ClientMessageId.HELLO, clientMessageFields[ClientMessageId.HELLO]));
    expect(codeOf(decodeClientFrame(welcome))).toBe(CloseCode.UNKNOWN_MESSAGE);
    expect(codeOf(decodeServer(hello))).toBe(CloseCode.UNKNOWN_MESSAGE);
  });

  it('closes a 100,000-deep nested array with 4001 (the stack overflow is caught) and decodes the next frame', () => {
    const deep = new Uint8Array(100_000).fill(0x91);
    expect(codeOf(decodeClientFrame(deep))).toBe(CloseCode.UNDECODABLE);
    expect(decodeClientFrame(inputBytes)).toEqual({ ok: true, message: validInput });
  });

  it('closes a 500-deep nested array ending in 1 with 4002 (the id is an array)', () => {
    const deep = new Uint8Array(501).fill(0x91);
    deep[500] = 0x01;
    expect(codeOf(decodeClientFrame(deep))).toBe(CloseCode.INVALID_MESSAGE);
  });

  it('decodes an array32 header with no data quickly, without allocating its claimed length', () => {
    const started = Date.now();
    for (let i = 0; i < 1000; i++) decodeClientFrame(hex('ddffffffff'));
    expect(Date.now() - started).toBeLessThan(500);
  });
});

// ── Field-level rejection, generated from the spec table for every message ──

interface FieldCase {
  message: string;
  path: string;
  label: string;
  value: unknown;
  expected: number | 'ok';
}

/** Wrong and boundary values of one field, each with the result the decoder must give. */
function fieldCases(field: FieldSpec): { label: string; value: unknown; expected: number | 'ok' }[] {
  const invalid = CloseCode.INVALID_MESSAGE;
  const wrongTypes = [
    { label: 'nil', value: null },
    { label: 'true', value: true },
    { label: 'a map', value: { a: 1 } },
    { label: 'binary', value: Uint8Array.of(1) },
  ].map((c) => ({ ...c, expected: invalid }));
  switch (field.type) {
    case 'uint':
    case 'int': {
      const min = field.min ?? 0;
      return [
        ...wrongTypes,
        { label: 'a string', value: '1', expected: invalid },
        { label: 'an array', value: [1], expected: invalid },
        { label: `min ${min}`, value: min, expected: 'ok' },
        { label: `max ${field.max}`, value: field.max, expected: 'ok' },
        { label: `min − 1 (${min - 1})`, value: min - 1, expected: invalid },
        { label: `max + 1 (${field.max + 1})`, value: field.max + 1, expected: invalid },
        { label: 'min + 0.5', value: min + 0.5, expected: invalid },
        { label: 'max − 0.5', value: field.max - 0.5, expected: invalid },
        { label: 'NaN', value: Number.NaN, expected: invalid },
        { label: '+Infinity', value: Number.POSITIVE_INFINITY, expected: invalid },
        { label: '−Infinity', value: Number.NEGATIVE_INFINITY, expected: invalid },
        { label: '2^53', value: 2 ** 53, expected: invalid },
        { label: '−2^53', value: -(2 ** 53), expected: invalid },
      ];
    }
    case 'float':
      return [
        ...wrongTypes,
        { label: 'a string', value: '0.5', expected: invalid },
        { label: 'an array', value: [0.5], expected: invalid },
        { label: `min ${field.min}`, value: field.min, expected: 'ok' },
        { label: `max ${field.max}`, value: field.max, expected: 'ok' },
        // The next float 64 past each bound: max + 2^-20 would round back to max at 1e15.
        { label: 'the float 64 just below min', value: nextDown(field.min), expected: invalid },
        { label: 'the float 64 just above max', value: nextUp(field.max), expected: invalid },
        { label: 'a fraction inside the range', value: (field.min + field.max) / 2 + 0.25, expected: 'ok' },
        { label: 'NaN', value: Number.NaN, expected: invalid },
        { label: '+Infinity', value: Number.POSITIVE_INFINITY, expected: invalid },
        { label: '−Infinity', value: Number.NEGATIVE_INFINITY, expected: invalid },
      ];
    case 'string':
      return [
        ...wrongTypes,
        { label: 'a number', value: 1, expected: invalid },
        { label: 'an array', value: ['a'], expected: invalid },
        { label: 'empty', value: '', expected: 'ok' },
        { label: `${field.maxLength} chars`, value: 'x'.repeat(field.maxLength), expected: 'ok' },
        { label: `${field.maxLength + 1} chars`, value: 'x'.repeat(field.maxLength + 1), expected: invalid },
        {
          label: `${field.maxLength / 2} emoji (${field.maxLength} UTF-16 code units)`,
          value: '🙂'.repeat(field.maxLength / 2),
          expected: 'ok',
        },
        {
          label: `${field.maxLength / 2 + 1} emoji (${field.maxLength + 2} UTF-16 code units)`,
          value: '🙂'.repeat(field.maxLength / 2 + 1),
          expected: invalid,
        },
        { label: '1 MB', value: 'x'.repeat(1 << 20), expected: invalid },
      ];
    case 'ints': {
      // A bad item goes second, after a good one, so the check must walk the array.
      const withItem = (item: unknown) => [field.min, item];
      return [
        ...wrongTypes,
        { label: 'a number', value: field.min, expected: invalid },
        { label: 'a string', value: '1', expected: invalid },
        { label: 'a map of items', value: { 0: field.min }, expected: invalid },
        { label: 'empty', value: [], expected: 'ok' },
        { label: `items min and max (${field.min}, ${field.max})`, value: [field.min, field.max], expected: 'ok' },
        { label: `${field.maxItems} items`, value: new Array(field.maxItems).fill(field.max), expected: 'ok' },
        { label: `${field.maxItems + 1} items`, value: new Array(field.maxItems + 1).fill(0), expected: invalid },
        { label: `an item of min − 1 (${field.min - 1})`, value: withItem(field.min - 1), expected: invalid },
        { label: `an item of max + 1 (${field.max + 1})`, value: withItem(field.max + 1), expected: invalid },
        { label: 'an item of min + 0.5', value: withItem(field.min + 0.5), expected: invalid },
        { label: 'an item of NaN', value: withItem(Number.NaN), expected: invalid },
        { label: 'an item of +Infinity', value: withItem(Number.POSITIVE_INFINITY), expected: invalid },
        { label: 'an item of −Infinity', value: withItem(Number.NEGATIVE_INFINITY), expected: invalid },
        { label: 'an item of 2^53', value: withItem(2 ** 53), expected: invalid },
        { label: 'an item of −2^53', value: withItem(-(2 ** 53)), expected: invalid },
        { label: 'an item that is nil', value: withItem(null), expected: invalid },
        { label: 'an item that is true', value: withItem(true), expected: invalid },
        { label: 'an item that is a string', value: withItem('1'), expected: invalid },
        { label: 'an item that is an array', value: withItem([1]), expected: invalid },
        { label: 'an item that is a map', value: withItem({ a: 1 }), expected: invalid },
        { label: 'an item that is binary', value: withItem(Uint8Array.of(1)), expected: invalid },
      ];
    }
    case 'list': {
      const item = field.item.map(exampleValue);
      return [
        ...wrongTypes,
        { label: 'a number', value: 1, expected: invalid },
        { label: 'empty', value: [], expected: 'ok' },
        { label: `${field.maxItems} items`, value: new Array(field.maxItems).fill(item), expected: 'ok' },
        { label: `${field.maxItems + 1} items`, value: new Array(field.maxItems + 1).fill(item), expected: invalid },
        { label: 'an item that is not an array', value: [item, 1], expected: invalid },
        { label: 'an item that is a map', value: [{ id: 1 }], expected: invalid },
        { label: 'an item one element short', value: [item.slice(0, -1)], expected: invalid },
        { label: 'an item one element long', value: [[...item, 0]], expected: invalid },
      ];
    }
  }
}

function casesOf(id: number, fields: readonly FieldSpec[]): FieldCase[] {
  const message = messageIdName(id);
  const cases: FieldCase[] = [];
  fields.forEach((field, index) => {
    for (const c of fieldCases(field)) {
      const tuple = exampleTuple(id, fields);
      tuple[1 + index] = c.value;
      cases.push({ message, path: `${message}.${field.name}`, label: c.label, value: tuple, expected: c.expected });
    }
    if (field.type === 'list') {
      // Every field of the item tuple, in the first item of the list.
      field.item.forEach((itemField, itemIndex) => {
        for (const c of fieldCases(itemField)) {
          const tuple = exampleTuple(id, fields);
          const item = field.item.map(exampleValue);
          item[itemIndex] = c.value;
          tuple[1 + index] = [item];
          cases.push({
            message,
            path: `${message}.${field.name}[0].${itemField.name}`,
            label: c.label,
            value: tuple,
            expected: c.expected,
          });
        }
      });
    }
  });
  return cases;
}

const clientFieldCases = clientMessages.flatMap(({ id, fields }) => casesOf(id, fields));
const serverFieldCases = serverMessages.flatMap(({ id, fields }) => casesOf(id, fields));

describe('decodeClientFrame checks every field of every client message', () => {
  it.each(clientFieldCases)('$path = $label → $expected', ({ value, expected, path }) => {
    const result = decodeClientFrame(encode(value));
    expect(codeOf(result)).toBe(expected);
    if (!result.ok) expect(result.reason).toContain(path);
  });

  for (const { id, name, fields } of clientMessages) {
    it(`closes ${name} with one element too few or too many with 4002 (its optional trailing fields may be left off)`, () => {
      const tuple = exampleTuple(id, fields);
      // A short HELLO of another version is a version mismatch (tested below), not a malformed one.
      if (id === ClientMessageId.HELLO) tuple[1] = PROTOCOL_VERSION;
      expect(codeOf(decodeClientFrame(encode(tuple)))).toBe('ok');
      const required = requiredFieldCount(fields);
      expect(codeOf(decodeClientFrame(encode(tuple.slice(0, 1 + required))))).toBe('ok');
      if (required > 0) {
        expect(codeOf(decodeClientFrame(encode(tuple.slice(0, required))))).toBe(CloseCode.INVALID_MESSAGE);
      }
      expect(codeOf(decodeClientFrame(encode([...tuple, 0])))).toBe(CloseCode.INVALID_MESSAGE);
      // [id] alone is the whole message when it has no fields (DEBUG_STATE_REQUEST).
      expect(codeOf(decodeClientFrame(encode([id])))).toBe(fields.length === 0 ? 'ok' : CloseCode.INVALID_MESSAGE);
    });
  }

  it('closes uint64 2^64−1 and int64 −1 in a uint field with 4002', () => {
    expect(codeOf(decodeClientFrame(hex('9401cfffffffffffffffffa0a0')))).toBe(CloseCode.INVALID_MESSAGE);
    expect(codeOf(decodeClientFrame(hex('9401d3ffffffffffffffffa0a0')))).toBe(CloseCode.INVALID_MESSAGE);
  });

  it('closes a float64 NaN built by hand (cb 7ff8…) in moveX with 4002', () => {
    // [2, 1, 0, 0, NaN, 0, 0, 0, 0]
    const bytes = hex('99 02 01 00 00 cb 7f f8 00 00 00 00 00 00 00 00 00 00');
    expect(codeOf(decodeClientFrame(bytes))).toBe(CloseCode.INVALID_MESSAGE);
  });

  it('closes a float32 +Infinity built by hand (ca 7f800000) in moveY with 4002', () => {
    // [2, 1, 0, 0, 0, +Inf, 0, 0, 0]
    const bytes = hex('99 02 01 00 00 00 ca 7f 80 00 00 00 00 00');
    expect(codeOf(decodeClientFrame(bytes))).toBe(CloseCode.INVALID_MESSAGE);
  });

  it('closes a version 2 INPUT (no tick: [2, seq, ackTick, moveX, moveY, buttons]) with 4002', () => {
    const result = decodeClientFrame(encode([2, 1, 0, 1, 0, 0]));
    expect(result).toMatchObject({ ok: false, code: CloseCode.INVALID_MESSAGE });
    if (!result.ok) expect(result.reason).toContain('expected 9 elements, got 6');
  });

  it('closes a version 4 INPUT (no aimAngle or viewTick: [2, seq, ackTick, tick, moveX, moveY, buttons]) with 4002', () => {
    const result = decodeClientFrame(encode([2, 1, 0, 0, 1, 0, 0]));
    expect(result).toMatchObject({ ok: false, code: CloseCode.INVALID_MESSAGE });
    if (!result.ok) expect(result.reason).toContain('expected 9 elements, got 7');
  });

  it('closes an INPUT with an undefined button bit (4, 8, 128) or a whole turn of aim (2π) with 4002, naming the field', () => {
    for (const [buttons, aimAngle, path] of [
      [4, 0, 'INPUT.buttons'],
      [8, 0, 'INPUT.buttons'],
      [128, 0, 'INPUT.buttons'],
      [1, 2 * Math.PI, 'INPUT.aimAngle'],
      [1, -4, 'INPUT.aimAngle'],
    ] as const) {
      const result = decodeClientFrame(encode([2, 1, 0, 0, 0, 0, buttons, aimAngle, 0]));
      expect(codeOf(result), `${buttons} ${aimAngle}`).toBe(CloseCode.INVALID_MESSAGE);
      if (!result.ok) expect(result.reason).toContain(path);
    }
  });

  it('closes a PING with a negative or non-finite clientTimeMs with 4002, naming the field', () => {
    for (const bad of [-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const result = decodeClientFrame(encode([4, 1, bad]));
      expect(codeOf(result), String(bad)).toBe(CloseCode.INVALID_MESSAGE);
      if (!result.ok) expect(result.reason).toContain('PING.clientTimeMs');
    }
  });

  it('closes a DEBUG_NUDGE with a fractional or 16-bit-overflowing delta with 4002, naming the field', () => {
    for (const [dx, dy, path] of [
      [0.5, 0, 'DEBUG_NUDGE.dx'],
      [0, 32768, 'DEBUG_NUDGE.dy'],
      [-32769, 0, 'DEBUG_NUDGE.dx'],
    ] as const) {
      const result = decodeClientFrame(encode([5, dx, dy]));
      expect(codeOf(result), path).toBe(CloseCode.INVALID_MESSAGE);
      if (!result.ok) expect(result.reason).toContain(path);
    }
  });
});

describe('decodeServerFrame checks every field of every server message', () => {
  it.each(serverFieldCases)('$path = $label → $expected', ({ value, expected, path }) => {
    const result = decodeServer(encode(value));
    expect(codeOf(result)).toBe(expected);
    if (!result.ok) expect(result.reason).toContain(path.replace(/\[0\]\..*/, ''));
  });

  for (const { id, name, fields } of serverMessages) {
    it(`refuses ${name} with one element too few or too many`, () => {
      const tuple = exampleTuple(id, fields);
      expect(codeOf(decodeServer(encode(tuple)))).toBe('ok');
      expect(codeOf(decodeServer(encode(tuple.slice(0, -1))))).toBe(CloseCode.INVALID_MESSAGE);
      expect(codeOf(decodeServer(encode([...tuple, 0])))).toBe(CloseCode.INVALID_MESSAGE);
    });
  }

  it('refuses a version 1 WELCOME (no maxEntityId) and a version 1 SNAPSHOT ([65, tick, lastInputSeq, players])', () => {
    const v1Welcome = encode([64, 1, 3, 120, 30, 30, 2048, 2048, 16, 256, 200]);
    const v1Snapshot = encode([65, 121, 7, [[3, 16384, 8000, 107, 0, 0, 100]]]);
    expect(decodeServer(v1Welcome)).toMatchObject({ ok: false, code: CloseCode.INVALID_MESSAGE });
    expect(decodeServer(v1Snapshot)).toMatchObject({ ok: false, code: CloseCode.INVALID_MESSAGE });
  });

  it('refuses a version 8 SNAPSHOT (every header element in place, no head), whatever its tick', () => {
    const late = decodeServer(encode([65, 201, 1, 0, 0, 0, [], 1, [], [], [], [], []]));
    expect(late).toEqual({ ok: false, code: CloseCode.INVALID_MESSAGE, reason: 'SNAPSHOT.head: an integer 0 … 127' });
    // Tick 5 reads as a head (TICK + INPUT_BUFFER): 10 elements, not 13.
    const early = decodeServer(encode([65, 5, 0, 0, 0, 0, [], 0, [], [], [], [], []]));
    expect(early).toEqual({
      ok: false,
      code: CloseCode.INVALID_MESSAGE,
      reason: 'SNAPSHOT: head 5 means 10 elements, got 13',
    });
  });

  it('refuses a version 4 entity tuple (no kind), naming the item', () => {
    const v4Entity = decodeServer(encode([65, 1, 101, 0, [[3, 0, 0, 1, 1, 0, 100]], [], [], [], []]));
    expect(v4Entity).toEqual({
      ok: false,
      code: CloseCode.INVALID_MESSAGE,
      reason: 'SNAPSHOT.created[0]: expected 8 elements, got 7',
    });
  });

  it('reads a SNAPSHOT pong behind its bit, and refuses a bad pong tuple, naming the path', () => {
    const snapshotWith = (pong: unknown) => encode([65, 32, pong, 1, [], [], [], [], []]);
    const pong = [3, 12345.678, 130.5, 131.25];
    expect(decodeServer(encode([65, 0, 1, [], [], [], [], []]))).toMatchObject({ ok: true, message: { pong: [] } });
    expect(decodeServer(snapshotWith(pong))).toMatchObject({
      ok: true,
      message: { pong: [{ pingId: 3, clientTimeMs: 12345.678, serverReceiveTick: 130.5, serverSendTick: 131.25 }] },
    });
    const refused: [unknown, string][] = [
      [[pong], 'SNAPSHOT.pong[0]: expected 4 elements, got 1'], // a list of one tuple, as in version 8
      [7, 'SNAPSHOT.pong[0]: not an array'],
      [pong.slice(0, 3), 'SNAPSHOT.pong[0]: expected 4 elements, got 3'],
      [[...pong, 0], 'SNAPSHOT.pong[0]: expected 4 elements, got 5'],
      [[3.5, 1, 1, 1], 'SNAPSHOT.pong[0].pingId: not an integer'],
      [[3, -1, 1, 1], 'SNAPSHOT.pong[0].clientTimeMs: -1 outside [0, 1000000000000000]'],
      [[3, 1, Number.NaN, 1], 'SNAPSHOT.pong[0].serverReceiveTick: not finite'],
      [[3, 1, 1, '1'], 'SNAPSHOT.pong[0].serverSendTick: not a number'],
      [[3, 1, 1, 2 ** 32], 'SNAPSHOT.pong[0].serverSendTick: 4294967296 outside [0, 4294967295]'],
      [{ 0: pong }, 'SNAPSHOT.pong[0]: not an array'],
    ];
    for (const [bad, reason] of refused) {
      expect(decodeServer(snapshotWith(bad)), reason).toEqual({ ok: false, code: CloseCode.INVALID_MESSAGE, reason });
    }
  });

  it('refuses a SNAPSHOT whose inputBuffer does not fit 16 bits', () => {
    const result = decodeServer(encode([65, 4, 65536, 1, [], [], [], [], []]));
    expect(result).toMatchObject({ ok: false, code: CloseCode.INVALID_MESSAGE });
    if (!result.ok) expect(result.reason).toContain('SNAPSHOT.inputBuffer');
  });

  it('closes a float64 NaN built by hand (cb 7ff8…) in SNAPSHOT.changed with 4002, naming the item', () => {
    // [65, 0, 1, [], [5, 1, NaN], [], [], []]
    const bytes = hex('98 41 00 01 90 93 05 01 cb 7f f8 00 00 00 00 00 00 90 90 90');
    const result = decodeServer(bytes);
    expect(codeOf(result)).toBe(CloseCode.INVALID_MESSAGE);
    if (!result.ok) expect(result.reason).toContain('SNAPSHOT.changed[2]');
  });

  it('closes uint64 2^64−1 in SNAPSHOT.removed with 4002, and reads a float64 -0 there as 0', () => {
    // [65, 0, 1, [], [], [2^64−1], [], []]
    expect(codeOf(decodeServer(hex('98 41 00 01 90 90 91 cf ff ff ff ff ff ff ff ff 90 90')))).toBe(
      CloseCode.INVALID_MESSAGE,
    );
    // [65, 0, 1, [], [], [-0.0], [], []]
    const result = decodeServer(hex('98 41 00 01 90 90 91 cb 80 00 00 00 00 00 00 00 90 90'));
    expect(result.ok).toBe(true);
    if (result.ok && result.message.id === ServerMessageId.SNAPSHOT) {
      expect(Object.is(result.message.removed[0], 0)).toBe(true);
    }
  });
});

// ── Fuzz: decode never throws and only ever answers with a code from the table ──

// 4005: a short HELLO of another version is told its version is wrong (codec.ts), not that it is malformed.
const decoderCodes = new Set<number>([
  CloseCode.UNDECODABLE,
  CloseCode.INVALID_MESSAGE,
  CloseCode.UNKNOWN_MESSAGE,
  CloseCode.VERSION_MISMATCH,
]);

function assertWellBehaved(bytes: Uint8Array): void {
  for (const decodeFrame of [decodeClientFrame, decodeServer] as const) {
    let result: DecodeResult<unknown>;
    try {
      result = decodeFrame(bytes);
    } catch (error) {
      throw new Error(`decode threw on ${toHex(bytes)}: ${String(error)}`);
    }
    if (!result.ok) {
      expect(closeCodes.has(result.code)).toBe(true);
      expect(decoderCodes.has(result.code)).toBe(true);
      expect(typeof result.reason).toBe('string');
    }
  }
}

describe('fuzz', () => {
  it('never throws on random bytes, and answers ok or a CloseCode (4001, 4002, 4003, 4005)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), assertWellBehaved), { numRuns: 5000 });
  });

  it('never throws on random bytes behind a valid array header and message id', () => {
    const header = fc.constantFrom(
      ...[...clientMessages, ...serverMessages].map(({ id, fields }) => [0x90 + 1 + fields.length, id]),
    );
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 80 }), (head, tail) => {
        assertWellBehaved(Uint8Array.from([...head, ...tail]));
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on valid frames with bytes flipped, cut or inserted', () => {
    const frames = [
      ...clientMessages.map(({ id, fields }) => messageArbitrary<ClientMessage>(id, fields).map(encodeClientMessage)),
      ...serverMessages.map(({ id, fields }) =>
        messageArbitrary<NonSnapshotMessage>(id, fields).map(encodeServerMessage),
      ),
    ];
    const mutation = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), kind: fc.nat(2) });
    fc.assert(
      fc.property(fc.oneof(...frames), fc.array(mutation, { minLength: 1, maxLength: 4 }), (frame, mutations) => {
        const bytes = [...frame];
        for (const { at, byte, kind } of mutations) {
          const i = at % (bytes.length + 1);
          if (kind === 0) bytes[i % bytes.length] = byte;
          else if (kind === 1) bytes.splice(i, 0, byte);
          else bytes.length = i;
        }
        assertWellBehaved(Uint8Array.from(bytes));
      }),
      { numRuns: 5000 },
    );
  });
});
