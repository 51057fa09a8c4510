// Names for rooms: random ids (for URLs and the directory) and short codes people read aloud (for
// private rooms). Drawn once per room created; `normalizeRoomCode` runs once per join by code.
//
// The code alphabet is 32 symbols: the digits 2–9 and the letters A–Z without I and O, so neither
// 0/O nor 1/I can be confused (none of the four is used). 32 symbols is 5 bits, so a random byte
// masked to 5 bits picks one uniformly. Six symbols: 2^30 ≈ 1.07e9 codes; with 256 live rooms a
// random guess hits one in 4 million tries, and guesses are rate-limited (guessLimiter.ts).
//
// Typed input is normalised, not guessed at: case folds to upper, spaces and hyphens go ("ab3 k7m"
// and "AB3-K7M" both read AB3K7M). No look-alike is mapped: 0, O, 1 and I are not in the alphabet
// at all, and "1" could be meant as L or I, so a code containing any of them is simply not a code.
import { randomBytes } from 'node:crypto';

export const ROOM_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const ROOM_CODE_LENGTH = 6;
/** Tries before giving up on a code not yet taken. With 2^30 codes, 8 collisions in a row mean the directory is broken, not full. @default 8 */
export const ROOM_CODE_TRIES = 8;
/** Random bytes in a room id: 96 bits, so an id is not guessable and needs no rate limit. */
const ROOM_ID_BYTES = 12;
const CODE_PATTERN = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);
const ID_PATTERN = /^[A-Za-z0-9_-]{16}$/;

export type RandomBytes = (size: number) => Uint8Array;

/** A room id: 16 base64url characters (never 6, so an id never reads as a code). */
export function newRoomId(random: RandomBytes = randomBytes): string {
  return Buffer.from(random(ROOM_ID_BYTES)).toString('base64url');
}

export function isRoomId(text: string): boolean {
  return ID_PATTERN.test(text);
}

/** A random code; not yet checked for uniqueness (see claimRoomCode). */
export function randomRoomCode(random: RandomBytes = randomBytes): string {
  const bytes = random(ROOM_CODE_LENGTH);
  let code = '';
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) code += ROOM_CODE_ALPHABET[(bytes[i] ?? 0) & 31];
  return code;
}

/** The code a person meant, or undefined if the text is not one (wrong length or symbols). */
export function normalizeRoomCode(text: string): string | undefined {
  if (text.length > 32) return undefined;
  const code = text.replace(/[\s-]/g, '').toUpperCase();
  return CODE_PATTERN.test(code) ? code : undefined;
}

/**
 * Draw codes until `tryClaim` takes one (it must check and take atomically, as the directory's add
 * does), at most `tries` times; undefined if every try collided.
 */
export async function claimRoomCode(
  tryClaim: (code: string) => boolean | Promise<boolean>,
  random: RandomBytes = randomBytes,
  tries = ROOM_CODE_TRIES,
): Promise<string | undefined> {
  for (let i = 0; i < tries; i++) {
    const code = randomRoomCode(random);
    if (await tryClaim(code)) return code;
  }
  return undefined;
}
