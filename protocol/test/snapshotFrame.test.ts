// Shared-body SNAPSHOT frames: a client's own part (head, tick of a full snapshot, what changed of its
// input stats, pong) written in front of a body from SnapshotEncoder gives the same bytes as encoding
// the whole message, at every MessagePack integer width, with or without a pong, full or delta; and a
// connection's chain of frames reads back, message for message, with the state its reader keeps.
import { decode, decodeMulti } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeServerFrame,
  ENTITY_FIELDS,
  type EntityTuple,
  EventHistory,
  encodeServerMessage,
  encodeSnapshotMessage,
  FIELD_COUNT,
  FieldIndex,
  MsgpackWriter,
  newSnapshotHeaderState,
  type Pong,
  peekSnapshotTick,
  pongFields,
  ServerMessageId,
  SNAPSHOT_HEADER_MAX_BYTES,
  type SnapshotClientPart,
  SnapshotDecoder,
  SnapshotEncoder,
  type SnapshotHeaderState,
  type SnapshotMessage,
  snapshotFields,
  type WorldBounds,
  WorldState,
  writeSnapshotFrame,
  writeSnapshotHeaderBefore,
} from '../src/index.js';

/** The last value of each MessagePack unsigned width: fixint, uint 8, uint 16, and their first successors. */
const WIDTH_BOUNDARIES = [0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1];

/** The largest value a field of the SNAPSHOT or pong specs may hold. */
function maxOf(fields: readonly { name: string; max?: number }[], name: string): number {
  const max = fields.find((field) => field.name === name)?.max;
  if (max === undefined) throw new Error(`no field ${name} with a max`);
  return max;
}

const PART_UINTS = ['lastInputSeq', 'inputBuffer', 'starvedInputs', 'droppedInputs'] as const;

function partOf(lastInputSeq: number, more: Partial<SnapshotClientPart> = {}): SnapshotClientPart {
  return { lastInputSeq, inputBuffer: 0, starvedInputs: 0, droppedInputs: 0, pong: undefined, ...more };
}

/** Each per-client uint at each width boundary its field allows (inputBuffer stops at 65535), the others 0. */
const PARTS_AT_EVERY_WIDTH: SnapshotClientPart[] = PART_UINTS.flatMap((name) =>
  WIDTH_BOUNDARIES.filter((value) => value <= maxOf(snapshotFields, name)).map((value) => ({
    ...partOf(0),
    [name]: value,
  })),
);

/**
 * Pongs whose floats take every form: fractional (float 64), whole below 2^32 (an integer of the
 * shortest width, like msgpackr), whole from 2^32 up (float 64 again), and the smallest positive float.
 */
const PONGS: Pong[] = [
  { pingId: 1, clientTimeMs: 12345.678, serverReceiveTick: 130.25, serverSendTick: 131.5 },
  { pingId: 7, clientTimeMs: 7, serverReceiveTick: 7, serverSendTick: 7 },
  { pingId: 0, clientTimeMs: 0.5, serverReceiveTick: 0, serverSendTick: 0.5 },
  ...WIDTH_BOUNDARIES.map((value) => ({
    pingId: value,
    clientTimeMs: value,
    serverReceiveTick: value,
    serverSendTick: value,
  })),
  { pingId: 3, clientTimeMs: 1_700_000_000_000, serverReceiveTick: 2 ** 32 - 1.5, serverSendTick: 2 ** 32 - 1 },
  { pingId: 4, clientTimeMs: 2 ** 32, serverReceiveTick: 65535.5, serverSendTick: 65536 },
  {
    pingId: 2 ** 32 - 1,
    clientTimeMs: maxOf(pongFields, 'clientTimeMs'),
    serverReceiveTick: Number.MIN_VALUE,
    serverSendTick: maxOf(pongFields, 'serverSendTick'),
  },
];

const PARTS: SnapshotClientPart[] = [
  ...PARTS_AT_EVERY_WIDTH,
  ...PONGS.map((pong, i) => partOf(i + 1, { inputBuffer: 1, starvedInputs: 2, droppedInputs: 3, pong })),
];

const BOUNDS: WorldBounds = { maxX: 32768, maxY: 32768 };
const MAX_ID = 2047;
const CAPACITY = 1024;

interface TestEntity {
  id: number;
  /** Which life of the id (server side only): a new generation is sent whole. */
  generation: number;
  /** In ENTITY_FIELDS order. */
  values: number[];
}

function stateOf(tick: number, entities: readonly TestEntity[]): WorldState {
  const state = new WorldState(CAPACITY, MAX_ID);
  state.reset(tick);
  for (const entity of entities) {
    const row = state.add(entity.id, entity.generation);
    state.values.set(entity.values, row * FIELD_COUNT);
  }
  return state;
}

/** The entity `ticks` later as a receiver predicts it (PROTOCOL.md, "Prediction"), written out independently. */
function predicted(entity: TestEntity, ticks: number): TestEntity {
  const [vx, vy, x, y, angle, hp, kind] = entity.values as [number, number, number, number, number, number, number];
  const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
  return {
    ...entity,
    values: [vx, vy, clamp(x + ticks * vx, BOUNDS.maxX), clamp(y + ticks * vy, BOUNDS.maxY), angle, hp, kind],
  };
}

function entities(count: number, firstId = 0): TestEntity[] {
  return Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    generation: 1,
    values: [
      i % 2 === 0 ? 107 : -75,
      i % 3 === 0 ? 0 : -75,
      (i * 977) % 32769,
      (i * 131) % 32769,
      (i * 32) % 256,
      100,
      i % 5 === 0 ? 1 : 0,
    ],
  }));
}

/** Every field at its minimum and its maximum, one entity each. */
const extremes: TestEntity[] = [
  { id: 0, generation: 1, values: ENTITY_FIELDS.map((field) => ('min' in field ? field.min : 0)) },
  { id: MAX_ID, generation: 1, values: ENTITY_FIELDS.map((field) => field.max) },
];

const encoder = new SnapshotEncoder(CAPACITY, BOUNDS);
const writer = new MsgpackWriter(64);

/** SnapshotEncoder's body of `current` from `baseline` (undefined: full), copied out of the writer. */
function bodyOf(baseline: WorldState | undefined, current: WorldState, events?: EventHistory): Uint8Array {
  encoder.encode(baseline, current, writer, events);
  return writer.toBytes();
}

/** The same content as a SNAPSHOT message, read back from the body with an independent library. */
function messageOf(tick: number, part: SnapshotClientPart, body: Uint8Array): SnapshotMessage {
  const [baseAge, created, changed, removed, shots, kills] = [...decodeMulti(body)] as [
    number,
    number[][],
    number[],
    number[],
    number[][],
    number[][],
  ];
  expect(shots, 'a body ends with its shots and kills').toBeDefined();
  return {
    id: ServerMessageId.SNAPSHOT,
    tick,
    lastInputSeq: part.lastInputSeq,
    inputBuffer: part.inputBuffer,
    starvedInputs: part.starvedInputs,
    droppedInputs: part.droppedInputs,
    pong: part.pong === undefined ? [] : [{ ...part.pong }],
    baseAge,
    created: created.map((tuple) => {
      const entity: Record<string, number> = { id: tuple[0]! };
      ENTITY_FIELDS.forEach((field, f) => {
        entity[field.name] = tuple[1 + f]!;
      });
      return entity as EntityTuple;
    }),
    changed,
    removed,
    shots: shots.map(([t, shooterId, weapon, x0, y0, x1, y1, hitId]) => ({
      tick: t!,
      shooterId: shooterId!,
      weapon: weapon!,
      x0: x0!,
      y0: y0!,
      x1: x1!,
      y1: y1!,
      hitId: hitId!,
    })),
    kills: kills.map(([t, killerId, victimId, weapon]) => ({
      tick: t!,
      killerId: killerId!,
      victimId: victimId!,
      weapon: weapon!,
    })),
    deferred: [],
  };
}

/** writeSnapshotFrame for a connection that was last sent `sent` (nothing yet, by default). */
function frameOf(
  tick: number,
  part: SnapshotClientPart,
  body: Uint8Array,
  sent: SnapshotHeaderState = newSnapshotHeaderState(),
): Uint8Array {
  const target = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES + body.length);
  const length = writeSnapshotFrame(target, tick, part, sent, body);
  return target.subarray(0, length);
}

/** encodeSnapshotMessage for a connection that was last sent `sent` (nothing yet, by default). */
function wholeOf(message: SnapshotMessage, sent: SnapshotHeaderState = newSnapshotHeaderState()): Uint8Array {
  return encodeSnapshotMessage(message, sent);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Bytes from hex text; spaces are ignored. */
function hex(text: string): Uint8Array {
  return Uint8Array.from(text.replace(/\s+/g, '').match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

function expectSameAsWholeMessage(
  body: Uint8Array,
  ticks: readonly number[],
  parts: readonly SnapshotClientPart[] = PARTS,
): void {
  for (const tick of ticks) {
    for (const part of parts) {
      const whole = wholeOf(messageOf(tick, part, body));
      expect(toHex(frameOf(tick, part, body)), `tick ${tick}, ${JSON.stringify(part)}`).toBe(toHex(whole));
    }
  }
}

/** A delta with every kind of entry: predicted, changed, removed, created, and an id respawned. */
function mixedDelta(baseAge: number) {
  const before = entities(200);
  const baseline = stateOf(1000, before);
  const after = before
    .filter((entity) => entity.id % 10 !== 9) // removed
    .map((entity) => {
      const next = predicted(entity, baseAge);
      if (entity.id % 10 === 1) next.values[FieldIndex.vx] = -next.values[FieldIndex.vx]!; // turned: vx and x sent
      if (entity.id % 10 === 2) next.values[FieldIndex.hp] = 0; // hp sent
      if (entity.id % 10 === 3) next.values = [32767, -32768, 0, 32768, 255, 65535, 15]; // everything sent
      if (entity.id % 10 === 4) next.generation = 2; // the same id, a new life: sent whole
      return next;
    });
  const current = stateOf(1000 + baseAge, [...after, ...entities(20, 1500)]);
  return { baseline, current };
}

describe('writeSnapshotFrame', () => {
  for (const count of [0, 1, 15, 16, 200]) {
    it(`is byte-identical to encodeSnapshotMessage for a full body of ${count} entities at every tick × part width`, () => {
      const body = bodyOf(undefined, stateOf(70, entities(count)));
      expect(messageOf(0, partOf(0), body).created).toHaveLength(count);
      expectSameAsWholeMessage(body, WIDTH_BOUNDARIES);
    });
  }

  it('is byte-identical for a full body holding every field at its minimum and maximum', () => {
    expectSameAsWholeMessage(bodyOf(undefined, stateOf(70, extremes)), WIDTH_BOUNDARIES);
  });

  it('is byte-identical for a delta body with predicted, changed, removed, created and respawned entities', () => {
    const { baseline, current } = mixedDelta(3);
    const body = bodyOf(baseline, current);
    const message = messageOf(0, partOf(0), body);
    expect(message.baseAge).toBe(3);
    expect(message.created.length).toBe(20 + 20); // 20 new ids, 20 respawned
    expect(message.changed.length).toBeGreaterThan(0);
    expect(message.removed).toHaveLength(20);
    expectSameAsWholeMessage(body, WIDTH_BOUNDARIES);
  });

  it('is byte-identical for a delta body where every entity is predicted (empty created, changed, removed)', () => {
    const before = entities(50);
    const body = bodyOf(
      stateOf(10, before),
      stateOf(
        12,
        before.map((entity) => predicted(entity, 2)),
      ),
    );
    expect(messageOf(0, partOf(0), body)).toMatchObject({
      baseAge: 2,
      created: [],
      changed: [],
      removed: [],
      shots: [],
      kills: [],
    });
    expectSameAsWholeMessage(body, WIDTH_BOUNDARIES);
  });

  it.each([1, 127, 128, 255, 256, 65535])('is byte-identical for a delta body of baseAge %d', (baseAge) => {
    const { baseline, current } = mixedDelta(baseAge);
    const body = bodyOf(baseline, current);
    expect(messageOf(0, partOf(0), body).baseAge).toBe(baseAge);
    expectSameAsWholeMessage(body, WIDTH_BOUNDARIES);
  });

  it('is byte-identical for any tick, client part, pong, baseline and current state (property)', () => {
    const uintArbitrary = (max: number) =>
      fc.oneof(fc.constantFrom(...WIDTH_BOUNDARIES.filter((value) => value <= max)), fc.integer({ min: 0, max }));
    const tickArbitrary = uintArbitrary(2 ** 32 - 1);
    // Any float of the range, or a whole one (written as an integer below 2^32, as float 64 above).
    const floatArbitrary = (max: number) =>
      fc.oneof(
        fc.double({ min: 0, max, noNaN: true }).map((value) => value + 0),
        uintArbitrary(Math.min(max, 2 ** 32 - 1)),
        fc.constantFrom(
          max,
          ...[2 ** 32 - 0.5, 2 ** 32, 1_700_000_000_000, 2 ** 40 + 0.5].filter((value) => value < max),
        ),
      );
    const pongArbitrary: fc.Arbitrary<Pong> = fc.record({
      pingId: uintArbitrary(maxOf(pongFields, 'pingId')),
      clientTimeMs: floatArbitrary(maxOf(pongFields, 'clientTimeMs')),
      serverReceiveTick: floatArbitrary(maxOf(pongFields, 'serverReceiveTick')),
      serverSendTick: floatArbitrary(maxOf(pongFields, 'serverSendTick')),
    });
    const partArbitrary: fc.Arbitrary<SnapshotClientPart> = fc.record({
      lastInputSeq: uintArbitrary(maxOf(snapshotFields, 'lastInputSeq')),
      inputBuffer: uintArbitrary(maxOf(snapshotFields, 'inputBuffer')),
      starvedInputs: uintArbitrary(maxOf(snapshotFields, 'starvedInputs')),
      droppedInputs: uintArbitrary(maxOf(snapshotFields, 'droppedInputs')),
      pong: fc.option(pongArbitrary, { nil: undefined }),
    });
    const valuesArbitrary = fc.tuple(
      ...ENTITY_FIELDS.map((field) => fc.integer({ min: 'min' in field ? field.min : 0, max: field.max })),
    );
    // Per id of a small range: in the baseline or not, and what happened to it since.
    const slot = fc.record({
      inBaseline: fc.boolean(),
      fate: fc.constantFrom('predicted', 'changed', 'respawned', 'removed'),
      values: valuesArbitrary,
      changedValues: valuesArbitrary,
    });
    fc.assert(
      fc.property(
        tickArbitrary,
        partArbitrary,
        fc.integer({ min: 0, max: 300 }),
        fc.array(slot, { maxLength: 60 }),
        fc
          .tuple(...[0, 1, 2, 3].map(() => fc.constantFrom(0, 0.5, 0.999, 1)))
          .map((f) => f as [number, number, number, number]),
        (tick, part, baseAge, slots, below) => {
          const before: TestEntity[] = [];
          const after: TestEntity[] = [];
          slots.forEach(({ inBaseline, fate, values, changedValues }, id) => {
            const entity = { id, generation: 1, values: [...values] };
            entity.values[FieldIndex.x] = Math.min(entity.values[FieldIndex.x]!, BOUNDS.maxX);
            entity.values[FieldIndex.y] = Math.min(entity.values[FieldIndex.y]!, BOUNDS.maxY);
            if (inBaseline) before.push(entity);
            if (fate === 'removed') return;
            if (!inBaseline || fate === 'changed') after.push({ id, generation: 1, values: [...changedValues] });
            else if (fate === 'respawned') after.push({ id, generation: 2, values: [...changedValues] });
            else after.push(predicted(entity, baseAge));
          });
          const baseline = baseAge === 0 ? undefined : stateOf(500, before);
          const body = bodyOf(baseline, stateOf(500 + baseAge, after));
          // What the connection was sent last: counters at or below this part's, any inputBuffer.
          const sent = (): SnapshotHeaderState => ({
            tick: 500,
            lastInputSeq: Math.floor(part.lastInputSeq * below[0]),
            inputBuffer: below[1] < 0.5 ? part.inputBuffer : 7,
            starvedInputs: Math.floor(part.starvedInputs * below[2]),
            droppedInputs: Math.floor(part.droppedInputs * below[3]),
          });
          const whole = wholeOf(messageOf(tick, part, body), sent());
          expect(toHex(frameOf(tick, part, body, sent()))).toBe(toHex(whole));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decodes with decodeServerFrame and @msgpack/msgpack, and applies to the state it was encoded from', () => {
    const { baseline, current } = mixedDelta(3);
    const body = bodyOf(baseline, current);
    const part = partOf(300, { inputBuffer: 2, starvedInputs: 5, droppedInputs: 1, pong: PONGS[0] });
    const held = { ...newSnapshotHeaderState(), tick: baseline.tick, lastInputSeq: 290 };
    const frame = frameOf(current.tick, part, body, { ...held });
    const message = messageOf(current.tick, part, body);
    expect(decodeServerFrame(frame, held)).toEqual({ ok: true, message });
    expect(held).toEqual({ tick: current.tick, lastInputSeq: 300, inputBuffer: 2, starvedInputs: 5, droppedInputs: 1 });
    // head 62: every bit but TICK (a delta's tick is the held 1000 + baseAge 3); seq +10.
    expect(decode(frame)).toEqual([
      65,
      62,
      10,
      2,
      5,
      1,
      [1, 12345.678, 130.25, 131.5],
      3,
      message.created.map((entity) => [entity.id, ...ENTITY_FIELDS.map((field) => entity[field.name])]),
      message.changed,
      message.removed,
      [],
      [],
    ]);
    const decoder = new SnapshotDecoder(MAX_ID, BOUNDS);
    const client = new WorldState(CAPACITY, MAX_ID);
    client.copyFrom(baseline);
    const out = new WorldState(CAPACITY, MAX_ID);
    expect(decoder.apply(client, message, out)).toEqual({ ok: true });
    expect(out.toObject()).toEqual(current.toObject());
  });

  it('writes the client part in field order: whole pong values as integers, fractional ones as float 64', () => {
    const body = bodyOf(undefined, stateOf(131, []));
    const part = partOf(9, {
      inputBuffer: 1,
      starvedInputs: 300,
      droppedInputs: 70000,
      pong: { pingId: 7, clientTimeMs: 12345.678, serverReceiveTick: 7, serverSendTick: 0.5 },
    });
    const frame = frameOf(131, part, body);
    // fixarray(14), 65, head 63 (every bit), tick uint8 131, seq +9, inputBuffer 1, starved +uint16 300,
    // dropped +uint32 70000, pong [7, float64 12345.678, 7, float64 0.5], then the body: baseAge 0, [], [], [], [], []
    const expected =
      '9e 41 3f cc 83 09 01 cd 01 2c ce 00 01 11 70 94 07 cb 40 c8 1c d6 c8 b4 39 58 07 cb 3f e0 00 00 00 00 00 00 00 90 90 90 90 90';
    expect(toHex(frame)).toBe(toHex(hex(expected)));
    // No pong: head 31, one element fewer.
    expect(toHex(frameOf(131, { ...part, pong: undefined }, body))).toBe(
      toHex(hex('9d 41 1f cc 83 09 01 cd 01 2c ce 00 01 11 70 00 90 90 90 90 90')),
    );
  });

  it('writes a whole pong value of 2^32 or more as float 64, as msgpackr does', () => {
    const body = bodyOf(undefined, stateOf(1, []));
    const pong = { pingId: 1, clientTimeMs: 2 ** 32, serverReceiveTick: 2 ** 32 - 1, serverSendTick: 1 };
    const frame = frameOf(1, partOf(0, { pong }), body);
    // fixarray(10), 65, head 33 (TICK + PONG), tick 1, pong [1, float64 2^32, uint32 2^32 − 1, 1], body
    expect(toHex(frame)).toBe(
      toHex(hex('9a 41 21 01 94 01 cb 41 f0 00 00 00 00 00 00 ce ff ff ff ff 01 00 90 90 90 90 90')),
    );
    expect(toHex(frame)).toBe(toHex(wholeOf(messageOf(1, partOf(0, { pong }), body))));
  });

  it('reads the part and leaves it and its pong unchanged', () => {
    const body = bodyOf(undefined, stateOf(9, entities(3)));
    const part = partOf(4, { inputBuffer: 1, pong: { ...PONGS[0]! } });
    const before = JSON.stringify(part);
    frameOf(9, part, body);
    expect(JSON.stringify(part)).toBe(before);
  });

  it('writes from offset 0 of a reused, larger buffer, returns the length, and leaves the rest alone', () => {
    const body = bodyOf(undefined, stateOf(9, entities(5)));
    const target = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES + body.length + 50).fill(0xee);
    const part = partOf(1, { pong: PONGS[0] });
    const length = writeSnapshotFrame(target, 9, part, newSnapshotHeaderState(), body);
    expect(toHex(target.subarray(0, length))).toBe(toHex(wholeOf(messageOf(9, part, body))));
    expect(target.subarray(length).every((byte) => byte === 0xee)).toBe(true);
  });

  it('writes from `start` (the server keeps headroom in front), returns the length from there, and leaves the bytes before alone', () => {
    const body = bodyOf(undefined, stateOf(9, entities(5)));
    const start = 14;
    const target = new Uint8Array(start + SNAPSHOT_HEADER_MAX_BYTES + body.length).fill(0xee);
    const part = partOf(1, { pong: PONGS[0] });
    const length = writeSnapshotFrame(target, 9, part, newSnapshotHeaderState(), body, start);
    expect(toHex(target.subarray(start, start + length))).toBe(toHex(wholeOf(messageOf(9, part, body))));
    expect(target.subarray(0, start).every((byte) => byte === 0xee)).toBe(true);
  });

  it('needs at most SNAPSHOT_HEADER_MAX_BYTES in front of the body, and reaches it with every value at its widest', () => {
    const body = bodyOf(undefined, stateOf(9, entities(2)));
    const widest = partOf(2 ** 32 - 1, {
      // inputBuffer's spec stops at 65535; the writer still has room for a uint 32 there.
      inputBuffer: 2 ** 32 - 1,
      starvedInputs: 2 ** 32 - 1,
      droppedInputs: 2 ** 32 - 1,
      pong: { pingId: 2 ** 32 - 1, clientTimeMs: 0.5, serverReceiveTick: 0.5, serverSendTick: 0.5 },
    });
    expect(frameOf(2 ** 32 - 1, widest, body).length).toBe(SNAPSHOT_HEADER_MAX_BYTES + body.length);
    // The least a full snapshot sends: fixarray, id, head, tick; a delta leaves the tick out too.
    expect(frameOf(0, partOf(0), body).length).toBe(4 + body.length);
    const delta = new Uint8Array([0x01, 0x90, 0x90, 0x90, 0x90, 0x90]);
    expect(frameOf(1, partOf(0), delta).length).toBe(3 + delta.length);
  });

  it('throws RangeError when the target is smaller than SNAPSHOT_HEADER_MAX_BYTES + body, before writing', () => {
    const body = bodyOf(undefined, stateOf(9, entities(3)));
    const target = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES + body.length - 1).fill(0xee);
    const sent = newSnapshotHeaderState();
    // Even when this frame's own part (4 bytes at tick 0, all zero, no pong) would fit.
    expect(() => writeSnapshotFrame(target, 0, partOf(0), sent, body)).toThrow(RangeError);
    expect(() => writeSnapshotFrame(target, 0, partOf(0, { pong: PONGS[0] }), sent, body)).toThrow(RangeError);
    expect(() => writeSnapshotFrame(new Uint8Array(0), 0, partOf(0), sent, new Uint8Array(0))).toThrow(RangeError);
    // The bound counts from `start`.
    const exact = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES + body.length).fill(0xee);
    expect(() => writeSnapshotFrame(exact, 0, partOf(0), sent, body, 1)).toThrow(RangeError);
    expect(sent).toEqual(newSnapshotHeaderState());
    expect(target.every((byte) => byte === 0xee)).toBe(true);
    expect(exact.every((byte) => byte === 0xee)).toBe(true);
  });

  it('gives each client its own frame from one shared body, leaving the body untouched', () => {
    const body = bodyOf(undefined, stateOf(10, entities(5)));
    const before = toHex(body);
    const a = frameOf(10, partOf(1), body);
    const b = frameOf(10, partOf(2), body);
    const c = frameOf(10, partOf(2, { pong: PONGS[0] }), body);
    expect(new Set([toHex(a), toHex(b), toHex(c)]).size).toBe(3);
    a.fill(0);
    expect(toHex(b.subarray(b.length - body.length))).toBe(before);
    expect(toHex(c.subarray(c.length - body.length))).toBe(before);
    expect(toHex(body)).toBe(before);
  });

  it('keeps a body copied out of the writer intact while the writer encodes later bodies', () => {
    const body = bodyOf(undefined, stateOf(10, entities(50)));
    const before = toHex(body);
    for (let i = 1; i < 500; i++) bodyOf(stateOf(10, entities(i % 7)), stateOf(10 + i, entities(i % 11)));
    expect(toHex(body)).toBe(before);
  });
});

describe('peekSnapshotTick', () => {
  it('reads the tick of an encoded SNAPSHOT at every integer width, like the full decoder', () => {
    for (const tick of WIDTH_BOUNDARIES) {
      const frame = wholeOf({
        id: ServerMessageId.SNAPSHOT,
        tick,
        lastInputSeq: 3,
        inputBuffer: 1,
        starvedInputs: 0,
        droppedInputs: 0,
        pong: [],
        baseAge: 0,
        created: [],
        changed: [],
        removed: [],
        shots: [],
        kills: [],
        deferred: [],
      });
      expect(peekSnapshotTick(frame, 0)).toBe(tick);
      const decoded = decodeServerFrame(frame, newSnapshotHeaderState());
      expect(decoded.ok && decoded.message.id === ServerMessageId.SNAPSHOT && decoded.message.tick).toBe(tick);
    }
  });

  it('answers undefined for other messages, truncated frames and garbage', () => {
    const debugState = encodeServerMessage({
      id: ServerMessageId.DEBUG_STATE,
      tick: 5,
      page: 0,
      pages: 1,
      entities: [],
      interest: [],
    });
    expect(peekSnapshotTick(debugState, 0)).toBeUndefined();
    expect(peekSnapshotTick(new Uint8Array([]), 0)).toBeUndefined();
    expect(peekSnapshotTick(new Uint8Array([0x9b, 65]), 0)).toBeUndefined();
    expect(peekSnapshotTick(new Uint8Array([0x9b, 65, 0xcd, 1]), 0)).toBeUndefined();
    expect(peekSnapshotTick(new Uint8Array([0x9b, 65, 0xc0]), 0)).toBeUndefined();
    expect(peekSnapshotTick(new Uint8Array([0x81, 65, 1]), 0)).toBeUndefined();
  });
});

describe('shots and kills in the shared body', () => {
  /** Three shots and a kill over ticks 98..101, as the server records them. */
  function history(): EventHistory {
    const events = new EventHistory();
    events.pushShot({ tick: 98, shooterId: 3, weapon: 0, x0: 100, y0: 200, x1: 300, y1: 200, hitId: 0 });
    events.pushShot({ tick: 100, shooterId: 3, weapon: 0, x0: 100, y0: 200, x1: 280, y1: 210, hitId: 7 });
    events.pushKill({ tick: 100, killerId: 3, victimId: 7, weapon: 0 });
    events.pushShot({ tick: 101, shooterId: 9, weapon: 1, x0: 65535, y0: 0, x1: 60000, y1: 300, hitId: 0 });
    return events;
  }

  it('a delta carries the events of the ticks after its baseline up to its tick, oldest first', () => {
    const before = entities(3);
    const body = bodyOf(
      stateOf(99, before),
      stateOf(
        101,
        before.map((entity) => predicted(entity, 2)),
      ),
      history(),
    );
    const message = messageOf(101, partOf(0), body);
    expect(message.shots.map((shot) => shot.tick)).toEqual([100, 101]);
    expect(message.kills).toEqual([{ tick: 100, killerId: 3, victimId: 7, weapon: 0 }]);
    expect(message.shots[1]).toEqual({
      tick: 101,
      shooterId: 9,
      weapon: 1,
      x0: 65535,
      y0: 0,
      x1: 60000,
      y1: 300,
      hitId: 0,
    });
    expectSameAsWholeMessage(body, [101], PARTS.slice(0, 4));
  });

  it("a full snapshot carries its own tick's events only", () => {
    const body = bodyOf(undefined, stateOf(100, entities(2)), history());
    const message = messageOf(100, partOf(0), body);
    expect(message.shots.map((shot) => shot.hitId)).toEqual([7]);
    expect(message.kills).toHaveLength(1);
    expect(bodyOf(undefined, stateOf(99, entities(2)), history())).toEqual(bodyOf(undefined, stateOf(99, entities(2))));
  });

  it('with no events, the body grows by two empty arrays (2 bytes) over the entity delta alone', () => {
    const before = entities(200);
    const baseline = stateOf(10, before);
    const current = stateOf(
      11,
      before.map((entity) => predicted(entity, 1)),
    );
    const withEvents = bodyOf(baseline, current, new EventHistory());
    const without = bodyOf(baseline, current);
    expect(toHex(withEvents)).toBe(toHex(without));
    expect(toHex(without)).toBe('01909090' + '9090');
  });
});

describe('writeSnapshotHeaderBefore', () => {
  it('writes the same frame as writeSnapshotFrame, ending at a body already in place, for every part', () => {
    const body = new Uint8Array([0x01, 0x90, 0x90, 0x90, 0x90, 0x90]);
    const scratch = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES);
    const bodyStart = 10 + SNAPSHOT_HEADER_MAX_BYTES;
    const staged = new Uint8Array(bodyStart + body.length);
    staged.set(body, bodyStart);
    for (const part of [...PARTS, ...PARTS_AT_EVERY_WIDTH]) {
      for (const tick of WIDTH_BOUNDARIES) {
        const whole = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES + body.length);
        const sentWhole = newSnapshotHeaderState();
        const sentStaged = newSnapshotHeaderState();
        const length = writeSnapshotFrame(whole, tick, part, sentWhole, body);
        // One staging buffer for every client, as the server uses it: earlier headers stay behind.
        const start = writeSnapshotHeaderBefore(staged, bodyStart, tick, part, sentStaged, scratch);
        expect(sentStaged).toEqual(sentWhole);
        expect(toHex(staged.subarray(start))).toBe(toHex(whole.subarray(0, length)));
        expect(start).toBeGreaterThanOrEqual(10);
      }
    }
  });

  it('refuses a body with no room before it, and a short scratch', () => {
    const part = partOf(1);
    const sent = newSnapshotHeaderState();
    expect(() => writeSnapshotHeaderBefore(new Uint8Array(8), 2, 1, part, sent, new Uint8Array(64))).toThrow(
      RangeError,
    );
    expect(() => writeSnapshotHeaderBefore(new Uint8Array(80), 70, 1, part, sent, new Uint8Array(4))).toThrow(
      RangeError,
    );
    // Refused before anything was written: the connection still holds what it held.
    expect(sent).toEqual(newSnapshotHeaderState());
  });
});
