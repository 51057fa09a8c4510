// RosterBook, the client's roster: PLAYERS pages make the whole list only together, and a
// ROSTER_CHANGES applies only on top of the version before it; anything else is reported.
import { describe, expect, it } from 'vitest';
import { type PlayersMessage, RosterBook, type RosterChangesMessage, ServerMessageId } from '../src/index.js';

const entry = (id: number, name = `p${id}`, kills = 0, deaths = 0, reconnecting = 0) => ({
  id,
  name,
  kills,
  deaths,
  reconnecting,
});
const page = (version: number, n: number, pages: number, players = [entry(n + 1)]): PlayersMessage => ({
  id: ServerMessageId.PLAYERS,
  version,
  page: n,
  pages,
  players,
});
const changes = (version: number, fields: Partial<RosterChangesMessage> = {}): RosterChangesMessage => ({
  id: ServerMessageId.ROSTER_CHANGES,
  version,
  joined: [],
  left: [],
  renamed: [],
  scores: [],
  ...fields,
});

describe('RosterBook', () => {
  it('holds a paged list only once its last page arrived, then its version', () => {
    const book = new RosterBook();
    expect(book.applyPage(page(4, 0, 3))).toBeUndefined();
    expect(book.applyPage(page(4, 1, 3))).toBeUndefined();
    expect(book.version).toBeUndefined();
    expect(book.players.size).toBe(0);
    expect(book.applyPage(page(4, 2, 3))).toBeUndefined();
    expect(book.version).toBe(4);
    expect(book.list()).toEqual([entry(1), entry(2), entry(3)]);
  });

  it('refuses a page out of order, of another version, past the last, or with ids not ascending', () => {
    expect(new RosterBook().applyPage(page(4, 1, 2))).toMatch(/out of order/);
    const book = new RosterBook();
    book.applyPage(page(4, 0, 2));
    expect(book.applyPage(page(5, 1, 2))).toMatch(/out of order/);
    expect(new RosterBook().applyPage(page(4, 2, 2))).toMatch(/page 2 of 2/);
    expect(new RosterBook().applyPage(page(4, 0, 1, [entry(3), entry(3)]))).toMatch(/id 3 after 3/);
  });

  it('applies changes in order: left, joined (replacing an id), renamed, scores', () => {
    const book = new RosterBook();
    book.applyPage(page(1, 0, 1, [entry(1, 'ann'), entry(2, 'bob')]));
    const problem = book.applyChanges(
      changes(2, {
        left: [1],
        joined: [entry(2, 'carl'), entry(3, 'dan')],
        renamed: [{ id: 3, name: 'danny' }],
        scores: [{ id: 2, kills: 1, deaths: 2 }],
      }),
    );
    expect(problem).toBeUndefined();
    expect(book.version).toBe(2);
    expect(book.list()).toEqual([entry(2, 'carl', 1, 2), entry(3, 'danny')]);
  });

  it('refuses changes before the whole list, inside a list, after a gap, and about unknown players', () => {
    expect(new RosterBook().applyChanges(changes(1))).toMatch(/before PLAYERS/);
    const paging = new RosterBook();
    paging.applyPage(page(1, 0, 2));
    expect(paging.applyChanges(changes(2))).toMatch(/inside a PLAYERS list/);
    const book = new RosterBook();
    book.applyPage(page(1, 0, 1, [entry(1)]));
    expect(book.applyChanges(changes(3))).toBe('ROSTER_CHANGES 3 does not follow version 1');
    expect(book.applyChanges(changes(1))).toBe('ROSTER_CHANGES 1 does not follow version 1');
    expect(book.applyChanges(changes(2, { left: [9] }))).toMatch(/player 9 left but was not listed/);
  });
});
