/// <reference types="vite/client" />
// PROTOCOL.md drift test: the doc's tables must say what protocol/src says, so a protocol change
// without its doc change fails here. The field tables (messages, entity and pong tuples) are rendered
// from the specs and compared, the delta snapshot worked example is run through the real encoder and
// decoder, and the clock sync example is recomputed from its four times.
import { decodeMulti, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import doc from '../../PROTOCOL.md?raw';
import {
  ANGLE_STEPS,
  ARENA_INPUT_INTERVAL_MS,
  ARENA_RULES,
  CHAT_BURST,
  CHAT_REFILL_MS,
  ClientMessageId,
  CloseCode,
  clientMessageFields,
  decodeClientFrame,
  decodeServerFrame,
  ENTITY_FIELDS,
  FIELD_COUNT,
  type FieldSpec,
  HIT_RADIUS,
  isClientMessageId,
  MsgpackWriter,
  messageIdName,
  newSnapshotHeaderState,
  POSITION_SCALE,
  PRIMARY_WEAPON,
  PROTOCOL_VERSION,
  RESPAWN_DELAY_MS,
  SECONDARY_WEAPON,
  ServerMessageId,
  SNAPSHOT_HEAD_ALL,
  SnapshotDecoder,
  SnapshotEncoder,
  SnapshotHeadBit,
  type SnapshotMessage,
  START_HP,
  serverMessageFields,
  step,
  ticksOf,
  WorldState,
} from '../src/index.js';

const lines = doc.split('\n');

/** The rows of the first table after the line `heading`, as trimmed cells, header rows dropped. */
function tableAfter(heading: string): string[][] {
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`PROTOCOL.md has no line "${heading}"`);
  let i = start + 1;
  while (i < lines.length && !lines[i]!.startsWith('|')) {
    if (lines[i]!.startsWith('#')) throw new Error(`no table under "${heading}"`);
    i++;
  }
  const rows: string[][] = [];
  for (; i < lines.length && lines[i]!.startsWith('|'); i++) {
    rows.push(
      lines[i]!.slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(2);
}

/** The first non-empty line after `heading`. */
function lineAfter(heading: string): string | undefined {
  const start = lines.indexOf(heading);
  return start < 0 ? undefined : lines.slice(start + 1).find((line) => line.trim() !== '');
}

function unquote(cell: string): string {
  return cell.replace(/^`(.*)`$/, '$1');
}

// ── How a field spec is written in the doc ──

function typeCell(field: FieldSpec): string {
  switch (field.type) {
    case 'uint':
    case 'int':
      return 'int';
    case 'float':
      return 'float 64';
    case 'string':
      return 'str';
    case 'ints':
    case 'list':
      return 'array';
  }
}

function rangeCell(field: FieldSpec): string {
  switch (field.type) {
    case 'uint':
      return `${field.min ?? 0} … ${field.max}`;
    case 'int':
    case 'float':
      return `${field.min} … ${field.max}`;
    case 'string':
      return `≤ ${field.maxLength} UTF-16 code units`;
    case 'ints':
      return `≤ ${field.maxItems} integers, each ${field.min} … ${field.max}`;
    case 'list':
      return `≤ ${field.maxItems} tuples`;
  }
}

/** Every column but "unit", which the specs do not carry and the doc adds by hand. */
function expectedRows(fields: readonly FieldSpec[], firstPosition: number): string[][] {
  return fields.map((field, i) => [
    String(firstPosition + i),
    `\`${field.name}\``,
    typeCell(field),
    rangeCell(field),
    field.doc,
  ]);
}

function withoutUnit(rows: string[][]): string[][] {
  return rows.map(([position, name, type, range, , meaning]) => [position!, name!, type!, range!, meaning!]);
}

const messages = [
  ...Object.entries(clientMessageFields).map(([id, fields]) => ({
    id: Number(id),
    direction: 'client → server',
    fields: fields as readonly FieldSpec[],
  })),
  ...Object.entries(serverMessageFields).map(([id, fields]) => ({
    id: Number(id),
    direction: 'server → client',
    fields: fields as readonly FieldSpec[],
  })),
].map((message) => ({ ...message, name: messageIdName(message.id) }));

describe('PROTOCOL.md', () => {
  it('states the PROTOCOL_VERSION of version.ts', () => {
    const stated = [...doc.matchAll(/`PROTOCOL_VERSION = (\d+)`/g)].map((match) => Number(match[1]));
    expect(stated.length).toBeGreaterThan(0);
    for (const version of stated) expect(version).toBe(PROTOCOL_VERSION);
  });

  it('lists every message id of messageIds.ts, and no other, with its name and direction', () => {
    const rows = tableAfter('## Message ids').map(([id, name, direction]) => [Number(id), unquote(name!), direction]);
    const expected = [
      ...Object.entries(ClientMessageId).map(([name, id]) => [id, name, 'client → server']),
      ...Object.entries(ServerMessageId).map(([name, id]) => [id, name, 'server → client']),
    ];
    expect(rows).toEqual(expected);
  });

  for (const { id, name, direction, fields } of messages) {
    const heading = `### ${name} — id ${id}, ${direction}`;

    it(`documents ${name}'s array layout under "${heading}"`, () => {
      expect(lineAfter(heading)).toBe(`\`[${[id, ...fields.map((field) => field.name)].join(', ')}]\``);
    });

    if (fields.length === 0) {
      it(`documents ${name} as having no fields (no field table in its section)`, () => {
        expect(() => tableAfter(heading)).toThrow('no table');
      });
    } else {
      it(`documents every field of ${name} in order, with the spec's type, range and doc text`, () => {
        const rows = tableAfter(heading);
        expect(withoutUnit(rows)).toEqual(expectedRows(fields, 1));
        for (const row of rows) expect(row[4], `unit of ${row[1]}`).not.toBe('');
      });
    }

    for (const field of fields) {
      if (field.type !== 'list') continue;
      // One tuple table may serve several lists: "### Entity tuple (each item of SNAPSHOT `created`, …)".
      const itemHeading = lines.find((line) => {
        const lists = /^### .*\(each item of (.+)\)$/.exec(line)?.[1]?.split(', ');
        return lists?.includes(`${name} \`${field.name}\``) ?? false;
      });

      it(`documents the item tuple of ${name}.${field.name}, field by field from position 0`, () => {
        expect(itemHeading, `a "### … (each item of …, ${name} \`${field.name}\`)" heading`).toBeDefined();
        expect(lineAfter(itemHeading!)).toBe(`\`[${field.item.map((item) => item.name).join(', ')}]\``);
        const rows = tableAfter(itemHeading!);
        expect(withoutUnit(rows)).toEqual(expectedRows(field.item, 0));
        for (const row of rows) expect(row[4], `unit of ${row[1]}`).not.toBe('');
      });
    }
  }

  it('documents every list of tuples (SNAPSHOT created and pong, DEBUG_STATE entities) under one tuple heading', () => {
    const lists = messages.flatMap(({ name, fields }) =>
      fields.filter((field) => field.type === 'list').map((field) => `${name} \`${field.name}\``),
    );
    expect(lists).toEqual([
      'SNAPSHOT `pong`',
      'SNAPSHOT `created`',
      'SNAPSHOT `shots`',
      'SNAPSHOT `kills`',
      'DEBUG_STATE `entities`',
      'PLAYERS `players`',
      'ROSTER_CHANGES `joined`',
      'ROSTER_CHANGES `renamed`',
      'ROSTER_CHANGES `scores`',
    ]);
    const headed = lines.flatMap((line) => /^### .*\(each item of (.+)\)$/.exec(line)?.[1]?.split(', ') ?? []);
    expect(headed.sort()).toEqual([...lists].sort());
  });

  it('names the messages each close code row refuses: PING, CHAT and DEBUG_NUDGE before WELCOME, debug ones without the flag', () => {
    const row = tableAfter('## Close codes').find(([code]) => Number(code) === CloseCode.UNEXPECTED_MESSAGE)!;
    for (const name of [
      'INPUT',
      'ACK',
      'PING',
      'CHAT',
      'DEBUG_STATE_REQUEST',
      'DEBUG_NUDGE',
      'HELLO',
      '--debug-state true',
    ]) {
      expect(row[2], name).toContain(name);
    }
  });

  it('gives a clock sync example whose round trips and offsets follow the formulas at 30 ticks per second', () => {
    const period = 1000 / 30;
    expect(doc).toContain(`(\`P = ${period.toFixed(1)} ms\`)`);
    const rows = tableAfter('### Clock sync example');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const samples = rows.map((cells) => {
      const [pingId, t0, r, s, t3, rtt, offset] = cells.map(Number) as [number, ...number[]];
      // NTP on the tick clock: the time the server held the PING is (s − r) periods.
      const expectedRtt = t3! - t0! - (s! - r!) * period;
      const expectedOffset = (r! + s!) / 2 - (t0! + t3!) / (2 * period);
      expect(rtt, `round trip of ping ${pingId}`).toBeCloseTo(expectedRtt, 6);
      expect(offset, `offset of ping ${pingId}`).toBeCloseTo(expectedOffset, 6);
      expect(s, `ping ${pingId}: sent after received`).toBeGreaterThanOrEqual(r!);
      return { rtt: rtt!, offset: offset! };
    });
    // The text says the true offset is 30 ticks: the lowest round trip finds it, the highest does not.
    const byRtt = [...samples].sort((a, b) => a.rtt - b.rtt);
    expect(byRtt[0]!.offset).toBeCloseTo(30, 6);
    expect(Math.abs(byRtt.at(-1)!.offset - 30)).toBeGreaterThan(0.5);
  });

  it('states the weapons, hit radius, health, respawn delay and chat limits of weapons.ts and chat.ts', () => {
    const [primary, secondary] = tableAfter('### Weapons');
    expect(primary!.slice(1, 5)).toEqual([
      '0',
      'bit 0',
      String(PRIMARY_WEAPON.damage),
      `${PRIMARY_WEAPON.cooldownMs} ms`,
    ]);
    expect(primary![5]).toContain(`${PRIMARY_WEAPON.rangeUnits} units`);
    expect(secondary!.slice(1, 5)).toEqual([
      '1',
      'bit 1',
      String(SECONDARY_WEAPON.damage),
      `${SECONDARY_WEAPON.cooldownMs} ms`,
    ]);
    expect(secondary![5]).toBe(
      `${SECONDARY_WEAPON.speedUnitsPerSecond} units per second for ${SECONDARY_WEAPON.lifetimeMs} ms, radius ${SECONDARY_WEAPON.radiusUnits} units, not rewound`,
    );
    expect(doc).toContain(`radius ${HIT_RADIUS} units (\`HIT_RADIUS\`)`);
    expect(doc).toContain(`\`hp\` ${START_HP} (\`START_HP\`)`);
    expect(doc).toContain(
      `${RESPAWN_DELAY_MS} ms later (\`RESPAWN_DELAY_MS\`, ${ticksOf(RESPAWN_DELAY_MS, 30)} ticks at 30 Hz)`,
    );
    expect(doc).toContain(
      `${ticksOf(PRIMARY_WEAPON.cooldownMs, 30)} and ${ticksOf(SECONDARY_WEAPON.cooldownMs, 30)} ticks at 30 Hz`,
    );
    const range = (SECONDARY_WEAPON.speedUnitsPerSecond * SECONDARY_WEAPON.lifetimeMs) / 1000;
    expect(doc).toContain(`or its range, ${range} units`);
    expect(doc).toContain(`Each player may send ${CHAT_BURST} lines at once, then one more every ${CHAT_REFILL_MS} ms`);
  });

  it("states the arena bots' fixed input interval of arena.ts", () => {
    expect(doc).toContain(`fixed ${ARENA_INPUT_INTERVAL_MS} ms schedule (\`ARENA_INPUT_INTERVAL_MS\`)`);
  });

  it('lists every close code of closeCodes.ts, and no other, with its name and when it is sent', () => {
    const rows = tableAfter('## Close codes');
    expect(rows.map(([code, name]) => [Number(code), unquote(name!)])).toEqual(
      Object.entries(CloseCode).map(([name, code]) => [code, name]),
    );
    for (const row of rows) expect(row[2], `meaning of ${row[1]}`).not.toBe('');
  });

  it('gives example frames whose bytes an independent encoder reproduces and our decoders accept', () => {
    const rows = tableAfter('## Example frames');
    expect(rows.length).toBeGreaterThanOrEqual(messages.length);
    const shown = new Set<number>();
    for (const [label, array, bytes] of rows) {
      const value = JSON.parse(unquote(array!)) as [number, ...unknown[]];
      const hex = Array.from(encode(value), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
      expect(hex, label).toBe(unquote(bytes!));
      const frame = encode(value);
      // A SNAPSHOT row as the first frame a connection reads: its header's absent values are 0.
      const decoded = isClientMessageId(value[0])
        ? decodeClientFrame(frame)
        : decodeServerFrame(frame, newSnapshotHeaderState());
      expect(decoded.ok, label).toBe(true);
      expect(label!.startsWith(messageIdName(value[0])), label).toBe(true);
      shown.add(value[0]);
    }
    expect([...shown].sort((a, b) => a - b)).toEqual(messages.map((message) => message.id).sort((a, b) => a - b));
  });

  it('states the grids of quantize.ts and the speeds step() gives at the arena rules', () => {
    expect(doc).toContain(`\`POSITION_SCALE = ${POSITION_SCALE}\``);
    expect(doc).toContain(`\`ANGLE_STEPS = ${ANGLE_STEPS}\``);
    const dt = 1 / 30;
    const q = ARENA_RULES.speed * dt * POSITION_SCALE;
    const at = { x: 16384, y: 16384, vx: 0, vy: 0, angle: 0 };
    const straight = step(at, { moveX: 1, moveY: 0 }, dt, ARENA_RULES).vx;
    const diagonal = step(at, { moveX: Math.SQRT1_2, moveY: Math.SQRT1_2 }, dt, ARENA_RULES).vx;
    expect(doc).toContain(`q = ${q.toFixed(2)}`);
    expect(doc).toContain(`round(${q.toFixed(2)}) = ${straight}`);
    expect(doc).toContain(`round(${(q * Math.SQRT1_2).toFixed(2)}) = ${diagonal}`);
  });

  it("lists SNAPSHOT's head bits in SnapshotHeadBit order, each with its mask value and element", () => {
    const rows = tableAfter('### SNAPSHOT header');
    const elements = [
      '`tick`',
      'seq advance',
      '`inputBuffer`',
      'starved advance',
      'dropped advance',
      '`pong`',
      '`deferred`',
    ];
    expect(rows.map(([bit, mask, element]) => [Number(bit), Number(mask), element])).toEqual(
      Object.values(SnapshotHeadBit).map((mask, i) => [Math.log2(mask), mask, elements[i]]),
    );
    expect(Object.values(SnapshotHeadBit).reduce((all, mask) => all | mask, 0)).toBe(SNAPSHOT_HEAD_ALL);
  });

  it('lists every entity field in ENTITY_FIELDS order with its change-mask bit and tuple position', () => {
    const rows = tableAfter('### Field order and change mask');
    expect(rows.map(([bit, mask, name, position]) => [bit, mask, name, position])).toEqual(
      ENTITY_FIELDS.map((field, f) => [String(f), String(1 << f), `\`${field.name}\``, String(1 + f)]),
    );
    for (const row of rows) expect(row[4], `prediction of ${row[2]}`).not.toBe('');
  });

  it('gives a worked example whose bodies SnapshotEncoder sends and whose results SnapshotDecoder computes', () => {
    const rows = tableAfter('### Worked example');
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const bounds = { maxX: ARENA_RULES.width * POSITION_SCALE, maxY: ARENA_RULES.height * POSITION_SCALE };
    const encoder = new SnapshotEncoder(4, bounds);
    const decoder = new SnapshotDecoder(16, bounds);
    const writer = new MsgpackWriter();
    let baseline: WorldState | undefined; // the last state the server sent
    let client: WorldState | undefined; // the last state the client applied
    let deltas = 0;
    for (const [tickCell, serverCell, sentCell, clientCell] of rows) {
      const tick = Number(tickCell);
      const server = JSON.parse(unquote(serverCell!)) as number[];
      expect(server, `tick ${tick}`).toHaveLength(FIELD_COUNT);
      const current = new WorldState(4, 16);
      current.reset(tick);
      current.values.set(server, current.add(7, 1) * FIELD_COUNT);
      if (!sentCell!.startsWith('`')) {
        expect(sentCell, `tick ${tick}`).toMatch(/^— \(skipped/);
        continue;
      }
      encoder.encode(baseline, current, writer);
      const [baseAge, created, changed, removed, ...events] = [...decodeMulti(writer.toBytes())] as [
        number,
        number[][],
        number[],
        number[],
        ...unknown[],
      ];
      // Nobody fires in the example: shots and kills are empty, and the table shows the entity part.
      expect(events, `tick ${tick}: shots and kills`).toEqual([[], []]);
      const body = [baseAge, created, changed, removed];
      expect(body, `tick ${tick}: what the server sends`).toEqual(JSON.parse(unquote(sentCell!)));
      const snapshot: Pick<SnapshotMessage, 'tick' | 'baseAge' | 'created' | 'changed' | 'removed'> = {
        tick,
        baseAge,
        created: created.map(([id, vx, vy, x, y, angle, hp, kind]) => ({
          id: id!,
          vx: vx!,
          vy: vy!,
          x: x!,
          y: y!,
          angle: angle!,
          hp: hp!,
          kind: kind!,
        })),
        changed,
        removed,
      };
      const out = new WorldState(4, 16);
      expect(decoder.apply(client, snapshot, out), `tick ${tick}`).toEqual({ ok: true });
      expect(
        ENTITY_FIELDS.map((field) => out.entity(7)![field.name]),
        `tick ${tick}: what the client computes`,
      ).toEqual(JSON.parse(unquote(clientCell!)));
      expect(out.entity(7)).toEqual(current.entity(7));
      if (baseAge > 0) deltas++;
      baseline = current;
      client = out;
    }
    expect(deltas).toBeGreaterThanOrEqual(4);
  });
});
