// fast-check generators of hostile WebSocket frames as a client writes them (RFC 6455 §5.2): data
// frames carrying a payload (small, extended length, fragmented, text), control frames with odd
// payloads, close frames with invalid codes or reasons that are not UTF-8, unmasked frames, RSV bits,
// unknown opcodes, lengths that lie. Used once per generated case by the property test and the
// socket fuzzer (fuzz/).
import fc from 'fast-check';
import { payloadArb, stringBytesArb } from './msgpackArb.js';

/** FIN bit, and the opcodes of RFC 6455 §5.2. */
export const FIN = 0x80;
export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface WireFrame {
  /** First byte: FIN, RSV bits, opcode. */
  first: number;
  masked: boolean;
  /** How the length is written: 7-bit, 16-bit (126) or 64-bit (127). */
  lengthForm: 7 | 16 | 64;
  payload: Uint8Array;
  mask: Uint8Array;
  /** A length to write instead of the payload's (a frame that lies about its size). */
  declaredLength?: bigint;
}

/** The frame's bytes (payload masked when `masked`). */
export function frameBytes(frame: WireFrame): Uint8Array {
  const { payload, mask } = frame;
  const length = frame.declaredLength ?? BigInt(payload.length);
  const maskBit = frame.masked ? 0x80 : 0;
  const head: number[] = [frame.first];
  if (frame.lengthForm === 7) head.push(maskBit | Number(length & 0x7fn));
  else if (frame.lengthForm === 16) head.push(maskBit | 126, Number((length >> 8n) & 0xffn), Number(length & 0xffn));
  else {
    head.push(maskBit | 127);
    for (let shift = 56n; shift >= 0n; shift -= 8n) head.push(Number((length >> shift) & 0xffn));
  }
  if (frame.masked) head.push(...mask);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  for (let i = 0; i < payload.length; i++)
    out[head.length + i] = frame.masked ? payload[i]! ^ mask[i & 3]! : payload[i]!;
  return out;
}

/** The smallest length form that holds `length` bytes, as a conforming client writes it. */
export const lengthFormOf = (length: number): 7 | 16 | 64 => (length < 126 ? 7 : length <= 0xffff ? 16 : 64);

const maskArb = fc.uint8Array({ minLength: 4, maxLength: 4 });

/** A well-formed masked frame with `first` and `payload`. */
export function dataFrame(first: number, payload: Uint8Array, mask: Uint8Array): WireFrame {
  return { first, masked: true, lengthForm: lengthFormOf(payload.length), payload, mask };
}

/** One message, as one frame or two to four fragments (binary or text). */
const messageFramesArb: fc.Arbitrary<WireFrame[]> = fc
  .tuple(
    payloadArb,
    maskArb,
    fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, fc.integer({ min: 2, max: 4 })),
    fc.nat({ max: 7 }),
  )
  .map(([payload, mask, pieces, kind]) => {
    // One message in eight is a text frame (refused with TEXT_FRAME); the rest are binary.
    const opcode = kind === 0 ? Opcode.text : Opcode.binary;
    if (pieces === 1) return [dataFrame(FIN | opcode, payload, mask)];
    const frames: WireFrame[] = [];
    const step = Math.ceil(payload.length / pieces);
    for (let i = 0; i < pieces; i++) {
      const first = (i === 0 ? opcode : Opcode.continuation) | (i === pieces - 1 ? FIN : 0);
      frames.push(dataFrame(first, payload.subarray(i * step, (i + 1) * step), mask));
    }
    return frames;
  });

/** A binary message in a longer length form than it needs (legal; not the direct reader's frame). */
const longFormArb: fc.Arbitrary<WireFrame[]> = fc
  .tuple(payloadArb, maskArb, fc.constantFrom<16 | 64>(16, 64))
  .map(([payload, mask, lengthForm]) => [{ ...dataFrame(FIN | Opcode.binary, payload, mask), lengthForm }]);

/** Close code and reason: valid, reserved, out of range, one byte, or a reason that is not UTF-8. */
const closePayloadArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.nat({ max: 255 }).map((b) => Uint8Array.of(b)),
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom(1000, 1001, 1004, 1005, 1006, 1015, 2999, 3000, 4999, 5000, 0, 65535),
        fc.nat({ max: 65535 }),
      ),
      stringBytesArb,
    )
    .map(([code, reason]) => Uint8Array.from([code >>> 8, code & 0xff, ...reason.slice(0, 123)])),
);

const controlFrameArb: fc.Arbitrary<WireFrame[]> = fc.oneof(
  fc
    .tuple(fc.constantFrom(Opcode.ping, Opcode.pong), fc.uint8Array({ maxLength: 125 }), maskArb)
    .map(([opcode, payload, mask]) => [dataFrame(FIN | opcode, payload, mask)]),
  fc.tuple(closePayloadArb, maskArb).map(([payload, mask]) => [dataFrame(FIN | Opcode.close, payload, mask)]),
  // A control frame fragmented or longer than 125 bytes: both protocol errors.
  fc
    .tuple(
      fc.constantFrom(Opcode.ping, Opcode.pong, Opcode.close),
      fc.uint8Array({ minLength: 126, maxLength: 200 }),
      maskArb,
    )
    .map(([opcode, payload, mask]) => [dataFrame(FIN | opcode, payload, mask)]),
  fc.tuple(fc.uint8Array({ maxLength: 20 }), maskArb).map(([payload, mask]) => [dataFrame(Opcode.ping, payload, mask)]),
);

/** Frames a server must refuse: unmasked, RSV bits, unknown opcodes, a continuation with nothing to continue, lying lengths. */
const malformedFrameArb: fc.Arbitrary<WireFrame[]> = fc.oneof(
  fc
    .tuple(payloadArb, maskArb)
    .map(([payload, mask]) => [{ ...dataFrame(FIN | Opcode.binary, payload, mask), masked: false }]),
  fc
    .tuple(fc.constantFrom(0x40, 0x20, 0x10, 0x70), payloadArb, maskArb)
    .map(([rsv, payload, mask]) => [dataFrame(FIN | rsv | Opcode.binary, payload, mask)]),
  fc
    .tuple(fc.constantFrom(0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf), fc.uint8Array({ maxLength: 30 }), maskArb)
    .map(([opcode, payload, mask]) => [dataFrame(FIN | opcode, payload, mask)]),
  fc.tuple(payloadArb, maskArb).map(([payload, mask]) => [dataFrame(FIN | Opcode.continuation, payload, mask)]),
  // A 64-bit length with its top bit set, or larger than the frame cap (ws refuses at the header).
  fc
    .tuple(fc.constantFrom(2n ** 63n, 2n ** 64n - 1n, 2n ** 53n, 513n, 100_000n), maskArb)
    .map(([declaredLength, mask]) => [
      { ...dataFrame(FIN | Opcode.binary, new Uint8Array(0), mask), lengthForm: 64 as const, declaredLength },
    ]),
  // A message over the frame cap (1009 from ws).
  fc
    .tuple(fc.uint8Array({ minLength: 513, maxLength: 1500 }), maskArb)
    .map(([payload, mask]) => [dataFrame(FIN | Opcode.binary, payload, mask)]),
);

/**
 * One client action on the wire: mostly a message (as a small direct frame, a longer form, or
 * fragments), sometimes a control or malformed frame. A list of these is a connection's stream.
 */
export const wireFramesArb: fc.Arbitrary<WireFrame[]> = fc.oneof(
  { weight: 8, arbitrary: messageFramesArb },
  { weight: 1, arbitrary: longFormArb },
  { weight: 2, arbitrary: controlFrameArb },
  { weight: 1, arbitrary: malformedFrameArb },
);

/** `bytes` cut at the given offsets (taken modulo its length), each piece a fresh Buffer as a socket gives. */
export function cut(bytes: Uint8Array, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) pieces.push(Buffer.from(bytes.subarray(from, point)));
    from = Math.max(from, point);
  }
  return pieces;
}
