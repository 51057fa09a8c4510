// Field-spec tests: readFields and writeFields mirror each other, errors name the field's path,
// and the TypeScript types derived from the specs reject a missing or misspelled field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chatFields,
  debugNudgeFields,
  debugStateFields,
  debugStateRequestFields,
  type EntityTuple,
  entityTupleFields,
  type FieldSpec,
  type FieldsObject,
  type HelloMessage,
  helloFields,
  inputFields,
  isFieldError,
  killFields,
  type Pong,
  pingFields,
  playersFields,
  pongFields,
  readFields,
  requiredFieldCount,
  rosterFields,
  type SnapshotMessage,
  serverChatFields,
  shotFields,
  snapshotFields,
  welcomeFields,
  writeFields,
} from '../src/index.js';

const specs = {
  helloFields,
  inputFields,
  debugStateRequestFields,
  pingFields,
  debugNudgeFields,
  welcomeFields,
  snapshotFields,
  entityTupleFields,
  pongFields,
  debugStateFields,
  chatFields,
  playersFields,
  rosterFields,
  serverChatFields,
  shotFields,
  killFields,
} as const;

function fieldArbitrary(field: FieldSpec): fc.Arbitrary<unknown> {
  switch (field.type) {
    case 'uint':
      return fc.integer({ min: field.min ?? 0, max: field.max });
    case 'int':
      return fc.integer({ min: field.min, max: field.max });
    case 'float':
      return fc.double({ min: field.min, max: field.max, noNaN: true });
    case 'string':
      return fc.string({ unit: 'binary', maxLength: field.maxLength }).filter((s) => s.length <= field.maxLength);
    case 'ints':
      return fc.array(fc.integer({ min: field.min, max: field.max }), { maxLength: Math.min(field.maxItems, 40) });
    case 'list':
      return fc.array(recordArbitrary(field.item), { maxLength: Math.min(field.maxItems, 20) });
  }
}

function recordArbitrary(fields: readonly FieldSpec[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(fields.map((field) => [field.name, fieldArbitrary(field)])));
}

const entity: EntityTuple = { id: 3, vx: 107, vy: -75, x: 16384, y: 8000, angle: 224, hp: 100, kind: 0 };
const pong: Pong = { pingId: 12, clientTimeMs: 12345.678, serverReceiveTick: 130.5, serverSendTick: 131.25 };

/** A SNAPSHOT tuple after its id: tick 9, lastInputSeq 4, inputBuffer 1, nothing starved or dropped. */
function snapshotTuple(pongs: unknown, baseAge: number, created: unknown, changed: unknown, removed: unknown) {
  return [65, 9, 4, 1, 0, 0, pongs, baseAge, created, changed, removed, [], [], []];
}

describe('writeFields and readFields', () => {
  for (const [name, fields] of Object.entries(specs)) {
    it(`${name}: readFields(writeFields(object)) gives the object back, -0 included`, () => {
      fc.assert(
        fc.property(recordArbitrary(fields), (object) => {
          const tuple: unknown[] = [];
          writeFields(object as never, fields, tuple);
          expect(tuple).toHaveLength(fields.length);
          expect(readFields(tuple, 0, fields, name)).toEqual(object);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('lays an object out in spec order, whatever its key order', () => {
    const tuple: unknown[] = ['prefix'];
    const shuffled = { kind: 1, hp: 100, angle: 224, y: 8000, x: 16384, vy: -75, vx: 107, id: 3 };
    writeFields(shuffled, entityTupleFields, tuple);
    expect(tuple).toEqual(['prefix', 3, 107, -75, 16384, 8000, 224, 100, 1]);
  });

  it('writes a list field as an array of tuples and an ints field as the flat array it is', () => {
    const tuple: unknown[] = [];
    const snapshot: Omit<SnapshotMessage, 'id'> = {
      tick: 9,
      lastInputSeq: 4,
      inputBuffer: 1,
      starvedInputs: 2,
      droppedInputs: 3,
      pong: [pong],
      baseAge: 1,
      created: [entity],
      changed: [5, 0b000101, -107, 16000],
      removed: [6, 8],
      shots: [{ tick: 9, shooterId: 3, weapon: 1, x0: 16384, y0: 8000, x1: 17000, y1: 8000, hitId: 0 }],
      kills: [{ tick: 9, killerId: 3, victimId: 6, weapon: 0 }],
      deferred: [],
    };
    writeFields(snapshot, snapshotFields, tuple);
    expect(tuple).toEqual([
      9,
      4,
      1,
      2,
      3,
      [[12, 12345.678, 130.5, 131.25]],
      1,
      [[3, 107, -75, 16384, 8000, 224, 100, 0]],
      [5, 5, -107, 16000],
      [6, 8],
      [[9, 3, 1, 16384, 8000, 17000, 8000, 0]],
      [[9, 3, 6, 0]],
      [],
    ]);
  });

  it('writes and reads a message with no fields (DEBUG_STATE_REQUEST) as nothing after the id', () => {
    const tuple: unknown[] = [3];
    writeFields({}, debugStateRequestFields, tuple);
    expect(tuple).toEqual([3]);
    expect(readFields([3], 1, debugStateRequestFields, 'DEBUG_STATE_REQUEST')).toEqual({});
    expect(readFields([3, 0], 1, debugStateRequestFields, 'DEBUG_STATE_REQUEST')).toEqual({
      path: 'DEBUG_STATE_REQUEST',
      problem: 'expected 1 elements, got 2',
    });
  });

  it('reads the fields after `offset` (the message id) and ignores what comes before', () => {
    expect(readFields(snapshotTuple([], 0, [], [], []), 1, snapshotFields, 'SNAPSHOT')).toEqual({
      tick: 9,
      lastInputSeq: 4,
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
  });

  it('reads an ints item of -0 (a float 64 on the wire) as 0', () => {
    const read = readFields(snapshotTuple([], 1, [], [-0, 1, 0], [-0]), 1, snapshotFields, 'SNAPSHOT');
    expect(isFieldError(read)).toBe(false);
    if (isFieldError(read)) return;
    expect(Object.is(read.changed[0], 0)).toBe(true);
    expect(Object.is(read.removed[0], 0)).toBe(true);
  });
});

describe('readFields rejects with the path of the bad field', () => {
  it('names the message for a wrong element count, before reading any element', () => {
    const touched: number[] = [];
    const tuple = new Proxy([1, 2, 'x', 's', 't', 5], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) touched.push(Number(key));
        return Reflect.get(target, key, receiver);
      },
    });
    expect(readFields(tuple, 1, helloFields, 'HELLO')).toEqual({
      path: 'HELLO',
      problem: 'expected 4 to 5 elements, got 6',
    });
    expect(touched).toEqual([]);
  });

  it('names message.field for a bad field', () => {
    expect(readFields([1, 1, 7, ''], 1, helloFields, 'HELLO')).toEqual({ path: 'HELLO.name', problem: 'not a string' });
    expect(readFields([2, 0, 0, 0, 0, 0, 0, 0, 0], 1, inputFields, 'INPUT')).toEqual({
      path: 'INPUT.seq',
      problem: '0 outside [1, 4294967295]',
    });
    expect(readFields([2, 1, 0, -1, 0, 0, 0, 0, 0], 1, inputFields, 'INPUT')).toEqual({
      path: 'INPUT.tick',
      problem: '-1 outside [0, 4294967295]',
    });
    expect(readFields([2, 1, 0, 0, 0, 0, 4, 0, 0], 1, inputFields, 'INPUT')).toEqual({
      path: 'INPUT.buttons',
      problem: '4 outside [0, 3]',
    });
    expect(readFields([2, 1, 0, 0, 0, 0, 0, 0, -0.5], 1, inputFields, 'INPUT')).toEqual({
      path: 'INPUT.viewTick',
      problem: '-0.5 outside [0, 4294967295]',
    });
    expect(readFields([5, 0, 40000], 1, debugNudgeFields, 'DEBUG_NUDGE')).toEqual({
      path: 'DEBUG_NUDGE.dy',
      problem: '40000 outside [-32768, 32767]',
    });
  });

  it('names message.list[index].field for a bad field inside a list item', () => {
    const good = [3, 107, -75, 16384, 8000, 224, 100, 0];
    const bad = [3, 107, -75, 16384, 8000, 224, -1, 0];
    expect(readFields(snapshotTuple([], 0, [good, good, bad], [], []), 1, snapshotFields, 'SNAPSHOT')).toEqual({
      path: 'SNAPSHOT.created[2].hp',
      problem: '-1 outside [0, 65535]',
    });
    expect(readFields(snapshotTuple([[12, 1.5, -0.5, 1]], 1, [], [], []), 1, snapshotFields, 'SNAPSHOT')).toEqual({
      path: 'SNAPSHOT.pong[0].serverReceiveTick',
      problem: '-0.5 outside [0, 4294967295]',
    });
    expect(
      readFields([66, 9, 0, 1, [good, [3, 32768, 0, 0, 0, 0, 0, 0]], []], 1, debugStateFields, 'DEBUG_STATE'),
    ).toEqual({
      path: 'DEBUG_STATE.entities[1].vx',
      problem: '32768 outside [-32768, 32767]',
    });
    expect(readFields([66, 9, 0, 1, [[3, 0, 0, 0, 0, 0, 0, 16]], []], 1, debugStateFields, 'DEBUG_STATE')).toEqual({
      path: 'DEBUG_STATE.entities[0].kind',
      problem: '16 outside [0, 15]',
    });
    const shot = [9, 3, 0, 1, 2, 3, 4, 0];
    expect(
      readFields(
        [65, 9, 4, 1, 0, 0, [], 1, [], [], [], [shot, [...shot.slice(0, 2), 2, ...shot.slice(3)]], [], []],
        1,
        snapshotFields,
        'SNAPSHOT',
      ),
    ).toEqual({
      path: 'SNAPSHOT.shots[1].weapon',
      problem: '2 outside [0, 1]',
    });
  });

  it('names message.list[index] for an item that is not a tuple', () => {
    expect(readFields(snapshotTuple([], 0, [7], [], []), 1, snapshotFields, 'SNAPSHOT')).toEqual({
      path: 'SNAPSHOT.created[0]',
      problem: 'not an array',
    });
    expect(readFields(snapshotTuple([12], 1, [], [], []), 1, snapshotFields, 'SNAPSHOT')).toEqual({
      path: 'SNAPSHOT.pong[0]',
      problem: 'not an array',
    });
  });

  it('names message.list for a list longer than its maxItems (a second pong)', () => {
    const item = [12, 12345.678, 130.5, 131.25];
    expect(readFields(snapshotTuple([item, item], 1, [], [], []), 1, snapshotFields, 'SNAPSHOT')).toEqual({
      path: 'SNAPSHOT.pong',
      problem: 'more than 1 items',
    });
    expect(isFieldError(readFields(snapshotTuple([item], 1, [], [], []), 1, snapshotFields, 'SNAPSHOT'))).toBe(false);
  });

  it('names message.ints for an ints field that is not an array or is too long', () => {
    const at = (changed: unknown) => readFields(snapshotTuple([], 1, [], changed, []), 1, snapshotFields, 'SNAPSHOT');
    expect(at(5)).toEqual({ path: 'SNAPSHOT.changed', problem: 'not an array' });
    expect(at({ 0: 5 })).toEqual({ path: 'SNAPSHOT.changed', problem: 'not an array' });
    expect(at(new Array(9217).fill(0))).toEqual({ path: 'SNAPSHOT.changed', problem: 'more than 9216 items' });
    expect(isFieldError(at(new Array(9216).fill(0)))).toBe(false);
  });

  it('names message.ints[index] for a bad item, telling non-integers and out-of-range integers apart', () => {
    const at = (removed: unknown[]) => readFields(snapshotTuple([], 1, [], [], removed), 1, snapshotFields, 'SNAPSHOT');
    expect(at([1, 2, 2.5])).toEqual({ path: 'SNAPSHOT.removed[2]', problem: 'not an integer' });
    expect(at([1, Number.NaN])).toEqual({ path: 'SNAPSHOT.removed[1]', problem: 'not an integer' });
    expect(at([Number.POSITIVE_INFINITY])).toEqual({ path: 'SNAPSHOT.removed[0]', problem: 'not an integer' });
    expect(at(['1'])).toEqual({ path: 'SNAPSHOT.removed[0]', problem: 'not an integer' });
    expect(at([[1]])).toEqual({ path: 'SNAPSHOT.removed[0]', problem: 'not an integer' });
    expect(at([null])).toEqual({ path: 'SNAPSHOT.removed[0]', problem: 'not an integer' });
    expect(at([0, -1])).toEqual({ path: 'SNAPSHOT.removed[1]', problem: '-1 outside [0, 65535]' });
    expect(at([65536])).toEqual({ path: 'SNAPSHOT.removed[0]', problem: '65536 outside [0, 65535]' });
    expect(isFieldError(at([0, 65535]))).toBe(false);
  });

  it('tells NaN, ±Infinity and non-numbers apart in a float field', () => {
    const at = (moveX: unknown) => readFields([2, 1, 0, 0, moveX, 0, 0, 0, 0], 1, inputFields, 'INPUT');
    expect(at(Number.NaN)).toEqual({ path: 'INPUT.moveX', problem: 'not finite' });
    expect(at(Number.POSITIVE_INFINITY)).toEqual({ path: 'INPUT.moveX', problem: 'not finite' });
    expect(at(Number.NEGATIVE_INFINITY)).toEqual({ path: 'INPUT.moveX', problem: 'not finite' });
    expect(at('0')).toEqual({ path: 'INPUT.moveX', problem: 'not a number' });
    expect(at(1.5)).toEqual({ path: 'INPUT.moveX', problem: '1.5 outside [-1, 1]' });
  });

  it('counts a string in UTF-16 code units (an emoji is two)', () => {
    expect(isFieldError(readFields(['🙂'.repeat(8)], 0, [helloFields[1]], 'HELLO'))).toBe(false);
    expect(readFields([`${'🙂'.repeat(8)}x`], 0, [helloFields[1]], 'HELLO')).toEqual({
      path: 'HELLO.name',
      problem: 'longer than 16',
    });
  });
});

describe('isFieldError', () => {
  it('recognizes a FieldError and nothing else', () => {
    expect(isFieldError({ path: 'a', problem: 'b' })).toBe(true);
    expect(isFieldError({ protocolVersion: 1, name: 'path' })).toBe(false);
    expect(isFieldError(null)).toBe(false);
    expect(isFieldError('problem')).toBe(false);
  });
});

describe('types derived from the specs', () => {
  it('require every field with its type (checked by tsc)', () => {
    const hello: HelloMessage = { id: 1, protocolVersion: 1, name: 'bot', seat: '' };
    // @ts-expect-error a missing field is a type error
    const missing: FieldsObject<typeof helloFields> = { protocolVersion: 1 };
    // @ts-expect-error a field of the wrong type is a type error
    const wrongType: FieldsObject<typeof helloFields> = { protocolVersion: '1', name: 'bot' };
    // @ts-expect-error a list item missing a field is a type error
    const tuple: EntityTuple = { id: 1, vx: 0, vy: 0, x: 0, y: 0, angle: 0, hp: 100 };
    // @ts-expect-error an ints field holds numbers, not tuples
    const nested: Pick<SnapshotMessage, 'changed'> = { changed: [[1, 2]] };
    // @ts-expect-error a pong is a list of pong objects, not one pong
    const onePong: Pick<SnapshotMessage, 'pong'> = { pong };
    expect([hello, missing, wrongType, tuple, nested, onePong]).toHaveLength(6);
  });
});

describe('optional trailing fields (HELLO.resumeToken)', () => {
  it('reads a tuple that leaves the optional field off, the field as empty', () => {
    expect(readFields([1, 8, 'ann', 'seat'], 1, helloFields, 'HELLO')).toEqual({
      protocolVersion: 8,
      name: 'ann',
      seat: 'seat',
      resumeToken: '',
    });
  });

  it('reads the optional field when present, with its own checks', () => {
    expect(readFields([1, 8, 'ann', '', 'token'], 1, helloFields, 'HELLO')).toMatchObject({ resumeToken: 'token' });
    expect(readFields([1, 8, 'ann', '', 7], 1, helloFields, 'HELLO')).toEqual({
      path: 'HELLO.resumeToken',
      problem: 'not a string',
    });
  });

  it('writes a tuple without the optional field when it is left out, and with it when given', () => {
    const without: unknown[] = [];
    writeFields({ protocolVersion: 8, name: 'ann', seat: 's' }, helloFields, without);
    expect(without).toEqual([8, 'ann', 's']);
    const withToken: unknown[] = [];
    writeFields({ protocolVersion: 8, name: 'ann', seat: '', resumeToken: 't' }, helloFields, withToken);
    expect(withToken).toEqual([8, 'ann', '', 't']);
  });

  it('counts only the fields before the optional tail as required', () => {
    expect(requiredFieldCount(helloFields)).toBe(3);
    expect(requiredFieldCount([])).toBe(0);
  });
});
