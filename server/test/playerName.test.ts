// Player names as the room keeps and relays them: cleaned of control and bidirectional-override
// characters, bounded in visible length, unique in the room. Runs the room with fake sockets.
import { MAX_NAME_GRAPHEMES, MAX_NAME_LENGTH } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYER_NAME, playerName } from '../src/room/playerName.js';
import { makeRoom } from './support/fakeRoom.js';

const named = (...names: string[]) => names.map((name) => ({ name }));
const graphemes = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].length;

describe('player names in the room', () => {
  it('are unique: a second "alice" is "alice 2", a third "alice 3"', () => {
    const t = makeRoom();
    const names = ['alice', 'alice', 'alice'].map((name) => t.connect(name).session.name);
    expect(names).toEqual(['alice', 'alice 2', 'alice 3']);
  });

  it('lose control characters and bidirectional overrides and isolates', () => {
    const t = makeRoom();
    expect(t.connect('a\u0000b\u0007c\u202Ed\u2066e\u2069').session.name).toBe('abcde');
  });
});

describe('playerName', () => {
  it('keeps a plain name as it is', () => {
    expect(playerName('alice', [])).toBe('alice');
  });

  it(`bounds a name to ${MAX_NAME_GRAPHEMES} visible characters, never cutting an emoji sequence`, () => {
    expect(playerName('abcdefghijklmnop', [])).toBe('abcdefghijkl');
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // one grapheme, 8 UTF-16 units
    const name = playerName(`ab${family}${family}`, []);
    expect(name).toBe(`ab${family}`);
    expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
  });

  it('keeps at most two combining marks on a character', () => {
    expect(playerName('x\u0301\u0302\u0303\u0304\u0305y', [])).toBe('x\u0301\u0302y');
  });

  it('collapses and trims spaces, and names an empty or all-control name "player"', () => {
    expect(playerName('  al \u3000 ice ', [])).toBe('al ice');
    expect(playerName('', [])).toBe(DEFAULT_PLAYER_NAME);
    expect(playerName('\u0000\u202E\u2066 ', named('player'))).toBe(`${DEFAULT_PLAYER_NAME} 2`);
  });

  it('numbers a taken name with the lowest free suffix, cutting the name so the suffix fits', () => {
    expect(playerName('alice', named('alice', 'alice 2', 'alice 4'))).toBe('alice 3');
    const long = 'abcdefghijkl';
    const numbered = playerName(long, named(long));
    expect(numbered).toBe('abcdefghij 2');
    expect(graphemes(numbered)).toBeLessThanOrEqual(MAX_NAME_GRAPHEMES);
    expect(playerName('abcdefghi jkl', named('abcdefghi jk'))).toBe('abcdefghi 2');
  });

  it('treats a composed and a decomposed accent as the same name', () => {
    expect(playerName('e\u0301', named('\u00e9'))).toBe('\u00e9 2');
  });
});

describe('names that only look different', () => {
  it('strips invisible format and filler characters, so "alice" with a zero width space is a second alice', () => {
    expect(playerName('alice\u200B', [{ name: 'alice' }])).toBe('alice 2');
    expect(playerName('al\u2060ice\uFEFF\u00AD', [{ name: 'alice' }])).toBe('alice 2');
    expect(playerName('\u3164bob', [])).toBe('bob');
  });

  it('gives the default name to a name of invisible characters only', () => {
    expect(playerName('\u200B\u2060\uFEFF', [])).toBe('player');
    expect(playerName('\u200D\u200D', [])).toBe('player');
  });

  it('treats names differing only in case or compatibility form as the same', () => {
    expect(playerName('ALICE', [{ name: 'alice' }])).toBe('ALICE 2');
    expect(playerName('ａｌｉｃｅ', [{ name: 'alice' }])).toBe('ａｌｉｃｅ 2');
  });

  it('keeps emoji joined by the zero width joiner', () => {
    expect(playerName('👩\u200D🚀', [])).toBe('👩\u200D🚀');
  });
});
