// DirectFrameReader on its own, fed byte streams cut at random places: each small masked binary
// frame reaches onBinary unmasked, every other frame reaches ws byte for byte, all in stream order;
// nothing is read once ws stops reading. ws's side is a recorder here; directFrameReader.ws.test.ts
// runs the reader in front of the real ws.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { DIRECT_PAYLOAD_MAX, DirectFrameReader } from '../src/transport/directFrameReader.js';
import { cut } from './support/fuzz/wsFrameArb.js';

interface Frame {
  /** First byte: FIN, RSV bits, opcode. */
  first: number;
  masked: boolean;
  /** How the length is written: 7-bit, 16-bit (126) or 64-bit (127). */
  lengthForm: 7 | 16 | 64;
  payload: Uint8Array;
  mask: Uint8Array;
}

/** The frame's bytes as a client would send them (payload masked when `masked`). */
function frameBytes(frame: Frame): Uint8Array {
  const { payload, mask } = frame;
  const length = payload.length;
  const head: number[] = [frame.first];
  const maskBit = frame.masked ? 0x80 : 0;
  if (frame.lengthForm === 7) head.push(maskBit | length);
  else if (frame.lengthForm === 16) head.push(maskBit | 126, length >>> 8, length & 0xff);
  else
    head.push(
      maskBit | 127,
      0,
      0,
      0,
      0,
      (length >>> 24) & 0xff,
      (length >>> 16) & 0xff,
      (length >>> 8) & 0xff,
      length & 0xff,
    );
  if (frame.masked) head.push(...mask);
  const body = frame.masked ? payload.map((byte, i) => byte ^ mask[i & 3]!) : payload;
  return Uint8Array.from([...head, ...body]);
}

const bytesArb = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const maskArb = fc.uint8Array({ minLength: 4, maxLength: 4 });

/** Frames a client might send, well-formed or not; lengths stay within what each form can say. */
const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  // Small binary: the direct reader's frames (when masked, final, no RSV bits).
  {
    weight: 6,
    arbitrary: fc.record({
      first: fc.constant(0x82),
      masked: fc.constant(true),
      lengthForm: fc.constant(7 as const),
      payload: bytesArb(0, DIRECT_PAYLOAD_MAX),
      mask: maskArb,
    }),
  },
  // Larger binary, 16- or 64-bit length.
  {
    weight: 1,
    arbitrary: fc.record({
      first: fc.constant(0x82),
      masked: fc.constant(true),
      lengthForm: fc.constantFrom(16 as const, 64 as const),
      payload: bytesArb(0, 300),
      mask: maskArb,
    }),
  },
  // Text, ping, pong, close, continuation and non-final data frames.
  {
    weight: 2,
    arbitrary: fc.record({
      first: fc.constantFrom(0x81, 0x89, 0x8a, 0x88, 0x80, 0x00, 0x02, 0x01),
      masked: fc.constant(true),
      lengthForm: fc.constant(7 as const),
      payload: bytesArb(0, 40),
      mask: maskArb,
    }),
  },
  // Malformed for a server: unmasked, or an RSV bit set.
  {
    weight: 1,
    arbitrary: fc.record({
      first: fc.constantFrom(0x82, 0xc2, 0xa2, 0x92),
      masked: fc.boolean(),
      lengthForm: fc.constant(7 as const),
      payload: bytesArb(0, 20),
      mask: maskArb,
    }),
  },
);

type Delivery = { to: 'direct'; payload: string } | { to: 'ws'; bytes: string };

/** What the reader must deliver for `frames`: the specification, one frame at a time. */
function expectedDeliveries(frames: readonly Frame[], maxPayload: number): Delivery[] {
  const out: Delivery[] = [];
  let fragmented = false;
  for (const frame of frames) {
    const direct =
      frame.first === 0x82 &&
      frame.masked &&
      frame.lengthForm === 7 &&
      frame.payload.length <= Math.min(DIRECT_PAYLOAD_MAX, maxPayload) &&
      !fragmented;
    if (direct) {
      out.push({ to: 'direct', payload: hex(frame.payload) });
      continue;
    }
    const opcode = frame.first & 0x0f;
    const final = (frame.first & 0x80) !== 0;
    if ((opcode === 1 || opcode === 2) && !final) fragmented = true;
    else if (opcode === 0 && final) fragmented = false;
    pushWs(out, hex(frameBytes(frame)));
  }
  return out;
}

function pushWs(out: Delivery[], bytes: string): void {
  const last = out.at(-1);
  if (last?.to === 'ws') last.bytes += bytes;
  else out.push({ to: 'ws', bytes });
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** A reader with a recorder in ws's place; `stopWhen` makes ws stop reading after a delivery. */
function harness(maxPayload: number, stopWhen?: (wsBytes: string) => 'close' | 'error' | undefined) {
  const deliveries: Delivery[] = [];
  const wsState = {
    _closeFrameReceived: false,
    _receiver: { errored: null as Error | null },
  };
  const socket = new EventEmitter() as unknown as Duplex;
  const reader = new DirectFrameReader(
    wsState as unknown as WebSocket,
    socket,
    function (this: Duplex, chunk: Buffer) {
      expect(this).toBe(socket);
      pushWs(deliveries, hex(chunk));
      const stop = stopWhen?.((deliveries.at(-1) as { bytes: string }).bytes);
      if (stop === 'close') wsState._closeFrameReceived = true;
      if (stop === 'error') wsState._receiver.errored = new Error('bad frame');
    },
    (target, payload) => target.push({ to: 'direct', payload: hex(payload) }),
    deliveries,
    maxPayload,
  );
  return { reader, deliveries };
}

const concat = (frames: readonly Frame[]) => Uint8Array.from(frames.flatMap((frame) => [...frameBytes(frame)]));

describe('DirectFrameReader', () => {
  it('delivers every frame in order however the stream is cut (2,000 random streams)', () => {
    let sawDirect = 0;
    let sawWs = 0;
    let sawSplitFrames = 0;
    fc.assert(
      fc.property(
        fc.array(frameArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat({ max: 100_000 }), { maxLength: 40 }),
        fc.constantFrom(512, 64, 20),
        (frames, offsets, maxPayload) => {
          const { reader, deliveries } = harness(maxPayload);
          const pieces = cut(concat(frames), offsets);
          for (const piece of pieces) reader.onData(piece);
          const expected = expectedDeliveries(frames, maxPayload);
          expect(deliveries).toEqual(expected);
          if (expected.some((d) => d.to === 'direct')) sawDirect++;
          if (expected.some((d) => d.to === 'ws')) sawWs++;
          if (pieces.length > 2) sawSplitFrames++;
        },
      ),
      { numRuns: 2000 },
    );
    // The generator reaches both paths and streams cut into many pieces.
    expect(sawDirect).toBeGreaterThan(1000);
    expect(sawWs).toBeGreaterThan(1000);
    expect(sawSplitFrames).toBeGreaterThan(1000);
  });

  it('unmasks in place: the payload handed over is a view of the chunk', () => {
    const payload = Uint8Array.from([0x99, 2, 1, 0, 0, 0, 0, 0, 0, 0]);
    const frame = frameBytes({
      first: 0x82,
      masked: true,
      lengthForm: 7,
      payload,
      mask: Uint8Array.from([1, 2, 3, 4]),
    });
    const chunk = Buffer.from(frame);
    let seen: Buffer | undefined;
    const reader = new DirectFrameReader(
      {
        _closeFrameReceived: false,
        _receiver: { errored: null as Error | null },
      } as unknown as WebSocket,
      new EventEmitter() as unknown as Duplex,
      () => {
        throw new Error('nothing here is for ws');
      },
      (_, bytes) => {
        seen = bytes;
      },
      undefined,
      512,
    );
    reader.onData(chunk);
    expect(seen?.buffer).toBe(chunk.buffer);
    expect([...seen!]).toEqual([...payload]);
  });

  it.each([
    ['a close frame', 'close' as const],
    ['an error', 'error' as const],
  ])('reads nothing more once ws stops reading after %s', (_, how) => {
    const close = frameBytes({
      first: 0x88,
      masked: true,
      lengthForm: 7,
      payload: Uint8Array.from([3, 0xe8]),
      mask: Uint8Array.from([9, 9, 9, 9]),
    });
    const small = frameBytes({
      first: 0x82,
      masked: true,
      lengthForm: 7,
      payload: Uint8Array.from([1]),
      mask: Uint8Array.from([5, 6, 7, 8]),
    });
    const closeHex = hex(close);
    const { reader, deliveries } = harness(512, (wsBytes) => (wsBytes.endsWith(closeHex) ? how : undefined));
    reader.onData(Buffer.from([...small, ...close, ...small]));
    reader.onData(Buffer.from(small));
    expect(deliveries).toEqual([
      { to: 'direct', payload: '01' },
      { to: 'ws', bytes: closeHex },
    ]);
  });

  it('hands ws the rest of a frame it started, however long it says it is, and keeps nothing itself', () => {
    // A header claiming 2^40 bytes: ws refuses it (1009) at once; until then its bytes are ws's.
    const huge = Uint8Array.from([0x82, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0xaa, 0xbb]);
    const { reader, deliveries } = harness(512);
    reader.onData(Buffer.from(huge));
    reader.onData(Buffer.from([0xcc, 0xdd]));
    expect(deliveries).toEqual([{ to: 'ws', bytes: `${hex(huge)}ccdd` }]);
  });
});
