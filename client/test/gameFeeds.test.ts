// Kill feed and chat log: lines name the players as the roster had them when the event arrived,
// keep a bounded number of lines, and fade each after its lifetime.
import { describe, expect, it } from 'vitest';
import { chatLine, killLine } from '../src/game/model/feeds.js';
import type { RosterEntry } from '../src/game/model/roster.js';
import { TimedLines } from '../src/game/model/timedLines.js';

const roster = new Map<number, RosterEntry>([
  [1, { name: 'alice', kills: 0, deaths: 0 }],
  [2, { name: 'bob', kills: 0, deaths: 0 }],
]);

describe('killLine', () => {
  it('names killer, weapon and victim', () => {
    expect(killLine(roster, 1, 2, 0)).toBe('alice [rifle] bob');
    expect(killLine(roster, 2, 1, 1)).toBe('bob [plasma] alice');
  });

  it('names a player that already left by id', () => {
    expect(killLine(roster, 9, 2, 0)).toBe('player 9 [rifle] bob');
  });
});

describe('chatLine', () => {
  it('prefixes the sender, or marks a server notice (fromId 0)', () => {
    expect(chatLine(roster, 2, 'hi all', 120)).toBe('bob: hi all');
    expect(chatLine(roster, 0, 'slow down', 120)).toBe('* server: slow down');
  });

  it('caps and cleans the text', () => {
    expect(chatLine(roster, 1, `a\nb${'c'.repeat(300)}`, 120)).toBe(`alice: a b${'c'.repeat(117)}`);
  });
});

describe('TimedLines', () => {
  it('keeps at most capacity lines, dropping the oldest', () => {
    const lines = new TimedLines(3, 1000);
    for (let i = 0; i < 5; i++) lines.add(`line ${i}`, i);
    expect(lines.all().map((line) => line.text)).toEqual(['line 2', 'line 3', 'line 4']);
  });

  it('shows a line for its lifetime only, and counts versions per add', () => {
    const lines = new TimedLines(5, 1000);
    lines.add('old', 0);
    lines.add('new', 600);
    expect(lines.visible(999).map((line) => line.text)).toEqual(['old', 'new']);
    expect(lines.visible(1000).map((line) => line.text)).toEqual(['new']);
    expect(lines.visible(1600)).toEqual([]);
    expect([lines.firstVisible(999), lines.firstVisible(1000), lines.firstVisible(1600)]).toEqual([0, 1, 2]);
    expect(lines.version).toBe(2);
  });
});
