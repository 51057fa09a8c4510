// Field-spec tests: readFields and writeFields mirror each other, errors name the field's path,
// and the TypeScript types derived from the specs reject a missing or misspelled field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FieldSpec,
  type FieldsObject,
  type HelloMessage,
  helloFields,
  inputFields,
  isFieldError,
  readFields,
  type SnapshotPlayer,
  snapshotFields,
  snapshotPlayerFields,
  welcomeFields,
  writeFields,
} from '../src/index.js';

const specs = { helloFields, inputFields, welcomeFields, snapshotFields, snapshotPlayerFields } as const;

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
    case 'list':
      return fc.array(recordArbitrary(field.item), { maxLength: 20 });
  }
}

function recordArbitrary(fields: readonly FieldSpec[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(fields.map((field) => [field.name, fieldArbitrary(field)])));
}

const player: SnapshotPlayer = { id: 3, x: 16384, y: 8000, vx: 107, vy: -75, angle: 224, hp: 100 };

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
    const shuffled = { hp: 100, angle: 224, vy: -75, vx: 107, y: 8000, x: 16384, id: 3 };
    writeFields(shuffled, snapshotPlayerFields, tuple);
    expect(tuple).toEqual(['prefix', 3, 16384, 8000, 107, -75, 224, 100]);
  });

  it('writes a list field as an array of tuples', () => {
    const tuple: unknown[] = [];
    writeFields({ tick: 9, lastInputSeq: 4, players: [player] }, snapshotFields, tuple);
    expect(tuple).toEqual([9, 4, [[3, 16384, 8000, 107, -75, 224, 100]]]);
  });

  it('reads the fields after `offset` (the message id) and ignores what comes before', () => {
    expect(readFields([65, 9, 4, []], 1, snapshotFields, 'SNAPSHOT')).toEqual({
      tick: 9,
      lastInputSeq: 4,
      players: [],
    });
  });
});

describe('readFields rejects with the path of the bad field', () => {
  it('names the message for a wrong element count, before reading any element', () => {
    const touched: number[] = [];
    const tuple = new Proxy([1, 2, 'x', 4], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) touched.push(Number(key));
        return Reflect.get(target, key, receiver);
      },
    });
    expect(readFields(tuple, 1, helloFields, 'HELLO')).toEqual({
      path: 'HELLO',
      problem: 'expected 3 elements, got 4',
    });
    expect(touched).toEqual([]);
  });

  it('names message.field for a bad field', () => {
    expect(readFields([1, 1, 7], 1, helloFields, 'HELLO')).toEqual({ path: 'HELLO.name', problem: 'not a string' });
    expect(readFields([2, 0, 0, 0, 0, 0], 1, inputFields, 'INPUT')).toEqual({
      path: 'INPUT.seq',
      problem: '0 outside [1, 4294967295]',
    });
  });

  it('names message.list[index].field for a bad field inside a list item', () => {
    const good = [3, 16384, 8000, 107, -75, 224, 100];
    const bad = [3, 16384, 8000, 107, -75, 224, -1];
    expect(readFields([65, 9, 4, [good, good, bad]], 1, snapshotFields, 'SNAPSHOT')).toEqual({
      path: 'SNAPSHOT.players[2].hp',
      problem: '-1 outside [0, 65535]',
    });
  });

  it('names message.list[index] for an item that is not a tuple', () => {
    expect(readFields([65, 9, 4, [7]], 1, snapshotFields, 'SNAPSHOT')).toEqual({
      path: 'SNAPSHOT.players[0]',
      problem: 'not an array',
    });
  });

  it('tells NaN, ±Infinity and non-numbers apart in a float field', () => {
    const at = (moveX: unknown) => readFields([2, 1, 0, moveX, 0, 0], 1, inputFields, 'INPUT');
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
    const hello: HelloMessage = { id: 1, protocolVersion: 1, name: 'bot' };
    // @ts-expect-error a missing field is a type error
    const missing: FieldsObject<typeof helloFields> = { protocolVersion: 1 };
    // @ts-expect-error a field of the wrong type is a type error
    const wrongType: FieldsObject<typeof helloFields> = { protocolVersion: '1', name: 'bot' };
    // @ts-expect-error a list item missing a field is a type error
    const player: SnapshotPlayer = { id: 1, x: 0, y: 0, vx: 0, vy: 0, angle: 0 };
    expect([hello, missing, wrongType, player]).toHaveLength(4);
  });
});
