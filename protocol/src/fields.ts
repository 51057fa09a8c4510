// Field specs: the one description of each message's fields, in wire order. Read per message
// by the encoder, the validator and PROTOCOL.md's drift test; TypeScript types derive from it.

/** A non-negative integer in [0, max]. */
export interface UintField<N extends string = string> {
  readonly name: N;
  readonly type: 'uint';
  readonly max: number;
  readonly min?: number;
  readonly doc: string;
}
/** A signed integer in [min, max]. */
export interface IntField<N extends string = string> {
  readonly name: N;
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
  readonly doc: string;
}
/** A finite float in [min, max] (MessagePack float 64 or float 32, or an integer). */
export interface FloatField<N extends string = string> {
  readonly name: N;
  readonly type: 'float';
  readonly min: number;
  readonly max: number;
  readonly doc: string;
}
/**
 * A UTF-8 string of at most maxLength UTF-16 code units. `optional`: the message's last fields may
 * be left off the tuple (an older sender's shape); a field left off reads as ''. Only trailing
 * fields may be optional, so a tuple's length still says which fields it carries.
 */
export interface StringField<N extends string = string> {
  readonly name: N;
  readonly type: 'string';
  readonly maxLength: number;
  readonly optional?: true;
  readonly doc: string;
}
/** An array of at most maxItems tuples, each laid out as `item`. */
export interface ListField<N extends string = string, I extends readonly FieldSpec[] = readonly FieldSpec[]> {
  readonly name: N;
  readonly type: 'list';
  readonly maxItems: number;
  readonly item: I;
  readonly doc: string;
}
/** A flat array of at most maxItems integers, each in [min, max]; its meaning is the message's. */
export interface IntsField<N extends string = string> {
  readonly name: N;
  readonly type: 'ints';
  readonly maxItems: number;
  readonly min: number;
  readonly max: number;
  readonly doc: string;
}
export type FieldSpec = UintField | IntField | FloatField | StringField | ListField | IntsField;

/** The decoded value of one field. */
export type FieldValue<F> = F extends { type: 'uint' | 'int' | 'float' }
  ? number
  : F extends { type: 'string' }
    ? string
    : F extends { type: 'ints' }
      ? number[]
      : F extends { type: 'list'; item: infer I extends readonly FieldSpec[] }
        ? FieldsObject<I>[]
        : never;

/** An object with one property per field of a spec list; an optional field's may be left out. */
export type FieldsObject<Fs extends readonly FieldSpec[]> = {
  [F in Fs[number] as F extends { optional: true } ? never : F['name']]: FieldValue<F>;
} & {
  [F in Fs[number] as F extends { optional: true } ? F['name'] : never]?: FieldValue<F>;
};

/** Fields a tuple must carry: all but the trailing optional ones. */
export function requiredFieldCount(fields: readonly FieldSpec[]): number {
  let count = fields.length;
  while (count > 0 && isOptional(fields[count - 1]!)) count--;
  return count;
}

function isOptional(field: FieldSpec): boolean {
  return field.type === 'string' && field.optional === true;
}

/** A rejected field: which path, and why, for the close reason and the logs. */
export interface FieldError {
  path: string;
  problem: string;
}

/**
 * Check an untrusted decoded tuple against `fields` and build the typed object, into `out` when
 * given (the codec passes { id }, so a message is one object, not a copy of one).
 * Returns a FieldError instead of throwing; never reads past the tuple's length.
 */
export function readFields<Fs extends readonly FieldSpec[]>(
  values: readonly unknown[],
  offset: number,
  fields: Fs,
  path: string,
  out: Record<string, unknown> = {},
): FieldsObject<Fs> | FieldError {
  if (values.length !== offset + fields.length) {
    const required = requiredFieldCount(fields);
    if (values.length < offset + required || values.length > offset + fields.length) {
      const expected =
        required === fields.length ? `${offset + required}` : `${offset + required} to ${offset + fields.length}`;
      return { path, problem: `expected ${expected} elements, got ${values.length}` };
    }
  }
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    // A trailing optional field left off (the length check above allows only those) reads as ''.
    if (offset + i >= values.length) {
      out[field.name] = '';
      continue;
    }
    const read = readField(values[offset + i], field);
    // Paths are built only on error: this runs per field of every frame.
    if (isFieldError(read)) return { path: `${path}.${field.name}${read.path}`, problem: read.problem };
    out[field.name] = read;
  }
  return out as FieldsObject<Fs>;
}

/** One field's value, or a FieldError whose path is relative to the field ('' or '[i]…'). */
function readField(value: unknown, field: FieldSpec): unknown {
  switch (field.type) {
    case 'uint':
    case 'int': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return { path: '', problem: 'not an integer' };
      const min = field.min ?? 0;
      if (value < min || value > field.max) return { path: '', problem: `${value} outside [${min}, ${field.max}]` };
      return value + 0; // a float -0.0 on the wire becomes 0
    }
    case 'float': {
      if (typeof value !== 'number') return { path: '', problem: 'not a number' };
      if (!Number.isFinite(value)) return { path: '', problem: 'not finite' };
      if (value < field.min || value > field.max) {
        return { path: '', problem: `${value} outside [${field.min}, ${field.max}]` };
      }
      return value;
    }
    case 'string': {
      if (typeof value !== 'string') return { path: '', problem: 'not a string' };
      if (value.length > field.maxLength) return { path: '', problem: `longer than ${field.maxLength}` };
      return value;
    }
    case 'ints': {
      if (!Array.isArray(value)) return { path: '', problem: 'not an array' };
      if (value.length > field.maxItems) return { path: '', problem: `more than ${field.maxItems} items` };
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item !== 'number' || !Number.isInteger(item)) return { path: `[${i}]`, problem: 'not an integer' };
        if (item < field.min || item > field.max) {
          return { path: `[${i}]`, problem: `${item} outside [${field.min}, ${field.max}]` };
        }
        if (Object.is(item, -0)) value[i] = 0;
      }
      return value;
    }
    case 'list': {
      if (!Array.isArray(value)) return { path: '', problem: 'not an array' };
      if (value.length > field.maxItems) return { path: '', problem: `more than ${field.maxItems} items` };
      const items: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (!Array.isArray(item)) return { path: `[${i}]`, problem: 'not an array' };
        const read = readFields(item, 0, field.item, `[${i}]`);
        if (isFieldError(read)) return read;
        items[i] = read;
      }
      return items;
    }
  }
}

export function isFieldError(value: unknown): value is FieldError {
  return typeof value === 'object' && value !== null && 'problem' in value && 'path' in value;
}

/** Lay an object out as a tuple in field order (the encoder's mirror of readFields). */
export function writeFields<Fs extends readonly FieldSpec[]>(
  object: FieldsObject<Fs>,
  fields: Fs,
  out: unknown[],
): void {
  const source = object as Record<string, unknown>;
  for (const field of fields) {
    const value = source[field.name];
    // An optional field left out ends the tuple: only trailing fields are optional.
    if (value === undefined && isOptional(field)) return;
    if (field.type === 'list') {
      const items = value as Record<string, unknown>[];
      const tuples: unknown[][] = new Array(items.length);
      for (let i = 0; i < items.length; i++) {
        const tuple: unknown[] = [];
        writeFields(items[i] as never, field.item, tuple);
        tuples[i] = tuple;
      }
      out.push(tuples);
    } else {
      out.push(value);
    }
  }
}
