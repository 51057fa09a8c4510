// The SNAPSHOT header of protocol 9 over a connection's life: a chain of frames, written with what
// the server last sent and read with what the client last read, gives back every message; an
// independent MessagePack library sees exactly the elements PROTOCOL.md lists; a malformed header is
// 4002 with its path and leaves the reader's state alone; the load generators' tick peek agrees.
import { decode, encode as encodeMsgpack } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  decodeServerFrame,
  encodeSnapshotMessage,
  newSnapshotHeaderState,
  type Pong,
  peekSnapshotTick,
  ServerMessageId,
  type SnapshotHeaderState,
  type SnapshotMessage,
} from '../src/index.js';

const UINT32_MAX = 2 ** 32 - 1;
/** The longest chain the property builds. */
const MAX_STEPS = 12;

/** One step of a connection: what changed since the previous SNAPSHOT. */
interface Step {
  /** 0: a full snapshot (the first always is); otherwise ticks since the previous one. */
  baseAge: number;
  seqAdvance: number;
  inputBuffer: number;
  starvedAdvance: number;
  droppedAdvance: number;
  pong: Pong | undefined;
  removed: number[];
}

const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  baseAge: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 65535 })),
  seqAdvance: fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 70000 })),
  inputBuffer: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 65535 })),
  starvedAdvance: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
  droppedAdvance: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
  pong: fc.option(
    fc.record({
      pingId: fc.integer({ min: 0, max: UINT32_MAX }),
      clientTimeMs: fc.oneof(
        fc.double({ min: 0, max: 1e15, noNaN: true }).map((v) => v + 0),
        fc.nat(),
      ),
      serverReceiveTick: fc.double({ min: 0, max: UINT32_MAX, noNaN: true }).map((v) => v + 0),
      serverSendTick: fc.double({ min: 0, max: UINT32_MAX, noNaN: true }).map((v) => v + 0),
    }),
    { nil: undefined },
  ),
  removed: fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 3 }),
});

/** The messages of a connection that lives through `steps`, from a start tick; the first is full. */
function chainOf(startTick: number, steps: readonly Step[]): SnapshotMessage[] {
  const messages: SnapshotMessage[] = [];
  let tick = startTick;
  let lastInputSeq = 0;
  let starvedInputs = 0;
  let droppedInputs = 0;
  steps.forEach((step, i) => {
    const baseAge = i === 0 ? 0 : step.baseAge;
    tick += Math.max(1, baseAge); // the start tick leaves room for MAX_STEPS of the largest baseAge
    lastInputSeq = Math.min(UINT32_MAX, lastInputSeq + step.seqAdvance);
    starvedInputs = Math.min(UINT32_MAX, starvedInputs + step.starvedAdvance);
    droppedInputs = Math.min(UINT32_MAX, droppedInputs + step.droppedAdvance);
    messages.push({
      id: ServerMessageId.SNAPSHOT,
      tick,
      lastInputSeq,
      inputBuffer: step.inputBuffer,
      starvedInputs,
      droppedInputs,
      pong: step.pong === undefined ? [] : [step.pong],
      baseAge,
      created: [],
      changed: [],
      // A full snapshot has no removed ids (PROTOCOL.md, The body); the header does not care.
      removed: baseAge === 0 ? [] : step.removed,
      shots: [],
      kills: [],
      deferred: [],
    });
  });
  return messages;
}

/**
 * The wire array PROTOCOL.md's "SNAPSHOT header" describes, written out from the doc's rules and
 * nothing else: head bits 1 tick (full only), 2 seq advance, 4 inputBuffer, 8 starved advance, 16
 * dropped advance, 32 pong; absent means unchanged (or no pong).
 */
function wireByTheDoc(message: SnapshotMessage, previous: SnapshotHeaderState): unknown[] {
  const present: unknown[] = [];
  let head = 0;
  if (message.baseAge === 0) {
    head += 1;
    present.push(message.tick);
  }
  if (message.lastInputSeq !== previous.lastInputSeq) {
    head += 2;
    present.push(message.lastInputSeq - previous.lastInputSeq);
  }
  if (message.inputBuffer !== previous.inputBuffer) {
    head += 4;
    present.push(message.inputBuffer);
  }
  if (message.starvedInputs !== previous.starvedInputs) {
    head += 8;
    present.push(message.starvedInputs - previous.starvedInputs);
  }
  if (message.droppedInputs !== previous.droppedInputs) {
    head += 16;
    present.push(message.droppedInputs - previous.droppedInputs);
  }
  const pong = message.pong[0];
  if (pong !== undefined) {
    head += 32;
    present.push([pong.pingId, pong.clientTimeMs, pong.serverReceiveTick, pong.serverSendTick]);
  }
  return [65, head, ...present, message.baseAge, [], [], message.removed, [], []];
}

function stateAfter(message: SnapshotMessage): SnapshotHeaderState {
  return {
    tick: message.tick,
    lastInputSeq: message.lastInputSeq,
    inputBuffer: message.inputBuffer,
    starvedInputs: message.starvedInputs,
    droppedInputs: message.droppedInputs,
  };
}

describe('a connection of SNAPSHOTs', () => {
  it('reads back every message of a chain, holding what the writer sent (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: UINT32_MAX - MAX_STEPS * 65_535 }),
        fc.array(stepArbitrary, { minLength: 1, maxLength: MAX_STEPS }),
        (startTick, steps) => {
          const sent = newSnapshotHeaderState();
          const held = newSnapshotHeaderState();
          let peekedTick = 0;
          for (const message of chainOf(startTick, steps)) {
            const previous = { ...sent };
            const frame = encodeSnapshotMessage(message, sent);
            expect(sent).toEqual(stateAfter(message));
            // What any MessagePack library reads: exactly the elements the doc lists.
            expect(decode(frame)).toEqual(wireByTheDoc(message, previous));
            expect(decodeServerFrame(frame, held)).toEqual({ ok: true, message });
            expect(held).toEqual(sent);
            peekedTick = peekSnapshotTick(frame, peekedTick)!;
            expect(peekedTick).toBe(message.tick);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('sends an unchanged client a delta with nothing but the head in front of the body', () => {
    const sent = { tick: 100, lastInputSeq: 40, inputBuffer: 1, starvedInputs: 3, droppedInputs: 0 };
    const message: SnapshotMessage = {
      id: ServerMessageId.SNAPSHOT,
      ...sent,
      tick: 101,
      pong: [],
      baseAge: 1,
      created: [],
      changed: [],
      removed: [],
      shots: [],
      kills: [],
      deferred: [],
    };
    // fixarray(8), 65, head 0, baseAge 1, five empty lists: 9 bytes (protocol 8: 14 to 22).
    expect(Array.from(encodeSnapshotMessage(message, sent), (b) => b.toString(16).padStart(2, '0')).join(' ')).toBe(
      '98 41 00 01 90 90 90 90 90',
    );
  });

  it('takes a delta tick as the held tick plus baseAge, so the same bytes mean different ticks', () => {
    const frame = Uint8Array.from(encodeMsgpack([65, 0, 2, [], [], [], [], []]));
    const held = { ...newSnapshotHeaderState(), tick: 1000 };
    expect(decodeServerFrame(frame, held)).toMatchObject({ ok: true, message: { tick: 1002, baseAge: 2 } });
    expect(decodeServerFrame(frame, held)).toMatchObject({ ok: true, message: { tick: 1004 } });
    expect(peekSnapshotTick(frame, 1004)).toBe(1006);
  });
});

describe('a malformed SNAPSHOT header', () => {
  const held = (): SnapshotHeaderState => ({
    tick: 500,
    lastInputSeq: 10,
    inputBuffer: 2,
    starvedInputs: 5,
    droppedInputs: 7,
  });
  const body = [1, [], [], [], [], []];
  const cases: [string, unknown[], string][] = [
    ['a head above 127', [65, 128, ...body], 'SNAPSHOT.head'],
    [
      'a deferred bit with no deferred list after the body',
      [65, 64, ...body],
      'SNAPSHOT: head 64 means 9 elements, got 8',
    ],
    ['a negative head', [65, -1, ...body], 'SNAPSHOT.head'],
    ['a fractional head', [65, 1.5, ...body], 'SNAPSHOT.head'],
    ['a head that is a string', [65, '2', 3, ...body], 'SNAPSHOT.head'],
    ['a head of nil', [65, null, ...body], 'SNAPSHOT.head'],
    ['an element more than the head says', [65, 2, 1, 1, ...body], 'SNAPSHOT: head 2 means 9 elements, got 10'],
    ['an element fewer than the head says', [65, 6, 1, ...body], 'SNAPSHOT: head 6 means 10 elements, got 9'],
    ['a tick in a delta', [65, 1, 501, ...body], 'SNAPSHOT.tick'],
    ['a full snapshot without its tick', [65, 0, 0, [], [], [], [], []], 'SNAPSHOT.baseAge'],
    ['a baseAge that is not a number', [65, 0, '1', [], [], [], [], []], 'SNAPSHOT.baseAge'],
    ['a tick beyond 32 bits', [65, 1, 2 ** 32, 0, [], [], [], [], []], 'SNAPSHOT.tick'],
    ['a delta tick that passes 32 bits', [65, 0, 65535, [], [], [], [], []], 'SNAPSHOT.tick'],
    ['a seq advance of 0', [65, 2, 0, ...body], 'SNAPSHOT.lastInputSeq'],
    ['a negative seq advance', [65, 2, -3, ...body], 'SNAPSHOT.lastInputSeq'],
    ['a fractional seq advance', [65, 2, 0.5, ...body], 'SNAPSHOT.lastInputSeq'],
    ['a seq past 32 bits', [65, 2, UINT32_MAX, ...body], 'SNAPSHOT.lastInputSeq'],
    ['an inputBuffer past 16 bits', [65, 4, 65536, ...body], 'SNAPSHOT.inputBuffer'],
    ['a negative inputBuffer', [65, 4, -1, ...body], 'SNAPSHOT.inputBuffer'],
    ['a starved advance of 0', [65, 8, 0, ...body], 'SNAPSHOT.starvedInputs'],
    ['a dropped advance that is a string', [65, 16, '1', ...body], 'SNAPSHOT.droppedInputs'],
    ['a pong that is not a tuple', [65, 32, 7, ...body], 'SNAPSHOT.pong[0]'],
    ['a pong of nil', [65, 32, null, ...body], 'SNAPSHOT.pong[0]'],
  ];

  it.each(cases)('closes %s with 4002, naming it, and leaves the held state alone', (_, wire, path) => {
    const state = held();
    const lateState = { ...state, tick: UINT32_MAX - 10 };
    const target = path === 'SNAPSHOT.tick' && wire[1] === 0 ? lateState : state;
    const before = { ...target };
    const result = decodeServerFrame(Uint8Array.from(encodeMsgpack(wire)), target);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(CloseCode.INVALID_MESSAGE);
      expect(result.reason).toContain(path);
    }
    expect(target).toEqual(before);
  });

  it('never throws on the frames of a chain with bytes flipped, cut or inserted, and answers 4001 or 4002', () => {
    const mutation = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), kind: fc.nat(2) });
    fc.assert(
      fc.property(
        fc.array(stepArbitrary, { minLength: 1, maxLength: 4 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (steps, mutations) => {
          const sent = newSnapshotHeaderState();
          const held = newSnapshotHeaderState();
          for (const message of chainOf(100, steps)) {
            const bytes = [...encodeSnapshotMessage(message, sent)];
            for (const { at, byte, kind } of mutations) {
              const i = at % (bytes.length + 1);
              if (kind === 0 && i < bytes.length) bytes[i] = byte;
              else if (kind === 1) bytes.length = i;
              else bytes.splice(i, 0, byte);
            }
            const frame = Uint8Array.from(bytes);
            const result = decodeServerFrame(frame, held);
            if (!result.ok) {
              expect([CloseCode.UNDECODABLE, CloseCode.INVALID_MESSAGE, CloseCode.UNKNOWN_MESSAGE]).toContain(
                result.code,
              );
            }
            peekSnapshotTick(frame, held.tick);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
