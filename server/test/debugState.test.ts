// DEBUG_STATE from a room: every entity of the newest snapshot and the requester's view, cut into
// pages of at most 1,024 items each when the room holds more, and assembled again by a client.
import {
  ClientMessageId,
  type DebugState,
  DebugStateAssembler,
  decodeServerFrame,
  encodeClientMessage,
  FIELD_COUNT,
  MAX_SNAPSHOT_ENTITIES,
  newSnapshotHeaderState,
  ServerMessageId,
  WorldState,
} from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { sendDebugState } from '../src/room/debugState.js';
import type { RoomState } from '../src/room/roomState.js';
import type { Session } from '../src/session/session.js';
import { Position } from '../src/sim/components.js';
import { makeRoom } from './support/fakeRoom.js';

/** The frames one sendDebugState call sends, decoded and assembled. */
function reply(room: Pick<RoomState, 'lastSnapshot' | 'snapshots'>): {
  pages: number[][];
  state: DebugState | undefined;
} {
  const frames: Uint8Array[] = [];
  const session = { send: (bytes: Uint8Array) => frames.push(bytes) } as unknown as Session;
  sendDebugState(room as RoomState, session);
  const assembler = new DebugStateAssembler();
  const header = newSnapshotHeaderState();
  const pages: number[][] = [];
  let state: DebugState | undefined;
  for (const frame of frames) {
    const decoded = decodeServerFrame(frame, header);
    if (!decoded.ok || decoded.message.id !== ServerMessageId.DEBUG_STATE) throw new Error('not a DEBUG_STATE');
    pages.push([decoded.message.page, decoded.message.pages, decoded.message.entities.length]);
    const added = assembler.add(decoded.message);
    if (!added.ok) throw new Error(added.reason);
    state = added.state;
  }
  return { pages, state };
}

/** A snapshot state of `n` entities with ids n … 1 added in reverse, so the rows are not in id order. */
function bigState(n: number): WorldState {
  const state = new WorldState(n, n);
  state.reset(500);
  for (let id = n; id >= 1; id--) {
    const row = state.add(id, 1);
    state.values.set([id % 9, -(id % 3) + 1, id * 4, id * 2, id % 256, 100, id % 2], row * FIELD_COUNT);
  }
  return state;
}

describe('DEBUG_STATE', () => {
  it('pages a room of more than 1,024 entities, ordered by id, with every id as the view when the room has no view radius', () => {
    const n = MAX_SNAPSHOT_ENTITIES * 2 + 3;
    const state = bigState(n);
    const { pages, state: whole } = reply({ lastSnapshot: state, snapshots: { interestOf: () => undefined } as never });
    expect(pages).toEqual([
      [0, 3, 1024],
      [1, 3, 1024],
      [2, 3, 3],
    ]);
    expect(whole!.tick).toBe(500);
    expect(whole!.entities.map((e) => e.id)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(whole!.entities[41]).toEqual({ id: 42, ...state.entity(42)! });
    expect(whole!.interest).toEqual(whole!.entities.map((e) => e.id));
  });

  it("sends the requester's own interest ids, paged with the entities", () => {
    const state = bigState(MAX_SNAPSHOT_ENTITIES + 10);
    const view = [3, 17, 1030];
    const { pages, state: whole } = reply({ lastSnapshot: state, snapshots: { interestOf: () => view } as never });
    expect(pages.map(([page, of]) => [page, of])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(whole!.interest).toEqual(view);
  });

  it('answers before the first snapshot with tick 0, no entities and an empty view', () => {
    const { pages, state } = reply({ lastSnapshot: undefined, snapshots: { interestOf: () => [] } as never });
    expect(pages).toEqual([[0, 1, 0]]);
    expect(state).toEqual({ tick: 0, entities: [], interest: [] });
  });

  it('gives each client of a room with a view radius its own view, the one its snapshots are restricted to', () => {
    const t = makeRoom({ viewRadius: 300, debugState: true });
    const clients = ['near', 'also-near', 'far'].map((name) => t.connect(name));
    t.ticks(1);
    const ids = clients.map((c) => c.session.playerId);
    const spots: [number, number][] = [
      [100, 100],
      [250, 100],
      [1900, 1900],
    ];
    for (const [i, [x, y]] of spots.entries()) {
      const position = t.room.game.players.get(ids[i]!)!.getMutableComponent(Position)!;
      position.x = x * 16;
      position.y = y * 16;
    }
    t.ticks(3);
    for (const { socket, session } of clients) {
      t.send(session, encodeClientMessage({ id: ClientMessageId.DEBUG_STATE_REQUEST }));
      const message = socket.received.at(-1)!;
      if (message.id !== ServerMessageId.DEBUG_STATE) throw new Error('no DEBUG_STATE');
      expect(message.interest).toEqual(t.room.snapshots.interestOf(session));
      expect(message.entities).toHaveLength(3);
      // The client's world is DEBUG_STATE restricted to its interest ids, field for field.
      const restricted = message.entities.filter((e) => message.interest.includes(e.id));
      expect(socket.lastSnapshot().players).toEqual(restricted);
    }
    const [near, , far] = clients.map((c) => (c.socket.received.at(-1) as { interest: number[] }).interest);
    expect(near).toEqual([ids[0]!, ids[1]!].sort((a, b) => a - b));
    expect(far).toEqual([ids[2]]);
  });
});
