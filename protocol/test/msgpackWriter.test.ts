// The snapshot encoder's MessagePack writer: every integer and array header it writes is what an
// independent library reads back, in the shortest form that library would write itself.
import { decode, decodeMulti, encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MsgpackWriter } from '../src/index.js';

/** The first and last value of each MessagePack integer form the writer uses, and their neighbours. */
const INT_BOUNDARIES = [
  -(2 ** 31),
  -32769,
  -32768,
  -129,
  -128,
  -33,
  -32,
  -1,
  0,
  127,
  128,
  255,
  256,
  65535,
  65536,
  2 ** 32 - 1,
];

/** fixarray up to 15, array 16 up to 65535, array 32 beyond. */
const ARRAY_LENGTHS = [0, 15, 16, 65535, 65536];

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function written(write: (writer: MsgpackWriter) => void, initialBytes?: number): Uint8Array {
  const writer = new MsgpackWriter(initialBytes);
  write(writer);
  return writer.toBytes();
}

describe('MsgpackWriter.int', () => {
  it.each(INT_BOUNDARIES)('writes %d as @msgpack/msgpack decodes it and encodes it (shortest form)', (value) => {
    const bytes = written((writer) => writer.int(value));
    expect(decode(bytes)).toBe(value);
    expect(toHex(bytes)).toBe(toHex(encode(value)));
  });

  it('writes any integer in [−2^31, 2^32 − 1] in the shortest form (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (value) => {
        expect(toHex(written((writer) => writer.int(value)))).toBe(toHex(encode(value)));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes a run of integers back to back, growing from a 1-byte buffer', () => {
    const bytes = written((writer) => {
      for (const value of INT_BOUNDARIES) writer.int(value);
    }, 1);
    expect([...decodeMulti(bytes)]).toEqual(INT_BOUNDARIES);
    expect(toHex(bytes)).toBe(INT_BOUNDARIES.map((value) => toHex(encode(value))).join(''));
  });
});

describe('MsgpackWriter.arrayHeader', () => {
  it.each(ARRAY_LENGTHS)('writes a header of %d items that @msgpack/msgpack reads, in the shortest form', (length) => {
    const items = Array.from({ length }, (_, i) => i % 200);
    const bytes = written((writer) => {
      writer.arrayHeader(length);
      for (const item of items) writer.int(item);
    }, 16);
    expect(decode(bytes)).toEqual(items);
    expect(toHex(bytes)).toBe(toHex(encode(items)));
  });

  it('writes nested arrays (the created tuples of a snapshot body) as an independent encoder does', () => {
    const tuple = [7, 107, 0, 16384, 8000, 0, 100];
    const flat = [9, 4, 321];
    const value = [3, [tuple], flat, []];
    const bytes = written((writer) => {
      writer.int(3);
      writer.arrayHeader(1);
      writer.arrayHeader(tuple.length);
      for (const item of tuple) writer.int(item);
      writer.arrayHeader(flat.length);
      for (const item of flat) writer.int(item);
      writer.arrayHeader(0);
    });
    expect([...decodeMulti(bytes)]).toEqual(value);
    expect(toHex(bytes)).toBe(value.map((part) => toHex(encode(part))).join(''));
  });
});

describe('MsgpackWriter buffers', () => {
  it('starts over on reset, reusing its buffer', () => {
    const writer = new MsgpackWriter(8);
    writer.int(65536);
    writer.reset();
    expect(writer.length).toBe(0);
    writer.int(5);
    expect(toHex(writer.toBytes())).toBe('05');
  });

  it('hands out a copy from toBytes() that later writes do not change, and a live view from view()', () => {
    const writer = new MsgpackWriter(8);
    writer.int(1);
    const copy = writer.toBytes();
    const view = writer.view();
    writer.reset();
    writer.int(2);
    expect(toHex(copy)).toBe('01');
    expect(toHex(view)).toBe('02');
  });
});
