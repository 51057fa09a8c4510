// InputFrameReader, the fast path for INPUT: it accepts only frames the general decoder accepts, with
// the same values, and it accepts every valid INPUT written in the encodings it reads.
import { encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClientMessageId,
  decodeClientFrame,
  encodeClientMessage,
  type FieldSpec,
  InputFrameReader,
  type InputMessage,
  inputFields,
} from '../src/index.js';

/** The MessagePack encodings of one number that encodeNumber writes. */
const ENCODING_NAMES = [
  'fixint',
  'negFixint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
] as const;
type Encoding = (typeof ENCODING_NAMES)[number];
/** The encodings the fast path leaves to the general decoder. */
const SLOW_ENCODINGS: ReadonlySet<Encoding> = new Set<Encoding>(['uint64', 'int64']);

/** `value` written as `encoding`, or undefined when that encoding cannot hold it exactly. */
function encodeNumber(value: number, encoding: Encoding): number[] | undefined {
  const int = Number.isInteger(value) && !Object.is(value, -0);
  const bytes = (type: number, width: number, write: (view: DataView) => void): number[] => {
    const view = new DataView(new ArrayBuffer(width));
    write(view);
    return [type, ...new Uint8Array(view.buffer)];
  };
  switch (encoding) {
    case 'fixint':
      return int && value >= 0 && value < 0x80 ? [value] : undefined;
    case 'negFixint':
      return int && value >= -32 && value < 0 ? [value + 0x100] : undefined;
    case 'uint8':
      return int && value >= 0 && value < 2 ** 8 ? bytes(0xcc, 1, (v) => v.setUint8(0, value)) : undefined;
    case 'uint16':
      return int && value >= 0 && value < 2 ** 16 ? bytes(0xcd, 2, (v) => v.setUint16(0, value)) : undefined;
    case 'uint32':
      return int && value >= 0 && value < 2 ** 32 ? bytes(0xce, 4, (v) => v.setUint32(0, value)) : undefined;
    case 'uint64':
      return int && value >= 0 ? bytes(0xcf, 8, (v) => v.setBigUint64(0, BigInt(value))) : undefined;
    case 'int8':
      return int && value >= -(2 ** 7) && value < 2 ** 7 ? bytes(0xd0, 1, (v) => v.setInt8(0, value)) : undefined;
    case 'int16':
      return int && value >= -(2 ** 15) && value < 2 ** 15 ? bytes(0xd1, 2, (v) => v.setInt16(0, value)) : undefined;
    case 'int32':
      return int && value >= -(2 ** 31) && value < 2 ** 31 ? bytes(0xd2, 4, (v) => v.setInt32(0, value)) : undefined;
    case 'int64':
      return int ? bytes(0xd3, 8, (v) => v.setBigInt64(0, BigInt(value))) : undefined;
    case 'float32':
      return Math.fround(value) === value || Number.isNaN(value)
        ? bytes(0xca, 4, (v) => v.setFloat32(0, value))
        : undefined;
    case 'float64':
      return bytes(0xcb, 8, (v) => v.setFloat64(0, value));
  }
}

/** A value for one field: mostly valid, sometimes just outside its range or not a valid number at all. */
function fieldValue(field: FieldSpec): fc.Arbitrary<number> {
  if (field.type !== 'uint' && field.type !== 'int' && field.type !== 'float') throw new Error('INPUT is numeric');
  const min = field.type === 'uint' ? (field.min ?? 0) : field.min;
  const valid =
    field.type === 'float'
      ? fc.oneof(
          fc.double({ min, max: field.max, noNaN: true }),
          fc.constantFrom(min, field.max, 0, -0, 0.5),
          fc.float({ min: Math.fround(Math.max(min, -3)), max: Math.fround(Math.min(field.max, 3)), noNaN: true }),
        )
      : fc.oneof(
          fc.integer({ min, max: Math.min(field.max, 2 ** 31) }),
          fc.constantFrom(min, field.max, 0, -0, 127, 128),
        );
  const invalid = fc.constantFrom(
    min - 1,
    field.max + 1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    min + 0.5,
    -1,
    2 ** 40,
  );
  return fc.oneof({ arbitrary: valid, weight: 20 }, { arbitrary: invalid, weight: 1 });
}

interface Frame {
  bytes: Uint8Array;
  /** Every number in an encoding the fast path reads. */
  allFast: boolean;
}

/** An INPUT tuple with each number in a chosen encoding (falling back to float 64 when it cannot hold it). */
const inputFrame: fc.Arbitrary<Frame> = fc
  .tuple(
    fc.tuple(...inputFields.map((field) => fc.tuple(fieldValue(field), fc.constantFrom(...ENCODING_NAMES)))),
    fc.oneof(
      { arbitrary: fc.constant('none'), weight: 10 },
      { arbitrary: fc.constantFrom('trailing', 'truncated', 'longer', 'shorter', 'otherId'), weight: 5 },
    ),
  )
  .map(([fields, damage]) => {
    let allFast = true;
    const body: number[] = [];
    for (const [value, wanted] of fields) {
      const encoding: Encoding = encodeNumber(value, wanted) === undefined ? 'float64' : wanted;
      if (SLOW_ENCODINGS.has(encoding)) allFast = false;
      body.push(...encodeNumber(value, encoding)!);
    }
    let count = 1 + inputFields.length;
    let id = ClientMessageId.INPUT as number;
    if (damage === 'longer') {
      count++;
      body.push(0);
    } else if (damage === 'shorter') {
      count--;
      body.splice(body.length - 9); // the last field is a float 64 at most; drop its bytes roughly
    } else if (damage === 'otherId') {
      id = ClientMessageId.PING;
    }
    const bytes = [0x90 | count, id, ...body];
    if (damage === 'trailing') bytes.push(0xc0);
    if (damage === 'truncated') bytes.pop();
    return { bytes: Uint8Array.from(bytes), allFast: allFast && damage === 'none' };
  });

const reader = new InputFrameReader();

describe('InputFrameReader', () => {
  it('accepts only what decodeClientFrame accepts, with the same values, and every valid frame in its encodings', () => {
    let accepted = 0;
    let refused = 0;
    let leftToDecoder = 0;
    fc.assert(
      fc.property(inputFrame, ({ bytes, allFast }) => {
        const fast = reader.read(bytes);
        const general = decodeClientFrame(bytes);
        if (fast !== undefined) {
          accepted++;
          expect(general.ok).toBe(true);
          if (!general.ok) return;
          expect(general.message.id).toBe(ClientMessageId.INPUT);
          const message = general.message as unknown as Record<string, number>;
          for (const key of Object.keys(fast))
            expect(Object.is(fast[key as keyof InputMessage], message[key])).toBe(true);
        } else {
          refused++;
          // Refused: the frame is bad, or a valid INPUT in an encoding the fast path leaves to the decoder.
          if (general.ok && general.message.id === ClientMessageId.INPUT) {
            expect(allFast).toBe(false);
            leftToDecoder++;
          }
        }
      }),
      { numRuns: 5000 },
    );
    // The generator reaches every side: accepted, refused, and valid but left to the decoder.
    expect(accepted).toBeGreaterThan(250);
    expect(refused).toBeGreaterThan(250);
    expect(leftToDecoder).toBeGreaterThan(100);
  });

  it('reads what the client encoder and an independent MessagePack library write', () => {
    const message: InputMessage = {
      id: ClientMessageId.INPUT,
      seq: 70000,
      ackTick: 300,
      tick: 305,
      moveX: -Math.SQRT1_2,
      moveY: 1,
      buttons: 3,
      aimAngle: -Math.PI,
      viewTick: 302.25,
    };
    const tuple = [message.id, ...inputFields.map((field) => message[field.name])];
    for (const bytes of [encodeClientMessage(message), encode(tuple)]) {
      const out = reader.read(bytes);
      expect(out).toBeDefined();
      expect(out).toEqual(message);
    }
  });

  it('leaves every other message to the general decoder', () => {
    const ping = encodeClientMessage({ id: ClientMessageId.PING, pingId: 1, clientTimeMs: 2 });
    expect(reader.read(ping)).toBeUndefined();
    expect(reader.read(new Uint8Array(0))).toBeUndefined();
  });
});
