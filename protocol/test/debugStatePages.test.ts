// DEBUG_STATE pages: cut at the item cap on the server, encoded, decoded and assembled again into
// the whole reply; a page out of order is refused.
import { describe, expect, it } from 'vitest';
import {
  type DebugState,
  DebugStateAssembler,
  debugStatePages,
  decodeServerFrame,
  type EntityTuple,
  encodeServerMessage,
  MAX_SNAPSHOT_ENTITIES,
  newSnapshotHeaderState,
  ServerMessageId,
} from '../src/index.js';

function entity(id: number): EntityTuple {
  return { id, vx: id % 7, vy: 2 - (id % 5), x: id * 16, y: 262_144 - id, angle: id % 256, hp: 100, kind: id % 2 };
}

function state(entities: number, interest: number): DebugState {
  return {
    tick: 77,
    entities: Array.from({ length: entities }, (_, i) => entity(i + 1)),
    interest: Array.from({ length: interest }, (_, i) => i * 2 + 1),
  };
}

/** Every page through the real codec, then the assembler; the reply it completes. */
function roundTrip(whole: DebugState): DebugState | undefined {
  const assembler = new DebugStateAssembler();
  const header = newSnapshotHeaderState();
  let done: DebugState | undefined;
  for (const page of debugStatePages(whole)) {
    const decoded = decodeServerFrame(encodeServerMessage(page), header);
    if (!decoded.ok || decoded.message.id !== ServerMessageId.DEBUG_STATE) throw new Error('page did not decode');
    const added = assembler.add(decoded.message);
    if (!added.ok) throw new Error(added.reason);
    expect(done).toBeUndefined();
    done = added.state;
  }
  return done;
}

describe('DEBUG_STATE pages', () => {
  it('sends an empty world as one page with no entities and no ids', () => {
    const pages = debugStatePages({ tick: 0, entities: [], interest: [] });
    expect(pages).toEqual([
      { id: ServerMessageId.DEBUG_STATE, tick: 0, page: 0, pages: 1, entities: [], interest: [] },
    ]);
  });

  it('cuts more than 1,024 entities into pages of at most 1,024 and assembles them again in order', () => {
    const whole = state(2 * MAX_SNAPSHOT_ENTITIES + 500, 40);
    const pages = debugStatePages(whole);
    expect(pages.map((p) => [p.page, p.pages, p.entities.length, p.interest.length])).toEqual([
      [0, 3, 1024, 40],
      [1, 3, 1024, 0],
      [2, 3, 500, 0],
    ]);
    expect(roundTrip(whole)).toEqual(whole);
  });

  it('pages the interest ids the same way when they outnumber the entities of a page', () => {
    const whole = state(10, MAX_SNAPSHOT_ENTITIES + 1);
    const pages = debugStatePages(whole);
    expect(pages.map((p) => [p.entities.length, p.interest.length])).toEqual([
      [10, 1024],
      [0, 1],
    ]);
    expect(roundTrip(whole)).toEqual(whole);
  });

  it('refuses a page out of order, and a page of another reply inside one, then starts afresh at page 0', () => {
    const pages = debugStatePages(state(MAX_SNAPSHOT_ENTITIES * 2, 0));
    const assembler = new DebugStateAssembler();
    expect(assembler.add(pages[1]!).ok).toBe(false);
    expect(assembler.add(pages[0]!)).toEqual({ ok: true, state: undefined });
    expect(assembler.add({ ...pages[1]!, tick: 78 }).ok).toBe(false);
    expect(assembler.add(pages[0]!).ok).toBe(true);
    expect(assembler.add(pages[1]!)).toMatchObject({ ok: true, state: { tick: 77 } });
    expect(assembler.add({ ...pages[0]!, page: 1, pages: 1 }).ok).toBe(false);
  });
});
