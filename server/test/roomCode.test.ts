// Room ids and codes: the alphabet, uniqueness with a bound, and what typed input reads as.
import { describe, expect, it } from 'vitest';
import {
  claimRoomCode,
  isRoomId,
  newRoomId,
  normalizeRoomCode,
  ROOM_CODE_ALPHABET,
  ROOM_CODE_TRIES,
  randomRoomCode,
} from '../src/rooms/roomCode.js';

/** Bytes from a fixed list, so a test chooses the codes drawn. */
function bytesFrom(...values: number[]) {
  let i = 0;
  return (size: number) => Uint8Array.from({ length: size }, () => values[i++ % values.length]!);
}

describe('room codes', () => {
  it('uses 32 symbols with no 0, O, 1 or I', () => {
    expect(ROOM_CODE_ALPHABET).toHaveLength(32);
    expect(new Set(ROOM_CODE_ALPHABET).size).toBe(32);
    for (const confusable of '0O1I') expect(ROOM_CODE_ALPHABET).not.toContain(confusable);
  });

  it('draws 6 symbols of the alphabet, every symbol reachable', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const code = randomRoomCode();
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
      for (const c of code) seen.add(c);
    }
    expect(seen.size).toBe(32);
  });

  it('retries a code already taken and takes the next free one', async () => {
    const taken = new Set(['222222']);
    const code = await claimRoomCode((c) => !taken.has(c), bytesFrom(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1));
    expect(code).toBe('333333');
  });

  it('gives up after a bounded number of collisions', async () => {
    let asked = 0;
    const code = await claimRoomCode(() => {
      asked++;
      return false;
    });
    expect(code).toBeUndefined();
    expect(asked).toBe(ROOM_CODE_TRIES);
  });

  it.each([
    ['ab3k7m', 'AB3K7M'],
    ['AB3-K7M', 'AB3K7M'],
    [' ab3 k7m ', 'AB3K7M'],
  ])('reads %j as %s', (typed, code) => {
    expect(normalizeRoomCode(typed)).toBe(code);
  });

  it.each(['AB3K7', 'AB3K7MM', 'AB0K7M', 'ABOK7M', 'AB1K7M', 'ABIK7M', 'AB3K7!', ''])(
    'does not read %j as a code',
    (typed) => {
      expect(normalizeRoomCode(typed)).toBeUndefined();
    },
  );
});

describe('room ids', () => {
  it('are 16 url-safe characters, distinct, and never read as a code', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newRoomId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(isRoomId(id)).toBe(true);
      expect(normalizeRoomCode(id)).toBeUndefined();
    }
    expect(isRoomId('AB3K7M')).toBe(false);
  });
});
