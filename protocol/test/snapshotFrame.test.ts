// Shared-body SNAPSHOT frames: a client's header written in front of a body from SnapshotEncoder gives
// the same bytes as encoding the whole message, at every MessagePack integer width, full or delta.
import { decode, decodeMulti } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeServerFrame,
  ENTITY_FIELDS,
  type EntityTuple,
  encodeServerMessage,
  FIELD_COUNT,
  FieldIndex,
  MsgpackWriter,
  ServerMessageId,
  SNAPSHOT_HEADER_MAX_BYTES,
  SnapshotDecoder,
  SnapshotEncoder,
  type SnapshotMessage,
  type WorldBounds,
  WorldState,
  writeSnapshotFrame,
} from '../src/index.js';

/** The last value of each MessagePack unsigned width: fixint, uint 8, uint 16, and their first successors. */
const WIDTH_BOUNDARIES = [0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1];

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
  const [vx, vy, x, y, angle, hp] = entity.values as [number, number, number, number, number, number];
  const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
  return {
    ...entity,
    values: [vx, vy, clamp(x + ticks * vx, BOUNDS.maxX), clamp(y + ticks * vy, BOUNDS.maxY), angle, hp],
  };
}

function entities(count: number, firstId = 0): TestEntity[] {
  return Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    generation: 1,
    values: [i % 2 === 0 ? 107 : -75, i % 3 === 0 ? 0 : -75, (i * 977) % 32769, (i * 131) % 32769, (i * 32) % 256, 100],
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
function bodyOf(baseline: WorldState | undefined, current: WorldState): Uint8Array {
  encoder.encode(baseline, current, writer);
  return writer.toBytes();
}

/** The same content as a SNAPSHOT message, read back from the body with an independent library. */
function messageOf(tick: number, lastInputSeq: number, body: Uint8Array): SnapshotMessage {
  const [baseAge, created, changed, removed] = [...decodeMulti(body)] as [number, number[][], number[], number[]];
  return {
    id: ServerMessageId.SNAPSHOT,
    tick,
    lastInputSeq,
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
  };
}

function frameOf(tick: number, lastInputSeq: number, body: Uint8Array): Uint8Array {
  const target = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES + body.length);
  const length = writeSnapshotFrame(target, tick, lastInputSeq, body);
  return target.subarray(0, length);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function expectSameAsWholeMessage(body: Uint8Array, ticks: readonly number[], seqs: readonly number[]): void {
  for (const tick of ticks) {
    for (const lastInputSeq of seqs) {
      const whole = encodeServerMessage(messageOf(tick, lastInputSeq, body));
      expect(toHex(frameOf(tick, lastInputSeq, body)), `tick ${tick}, seq ${lastInputSeq}`).toBe(toHex(whole));
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
      if (entity.id % 10 === 3) next.values = [32767, -32768, 0, 32768, 255, 65535]; // everything sent
      if (entity.id % 10 === 4) next.generation = 2; // the same id, a new life: sent whole
      return next;
    });
  const current = stateOf(1000 + baseAge, [...after, ...entities(20, 1500)]);
  return { baseline, current };
}

describe('writeSnapshotFrame', () => {
  for (const count of [0, 1, 15, 16, 200]) {
    it(`is byte-identical to encodeServerMessage for a full body of ${count} entities at every tick × seq width`, () => {
      const body = bodyOf(undefined, stateOf(70, entities(count)));
      expect(messageOf(0, 0, body).created).toHaveLength(count);
      expectSameAsWholeMessage(body, WIDTH_BOUNDARIES, WIDTH_BOUNDARIES);
    });
  }

  it('is byte-identical for a full body holding every field at its minimum and maximum', () => {
    expectSameAsWholeMessage(bodyOf(undefined, stateOf(70, extremes)), WIDTH_BOUNDARIES, WIDTH_BOUNDARIES);
  });

  it('is byte-identical for a delta body with predicted, changed, removed, created and respawned entities', () => {
    const { baseline, current } = mixedDelta(3);
    const body = bodyOf(baseline, current);
    const message = messageOf(0, 0, body);
    expect(message.baseAge).toBe(3);
    expect(message.created.length).toBe(20 + 20); // 20 new ids, 20 respawned
    expect(message.changed.length).toBeGreaterThan(0);
    expect(message.removed).toHaveLength(20);
    expectSameAsWholeMessage(body, WIDTH_BOUNDARIES, WIDTH_BOUNDARIES);
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
    expect(messageOf(0, 0, body)).toMatchObject({ baseAge: 2, created: [], changed: [], removed: [] });
    expectSameAsWholeMessage(body, WIDTH_BOUNDARIES, WIDTH_BOUNDARIES);
  });

  it.each([1, 127, 128, 255, 256, 65535])('is byte-identical for a delta body of baseAge %d', (baseAge) => {
    const { baseline, current } = mixedDelta(baseAge);
    const body = bodyOf(baseline, current);
    expect(messageOf(0, 0, body).baseAge).toBe(baseAge);
    expectSameAsWholeMessage(body, WIDTH_BOUNDARIES, WIDTH_BOUNDARIES);
  });

  it('is byte-identical for any tick, seq, baseline and current state (property)', () => {
    const tickArbitrary = fc.oneof(fc.constantFrom(...WIDTH_BOUNDARIES), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
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
        tickArbitrary,
        fc.integer({ min: 0, max: 300 }),
        fc.array(slot, { maxLength: 60 }),
        (tick, seq, baseAge, slots) => {
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
          const whole = encodeServerMessage(messageOf(tick, seq, body));
          expect(toHex(frameOf(tick, seq, body))).toBe(toHex(whole));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decodes with decodeServerFrame and @msgpack/msgpack, and applies to the state it was encoded from', () => {
    const { baseline, current } = mixedDelta(3);
    const body = bodyOf(baseline, current);
    const frame = frameOf(current.tick, 300, body);
    const message = messageOf(current.tick, 300, body);
    expect(decodeServerFrame(frame)).toEqual({ ok: true, message });
    expect(decode(frame)).toEqual([
      65,
      current.tick,
      300,
      3,
      message.created.map((entity) => [entity.id, ...ENTITY_FIELDS.map((field) => entity[field.name])]),
      message.changed,
      message.removed,
    ]);
    const decoder = new SnapshotDecoder(MAX_ID, BOUNDS);
    const client = new WorldState(CAPACITY, MAX_ID);
    client.copyFrom(baseline);
    const out = new WorldState(CAPACITY, MAX_ID);
    expect(decoder.apply(client, message, out)).toEqual({ ok: true });
    expect(out.toObject()).toEqual(current.toObject());
  });

  it('writes from offset 0 of a reused, larger buffer, returns the length, and leaves the rest alone', () => {
    const body = bodyOf(undefined, stateOf(9, entities(5)));
    const target = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES + body.length + 50).fill(0xee);
    const length = writeSnapshotFrame(target, 9, 1, body);
    expect(toHex(target.subarray(0, length))).toBe(toHex(encodeServerMessage(messageOf(9, 1, body))));
    expect(target.subarray(length).every((byte) => byte === 0xee)).toBe(true);
  });

  it('needs at most SNAPSHOT_HEADER_MAX_BYTES in front of the body (tick and seq of 2^32 − 1)', () => {
    const body = bodyOf(undefined, stateOf(9, entities(2)));
    expect(frameOf(2 ** 32 - 1, 2 ** 32 - 1, body).length).toBe(SNAPSHOT_HEADER_MAX_BYTES + body.length);
    expect(frameOf(0, 0, body).length).toBe(4 + body.length);
  });

  it('throws RangeError when the target is smaller than SNAPSHOT_HEADER_MAX_BYTES + body, before writing', () => {
    const body = bodyOf(undefined, stateOf(9, entities(3)));
    const target = new Uint8Array(SNAPSHOT_HEADER_MAX_BYTES + body.length - 1).fill(0xee);
    // Even when this frame's own header (4 bytes at tick 0, seq 0) would fit.
    expect(() => writeSnapshotFrame(target, 0, 0, body)).toThrow(RangeError);
    expect(() => writeSnapshotFrame(new Uint8Array(0), 0, 0, new Uint8Array(0))).toThrow(RangeError);
    expect(target.every((byte) => byte === 0xee)).toBe(true);
  });

  it('gives each client its own frame from one shared body, leaving the body untouched', () => {
    const body = bodyOf(undefined, stateOf(10, entities(5)));
    const before = toHex(body);
    const a = frameOf(10, 1, body);
    const b = frameOf(10, 2, body);
    expect(toHex(a)).not.toBe(toHex(b));
    a.fill(0);
    expect(toHex(b.subarray(b.length - body.length))).toBe(before);
    expect(toHex(body)).toBe(before);
  });

  it('keeps a body copied out of the writer intact while the writer encodes later bodies', () => {
    const body = bodyOf(undefined, stateOf(10, entities(50)));
    const before = toHex(body);
    for (let i = 1; i < 500; i++) bodyOf(stateOf(10, entities(i % 7)), stateOf(10 + i, entities(i % 11)));
    expect(toHex(body)).toBe(before);
  });
});
