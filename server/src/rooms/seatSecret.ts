// The server's seat-signing secret, chosen once at start: TICKWIRE_SEAT_SECRET when set, else random.
//
// TICKWIRE_SEAT_SECRET: at least 32 characters (its UTF-8 bytes are the HMAC key). Every process that
// must accept another's seats (the scale-out issue) needs the same value. Unset, each start draws
// 32 random bytes: seats signed before a restart are then refused as bad-signature, which is harmless
// (a seat lives 15 s) and the safe default for one process. A value shorter than 32 characters is a
// configuration error, not something to pad or accept.
import { randomBytes } from 'node:crypto';

export const SEAT_SECRET_ENV = 'TICKWIRE_SEAT_SECRET';
/** Shortest secret accepted from the environment. @default 32 chars */
export const MIN_SEAT_SECRET_CHARS = 32;

export interface SeatSecret {
  key: Uint8Array;
  /** Where the key came from, for the start-up log line (never the key itself). */
  source: 'env' | 'random';
}

/** Read the secret from `env`; throws a RangeError naming the variable if it is set but too short. */
export function seatSecretFrom(env: Readonly<Record<string, string | undefined>>): SeatSecret {
  const text = env[SEAT_SECRET_ENV];
  if (text === undefined || text === '') return { key: randomBytes(32), source: 'random' };
  if (text.length < MIN_SEAT_SECRET_CHARS) {
    throw new RangeError(`${SEAT_SECRET_ENV} must be at least ${MIN_SEAT_SECRET_CHARS} characters`);
  }
  return { key: Buffer.from(text, 'utf8'), source: 'env' };
}
