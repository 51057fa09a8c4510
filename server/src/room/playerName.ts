// A player's name as the room keeps and relays it: control and bidirectional formatting characters
// removed, spaces collapsed, bounded in visible characters, and unique in the room ("alice",
// "alice 2", …; an empty name becomes "player"). Runs once per join, in O(players).
import { MAX_NAME_GRAPHEMES, MAX_NAME_LENGTH } from '@tickwire/protocol';
import { stripUnsafeCharacters } from './unsafeText.js';

/** The name of a player whose HELLO name is empty once cleaned (then made unique like any other). */
export const DEFAULT_PLAYER_NAME = 'player';
/**
 * Combining marks kept per visible character: enough for the accents of any script (and an
 * emoji's variation selector), not a tower of them ("zalgo") drawn over the rows above.
 */
export const MAX_MARKS_PER_GRAPHEME = 2;

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const MARK = /\p{M}/u;
const SPACES = /\s+/gu;

/**
 * The name `raw` (a HELLO name) becomes in a room whose players hold `others`' names: cleaned, at
 * most MAX_NAME_GRAPHEMES visible characters and MAX_NAME_LENGTH UTF-16 units, and none of theirs.
 */
export function playerName(raw: string, others: Iterable<{ readonly name: string }>): string {
  const cleaned = visibleCharacters(stripUnsafeCharacters(raw).normalize('NFC').replace(SPACES, ' ').trim());
  const base = cleaned.some((character) => sameNameKey(character) !== '') ? cleaned : [DEFAULT_PLAYER_NAME];
  const taken = new Set<string>();
  for (const other of others) taken.add(sameNameKey(other.name));
  const name = fit(base, '');
  if (!taken.has(sameNameKey(name))) return name;
  // Terminates: at most taken.size suffixes are taken.
  for (let n = 2; ; n++) {
    const numbered = fit(base, ` ${n}`);
    if (!taken.has(sameNameKey(numbered))) return numbered;
  }
}

/**
 * What two names must differ in to count as two: compatibility forms folded (NFKC: "ａｌｉｃｅ" is
 * "alice"), case ignored, and the zero width joiner, which shows nothing on its own, left out.
 */
function sameNameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\u200D/g, '')
    .toLowerCase();
}

/** `text` cut into grapheme clusters, each keeping at most MAX_MARKS_PER_GRAPHEME combining marks. */
function visibleCharacters(text: string): string[] {
  const characters: string[] = [];
  for (const { segment } of graphemeSegmenter.segment(text)) {
    let marks = 0;
    let kept = '';
    for (const codePoint of segment) {
      if (MARK.test(codePoint) && ++marks > MAX_MARKS_PER_GRAPHEME) continue;
      kept += codePoint;
    }
    characters.push(kept);
  }
  return characters;
}

/** The leading characters that fit both bounds together with `suffix` (ASCII), then `suffix`; never cuts a character. */
function fit(characters: readonly string[], suffix: string): string {
  let name = '';
  let count = 0;
  for (const character of characters) {
    if (count + 1 + suffix.length > MAX_NAME_GRAPHEMES) break;
    if (name.length + character.length + suffix.length > MAX_NAME_LENGTH) break;
    name += character;
    count++;
  }
  return name.trimEnd() + suffix;
}
