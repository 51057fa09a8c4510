// The roster's contract under random joins, leaves, renames and score changes (fast-check): after
// every tick, each client that applied every frame it was sent holds exactly the whole list a new
// joiner would get (STYLE 12), whatever the order of events and however many there are.
import {
  decodeServerFrame,
  MAX_ROSTER_ITEMS,
  newSnapshotHeaderState,
  RosterBook,
  ServerMessageId,
} from '@tickwire/protocol';
import type { Entity } from 'ecsy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Roster, type RosterClient } from '../src/room/roster.js';
import { Score } from '../src/sim/components.js';

/** A client with its own RosterBook, and a stand-in for its entity (the roster reads only Score). */
class BookClient implements RosterClient {
  readonly book = new RosterBook();
  readonly score = { kills: 0, deaths: 0 };
  away = false;
  readonly entity = { getComponent: (c: unknown) => (c === Score ? this.score : undefined) } as unknown as Entity;
  constructor(
    readonly playerId: number,
    public name: string,
  ) {}
  send(bytes: Uint8Array): void {
    // Roster frames only (checked below): no SNAPSHOT header state to keep.
    const decoded = decodeServerFrame(bytes, newSnapshotHeaderState());
    if (!decoded.ok) throw new Error(decoded.reason);
    const m = decoded.message;
    if (m.id !== ServerMessageId.PLAYERS && m.id !== ServerMessageId.ROSTER_CHANGES) throw new Error('not roster');
    const problem = m.id === ServerMessageId.PLAYERS ? this.book.applyPage(m) : this.book.applyChanges(m);
    if (problem !== undefined) throw new Error(problem);
  }
}

type Op =
  | { kind: 'join'; count: number }
  | { kind: 'leave'; pick: number }
  | { kind: 'score'; pick: number; kills: number; deaths: number }
  | { kind: 'rename'; pick: number }
  | { kind: 'away'; pick: number }
  | { kind: 'tick' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('join' as const),
    count: fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 1, arbitrary: fc.constant(MAX_ROSTER_ITEMS + 10) },
    ),
  }),
  fc.record({ kind: fc.constant('leave' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('score' as const), pick: fc.nat(), kills: fc.nat(5), deaths: fc.nat(5) }),
  fc.record({ kind: fc.constant('rename' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('away' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('tick' as const) }),
);

describe('Roster (property)', () => {
  it('keeps every client that applied every frame equal to the whole list of the current version', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const roster = new Roster(3);
        const players = new Map<BookClient, Entity>();
        const free = (): number => {
          const used = new Set([...players.keys()].map((c) => c.playerId));
          let id = 1;
          while (used.has(id)) id++;
          return id;
        };
        const pick = (n: number) => [...players.keys()][n % players.size];
        let tick = 0;
        let names = 0;
        for (const o of [...ops, { kind: 'tick' } as Op]) {
          if (o.kind === 'join') {
            // Bounded so a run stays fast: a few more than two pages at most.
            if (players.size > 2 * MAX_ROSTER_ITEMS) continue;
            for (let i = 0; i < o.count; i++) {
              const client = new BookClient(free(), `n${names++}`);
              players.set(client, client.entity);
              roster.changed();
              roster.sendTo(client);
            }
          } else if (o.kind === 'leave' && players.size > 0) {
            players.delete(pick(o.pick)!);
            roster.changed();
          } else if (o.kind === 'score' && players.size > 0) {
            Object.assign(pick(o.pick)!.score, { kills: o.kills, deaths: o.deaths });
            roster.scoresChanged();
          } else if (o.kind === 'rename' && players.size > 0) {
            pick(o.pick)!.name = `r${names++}`;
            roster.changed();
          } else if (o.kind === 'away' && players.size > 0) {
            // A drop, or a resume: the reconnecting flag flips (membership.ts marks the roster changed).
            const client = pick(o.pick)!;
            client.away = !client.away;
            roster.changed();
          } else if (o.kind === 'tick') {
            // A tick flushes joins and leaves at once; scores alone only every 3 ticks. Check after the
            // last flush a score change is allowed to wait for.
            for (let i = 0; i < 3; i++) roster.flush(players, ++tick);
            const late = new BookClient(0, '');
            roster.sendTo(late);
            const expected = [...players.keys()]
              .map((c) => ({ id: c.playerId, name: c.name, ...c.score, reconnecting: c.away ? 1 : 0 }))
              .sort((a, b) => a.id - b.id);
            expect(late.book.list()).toEqual(expected);
            for (const client of players.keys()) {
              expect(client.book.version).toBe(late.book.version);
              expect(client.book.list()).toEqual(expected);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it(`never puts more than MAX_ROSTER_ITEMS (${MAX_ROSTER_ITEMS}) items in one list of a frame`, () => {
    const roster = new Roster();
    const players = new Map<BookClient, Entity>();
    const watcher = new BookClient(1, 'w');
    const frames: number[] = [];
    watcher.send = (bytes) => {
      frames.push(bytes.byteLength);
      BookClient.prototype.send.call(watcher, bytes);
    };
    roster.sendTo(watcher);
    players.set(watcher, watcher.entity);
    for (let id = 2; id <= 200; id++) {
      const client = new BookClient(id, `p${id}`);
      roster.sendTo(client);
      players.set(client, client.entity);
    }
    roster.changed();
    roster.flush(players, 1);
    expect(frames).toHaveLength(1 + Math.ceil(200 / MAX_ROSTER_ITEMS)); // its PLAYERS, then the cut changes
    expect(watcher.book.players.size).toBe(200);
  });
});
