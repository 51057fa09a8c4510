// A MessagePack writer for the snapshot encoder's hot path: shortest encodings of integers and
// array headers into one growing buffer that is reused from snapshot to snapshot.
import { writeUintAt } from '../msgpackBytes.js';

export class MsgpackWriter {
  private buffer: Uint8Array;
  length = 0;

  constructor(initialBytes = 4096) {
    this.buffer = new Uint8Array(initialBytes);
  }

  reset(): void {
    this.length = 0;
  }

  /** A copy of what was written since the last reset. */
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  /** The bytes written, without copying: valid until the next write or reset. */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Append `source[start, end)` as it is: bytes written once elsewhere (a shared piece of a frame). */
  raw(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.ensure(length);
    const b = this.buffer;
    // Pieces are mostly a few bytes: a loop beats making a subarray view to copy each one.
    if (length <= 32) {
      let at = this.length;
      for (let i = start; i < end; i++) b[at++] = source[i]!;
    } else {
      b.set(source.subarray(start, end), this.length);
    }
    this.length += length;
  }

  /** Leave `count` bytes unwritten at the current position (room for a header written later, before what follows). */
  skip(count: number): void {
    this.ensure(count);
    this.length += count;
  }

  arrayHeader(length: number): void {
    this.ensure(5);
    const b = this.buffer;
    if (length < 16) {
      b[this.length++] = 0x90 | length;
    } else if (length < 0x10000) {
      b[this.length++] = 0xdc;
      b[this.length++] = length >>> 8;
      b[this.length++] = length & 0xff;
    } else {
      b[this.length++] = 0xdd;
      this.put32(length);
    }
  }

  /** Any integer in [-2^31, 2^32 − 1], in its shortest MessagePack form. */
  int(value: number): void {
    this.ensure(5);
    const b = this.buffer;
    if (value >= 0) {
      this.length = writeUintAt(b, this.length, value);
    } else if (value >= -32) {
      b[this.length++] = value & 0xff; // negative fixint 0xe0..0xff
    } else if (value >= -128) {
      b[this.length++] = 0xd0;
      b[this.length++] = value & 0xff;
    } else if (value >= -32768) {
      b[this.length++] = 0xd1;
      b[this.length++] = (value >> 8) & 0xff;
      b[this.length++] = value & 0xff;
    } else {
      b[this.length++] = 0xd2;
      this.put32(value);
    }
  }

  private put32(value: number): void {
    const b = this.buffer;
    b[this.length++] = (value >>> 24) & 0xff;
    b[this.length++] = (value >>> 16) & 0xff;
    b[this.length++] = (value >>> 8) & 0xff;
    b[this.length++] = value & 0xff;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
