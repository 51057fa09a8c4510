// MessagePack's shortest encodings of the numbers the hot paths write, into a byte array at an
// offset. Used per value by MsgpackWriter (snapshot bodies) and writeSnapshotFrame (per client).

/** Write an unsigned integer up to 2^32 − 1 in its shortest form; returns the offset after it. */
export function writeUintAt(bytes: Uint8Array, offset: number, value: number): number {
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

/**
 * Read an unsigned integer written in any MessagePack uint form (fixint, uint 8/16/32) at `offset`;
 * undefined when the bytes there are not one, or run past the end.
 */
export function readUintAt(bytes: Uint8Array, offset: number): number | undefined {
  const first = bytes[offset];
  if (first === undefined) return undefined;
  if (first < 0x80) return first;
  const width = first === 0xcc ? 1 : first === 0xcd ? 2 : first === 0xce ? 4 : 0;
  if (width === 0 || offset + width >= bytes.length) return undefined;
  let value = 0;
  for (let i = 1; i <= width; i++) value = value * 256 + bytes[offset + i]!;
  return value;
}
