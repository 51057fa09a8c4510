// fast-check generators of hostile MessagePack bytes: every type in every header size, extreme
// numbers, non-ASCII and invalid UTF-8 strings, deep nesting, valid-looking client messages with a
// field mutated, and frame-level damage (trailing bytes, truncation, flipped bytes). Written by hand,
// not with a MessagePack library, so a header can be any width the format allows. Used once per
// generated case by the receive-path property test and the socket fuzzer (fuzz/).
import { ClientMessageId, PROTOCOL_VERSION } from '@tickwire/protocol';
import fc from 'fast-check';

type Bytes = readonly number[];

const u16 = (n: number): Bytes => [(n >>> 8) & 0xff, n & 0xff];
const u32 = (n: number): Bytes => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function numberBytes(write: (view: DataView) => void, width: number): Bytes {
  const view = new DataView(new ArrayBuffer(width));
  write(view);
  return [...new Uint8Array(view.buffer)];
}

/** Which header a str, bin, array or map is written with; the shortest that fits is only one choice. */
type Width = 'fix' | 8 | 16 | 32;

/** A header for `length` items or bytes: `fix` only when it fits, else the width asked or the next that fits. */
function sized(
  width: Width,
  length: number,
  fix: number | undefined,
  fixMax: number,
  codes: Record<8 | 16 | 32, number>,
) {
  if (width === 'fix' && fix !== undefined && length <= fixMax) return [fix | length];
  if ((width === 'fix' || width === 8) && length <= 0xff && codes[8] !== 0) return [codes[8], length];
  if (width !== 32 && length <= 0xffff) return [codes[16], ...u16(length)];
  return [codes[32], ...u32(length)];
}

const widthArb: fc.Arbitrary<Width> = fc.constantFrom<Width>('fix', 8, 16, 32);

const strHeader = (width: Width, length: number) => sized(width, length, 0xa0, 31, { 8: 0xd9, 16: 0xda, 32: 0xdb });
const binHeader = (width: Width, length: number) =>
  sized(width === 'fix' ? 8 : width, length, undefined, 0, { 8: 0xc4, 16: 0xc5, 32: 0xc6 });
const arrayHeader = (width: Width, length: number) =>
  sized(width === 8 ? 16 : width, length, 0x90, 15, { 8: 0, 16: 0xdc, 32: 0xdd });
const mapHeader = (width: Width, length: number) =>
  sized(width === 8 ? 16 : width, length, 0x80, 15, { 8: 0, 16: 0xde, 32: 0xdf });

export const encodeStr = (utf8: Bytes, width: Width = 'fix'): Bytes => [...strHeader(width, utf8.length), ...utf8];
export const encodeArray = (items: readonly Bytes[], width: Width = 'fix'): Bytes => [
  ...arrayHeader(width, items.length),
  ...items.flat(),
];
export const encodeUint = (n: number): Bytes =>
  n < 0x80 ? [n] : n <= 0xff ? [0xcc, n] : n <= 0xffff ? [0xcd, ...u16(n)] : [0xce, ...u32(n)];
export const encodeFloat64 = (x: number): Bytes => [0xcb, ...numberBytes((v) => v.setFloat64(0, x), 8)];

const nilArb = fc.constant<Bytes>([0xc0]);
const boolArb = fc.constantFrom<Bytes>([0xc2], [0xc3]);
/** The reserved byte: msgpackr returns a marker for it instead of throwing. */
const reservedArb = fc.constant<Bytes>([0xc1]);

const int64Extremes = [-(2n ** 63n), -(2n ** 31n) - 1n, -1n, 0n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n];
const uint64Extremes = [0n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n];

/** Integers in every width, extremes weighted in. */
const intArb: fc.Arbitrary<Bytes> = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }).map((n) => [n]),
  fc.integer({ min: -32, max: -1 }).map((n) => [n & 0xff]),
  fc.integer({ min: 0, max: 0xff }).map((n) => [0xcc, n]),
  fc.integer({ min: 0, max: 0xffff }).map((n) => [0xcd, ...u16(n)]),
  fc.oneof(fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff), fc.nat()).map((n) => [0xce, ...u32(n)]),
  fc
    .oneof(fc.constantFrom(...uint64Extremes), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))
    .map((n) => [0xcf, ...numberBytes((v) => v.setBigUint64(0, n), 8)]),
  fc.integer({ min: -128, max: 127 }).map((n) => [0xd0, n & 0xff]),
  fc.integer({ min: -32768, max: 32767 }).map((n) => [0xd1, ...numberBytes((v) => v.setInt16(0, n), 2)]),
  fc
    .oneof(fc.constantFrom(-(2 ** 31), -1, 2 ** 31 - 1), fc.integer())
    .map((n) => [0xd2, ...numberBytes((v) => v.setInt32(0, n), 4)]),
  fc
    .oneof(fc.constantFrom(...int64Extremes), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))
    .map((n) => [0xd3, ...numberBytes((v) => v.setBigInt64(0, n), 8)]),
);

/** float 32 and float 64, NaN, ±Infinity, −0 and subnormals included (fast-check biases towards them). */
const floatArb: fc.Arbitrary<Bytes> = fc.oneof(
  fc.float().map((x) => [0xca, ...numberBytes((v) => v.setFloat32(0, x), 4)]),
  fc.double().map(encodeFloat64),
  fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY).map(encodeFloat64),
);

/** Byte sequences that are not UTF-8: stray continuation, overlong, surrogate, past U+10FFFF, cut short. */
const invalidUtf8Pieces: Bytes[] = [
  [0x80],
  [0xbf],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
];

const utf8 = (text: string): Bytes => [...Buffer.from(text, 'utf8')];

/** String contents: ASCII, any code point, long non-ASCII runs, control and bidi characters, invalid UTF-8. */
export const stringBytesArb: fc.Arbitrary<Bytes> = fc.oneof(
  fc.string({ maxLength: 40 }).map(utf8),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(utf8),
  fc.string({ unit: 'binary', maxLength: 40 }).map(utf8),
  fc
    .tuple(
      fc.constantFrom('€', 'é', '😀', '中', '\u202e', '\u0000', '\u0007', '\ufeff'),
      fc.integer({ min: 1, max: 90 }),
    )
    .map(([unit, count]) => utf8(unit.repeat(count))),
  fc
    .array(fc.oneof(fc.constantFrom(...invalidUtf8Pieces), fc.string({ maxLength: 4 }).map(utf8)), {
      minLength: 1,
      maxLength: 12,
    })
    .map((pieces) => pieces.flat()),
);

const strArb: fc.Arbitrary<Bytes> = fc.tuple(stringBytesArb, widthArb).map(([bytes, width]) => encodeStr(bytes, width));

const binArb: fc.Arbitrary<Bytes> = fc
  .tuple(fc.uint8Array({ maxLength: 40 }), widthArb)
  .map(([bytes, width]) => [...binHeader(width, bytes.length), ...bytes]);

/** ext of every header (fixext 1–16, ext 8/16/32), any type byte, and the timestamp ext (−1) in its three sizes. */
const extArb: fc.Arbitrary<Bytes> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(1, 2, 4, 8, 16),
      fc.integer({ min: -128, max: 127 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
    )
    .map(([size, type, data]) => [
      { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 }[size]!,
      type & 0xff,
      ...data.subarray(0, size),
    ]),
  fc
    .tuple(fc.constantFrom(0xc7, 0xc8, 0xc9), fc.integer({ min: -128, max: 127 }), fc.uint8Array({ maxLength: 30 }))
    .map(([code, type, data]) => {
      const length = code === 0xc7 ? [data.length] : code === 0xc8 ? u16(data.length) : u32(data.length);
      return [code, ...length, type & 0xff, ...data];
    }),
  // Timestamps: 32-bit seconds, 64-bit (30-bit ns + 34-bit s), 96-bit (32-bit ns + 64-bit s); ns may exceed 999,999,999.
  fc.nat().map((s) => [0xd6, 0xff, ...u32(s)]),
  fc.tuple(fc.nat(), fc.nat()).map(([hi, lo]) => [0xd7, 0xff, ...u32(hi), ...u32(lo)]),
  fc
    .tuple(fc.nat(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))
    .map(([ns, s]) => [0xc7, 12, 0xff, ...u32(ns), ...numberBytes((v) => v.setBigInt64(0, s), 8)]),
);

const scalarArb: fc.Arbitrary<Bytes> = fc.oneof(
  { weight: 1, arbitrary: nilArb },
  { weight: 1, arbitrary: boolArb },
  { weight: 1, arbitrary: reservedArb },
  { weight: 4, arbitrary: intArb },
  { weight: 3, arbitrary: floatArb },
  { weight: 4, arbitrary: strArb },
  { weight: 1, arbitrary: binArb },
  { weight: 2, arbitrary: extArb },
);

/** Any MessagePack value: scalars, and arrays and maps of them (any header width), a few levels deep. */
export const valueArb: fc.Arbitrary<Bytes> = fc.letrec<{ value: Bytes }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: scalarArb },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.array(tie('value'), { maxLength: 6 }), widthArb)
        .map(([items, width]) => encodeArray(items, width)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }), widthArb)
        .map(([entries, width]) => [...mapHeader(width, entries.length), ...entries.flat(2)]),
    },
  ),
})).value;

/** Arrays or maps nested hundreds deep (a recursive decoder's stack), closed or left open. */
const deepArb: fc.Arbitrary<Bytes> = fc
  .tuple(fc.integer({ min: 20, max: 500 }), fc.constantFrom(0x91, 0x81), fc.boolean())
  .map(([depth, header, closed]) => {
    // A map level is its header and a key (0); its value is the next level.
    const level = header === 0x91 ? [0x91] : [0x81, 0x00];
    const bytes = Array.from({ length: depth }, () => level).flat();
    return closed ? [...bytes, 0xc0] : bytes;
  });

/** A valid client message of each kind, as its fields' encodings (the id first). */
function validMessageFields(): fc.Arbitrary<Bytes[]> {
  const u = (max: number) => fc.integer({ min: 0, max }).map(encodeUint);
  const f = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map(encodeFloat64);
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(PROTOCOL_VERSION, PROTOCOL_VERSION + 1, 0), fc.string({ maxLength: 16 }))
      .map(([version, name]) => [encodeUint(ClientMessageId.HELLO), encodeUint(version), encodeStr(utf8(name))]),
    fc
      .tuple(u(2 ** 32 - 1), u(2 ** 32 - 1), u(2 ** 32 - 1), f(-1, 1), f(-1, 1), u(3), f(-Math.PI, Math.PI), f(0, 1e6))
      .map((fields) => [encodeUint(ClientMessageId.INPUT), ...fields]),
    fc.string({ maxLength: 100 }).map((text) => [encodeUint(ClientMessageId.CHAT), encodeStr(utf8(text))]),
    fc.tuple(u(2 ** 32 - 1), f(0, 1e12)).map((fields) => [encodeUint(ClientMessageId.PING), ...fields]),
    fc.tuple(f(-100, 100), f(-100, 100)).map((fields) => [encodeUint(ClientMessageId.DEBUG_NUDGE), ...fields]),
    fc.constant<Bytes[]>([encodeUint(ClientMessageId.DEBUG_STATE_REQUEST)]),
  );
}

/** A valid-looking message with one change: a field replaced by any value, a field added or dropped, the id changed. */
const mutatedMessageArb: fc.Arbitrary<Bytes> = fc
  .tuple(validMessageFields(), fc.nat(), valueArb, fc.constantFrom('replace', 'add', 'drop', 'none'), widthArb)
  .map(([fields, at, value, change, width]) => {
    const out = [...fields];
    const i = at % out.length;
    if (change === 'replace') out[i] = value;
    else if (change === 'add') out.splice(i + 1, 0, value);
    else if (change === 'drop' && out.length > 1) out.splice(Math.max(1, i), 1);
    return encodeArray(out, width);
  });

/** Damage to a whole frame: trailing bytes, cut short, a byte overwritten, or left as it is. */
function damage(frame: Bytes): fc.Arbitrary<Bytes> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(frame) },
    { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4 }).map((tail) => [...frame, ...tail]) },
    { weight: 1, arbitrary: fc.nat().map((at) => frame.slice(0, at % Math.max(1, frame.length))) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.nat(), fc.nat({ max: 255 })).map(([at, byte]) => {
        const out = [...frame];
        if (out.length > 0) out[at % out.length] = byte;
        return out;
      }),
    },
  );
}

/** One frame's payload: a mutated message, any value, deep nesting, or plain random bytes, then maybe damaged. */
export const payloadArb: fc.Arbitrary<Uint8Array> = fc
  .oneof(
    { weight: 4, arbitrary: mutatedMessageArb },
    { weight: 3, arbitrary: valueArb },
    { weight: 1, arbitrary: deepArb },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 512 }).map((bytes) => [...bytes]) },
  )
  .chain(damage)
  .map((bytes) => Uint8Array.from(bytes));
