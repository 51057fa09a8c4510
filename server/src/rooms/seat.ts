// Seats: a signed, expiring permission to take one place in one room. Signed once per matchmaking
// call, verified once per HELLO that carries one. Pure apart from node:crypto; time is passed in.
//
//   token  = base64url(JSON claims) "." base64url(HMAC-SHA256(secret, the first part))
//   claims = { "v": 1, "room": id, "exp": ms since the epoch, "nonce": 16 random bytes, "ext"?: {…} }
//
// The MAC covers the claims' text as sent, so verifying never re-serialises anything, and nothing an
// unsigned token says is parsed: the MAC is checked before the JSON is read. `ext` is where later
// claims go (a room's settings, the hosting process's URL) without a new format; a token of another
// `v` is refused as malformed, so a format change is a version bump, never a silent misreading.
// Expiry is absolute wall-clock time (epoch ms), because a seat may be signed by one process and
// checked by another.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The seat format's version; `verifySeat` refuses any other. */
export const SEAT_VERSION = 1;
/** Longest token accepted (and signed): a HELLO field, so bounded whatever a client sends. @default 512 chars */
export const MAX_SEAT_TOKEN_CHARS = 512;
/** Random bytes in a nonce: 128 bits, so two seats never share one by chance. */
export const SEAT_NONCE_BYTES = 16;
/** HMAC-SHA256 output: 32 bytes, 43 characters of unpadded base64url. */
const MAC_CHARS = 43;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Room ids and nonces are short base64url words; anything else in a token is malformed. */
const WORD = /^[A-Za-z0-9_-]{1,64}$/;

/** A JSON value, for the claims a later issue adds under `ext`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface SeatClaims {
  /** The room the seat is for; any other room refuses it. */
  room: string;
  /** When the seat stops being valid, ms since the epoch. */
  exp: number;
  /** Names this seat in the room's pending table; a seat is used once. */
  nonce: string;
  /** Claims added by later issues (room settings, process URL), signed with the rest. */
  ext?: { [key: string]: JsonValue };
}

/** Why a token was refused: unreadable (any garbage, any length), not signed by us, or too late. */
export type SeatRefusal = 'malformed' | 'bad-signature' | 'expired';

export type SeatCheck = { ok: true; claims: SeatClaims } | { ok: false; refusal: SeatRefusal };

/** A fresh random nonce (base64url, 22 characters). */
export function newSeatNonce(): string {
  return randomBytes(SEAT_NONCE_BYTES).toString('base64url');
}

function mac(secret: Uint8Array, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/**
 * Sign `claims` into a token. Throws (a bug of the caller, never a client's doing) when a claim is
 * out of shape or the token would exceed MAX_SEAT_TOKEN_CHARS, which verifySeat would refuse.
 */
export function signSeat(secret: Uint8Array, claims: SeatClaims): string {
  if (!WORD.test(claims.room) || !WORD.test(claims.nonce) || !Number.isFinite(claims.exp)) {
    throw new RangeError('seat claims out of shape');
  }
  const payload: Record<string, JsonValue> = {
    v: SEAT_VERSION,
    room: claims.room,
    exp: claims.exp,
    nonce: claims.nonce,
  };
  if (claims.ext !== undefined) payload.ext = claims.ext;
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const token = `${body}.${mac(secret, body).toString('base64url')}`;
  if (token.length > MAX_SEAT_TOKEN_CHARS) throw new RangeError(`seat token over ${MAX_SEAT_TOKEN_CHARS} chars`);
  return token;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Read signed claims; undefined if they are not a seat of this version (only a leaked secret gets here). */
function readClaims(body: string): SeatClaims | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isPlainObject(parsed) || parsed.v !== SEAT_VERSION) return undefined;
  const { room, exp, nonce, ext } = parsed;
  if (typeof room !== 'string' || !WORD.test(room)) return undefined;
  if (typeof nonce !== 'string' || !WORD.test(nonce)) return undefined;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined;
  if (ext !== undefined && !isPlainObject(ext)) return undefined;
  const claims: SeatClaims = { room, exp, nonce };
  if (ext !== undefined) claims.ext = ext as { [key: string]: JsonValue };
  return claims;
}

/**
 * Check a token from the network at `nowMs` (epoch ms). Never throws, whatever `token` is. The
 * caller still has to check that `claims.room` is its room and claim `claims.nonce` in its
 * pending table (pendingSeats.ts): a valid signature alone does not admit anyone.
 */
export function verifySeat(secret: Uint8Array, token: unknown, nowMs: number): SeatCheck {
  if (typeof token !== 'string' || token.length > MAX_SEAT_TOKEN_CHARS) return { ok: false, refusal: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length - dot - 1 !== MAC_CHARS) return { ok: false, refusal: 'malformed' };
  const body = token.slice(0, dot);
  const sent = token.slice(dot + 1);
  if (!BASE64URL.test(body) || !BASE64URL.test(sent)) return { ok: false, refusal: 'malformed' };
  const sentMac = Buffer.from(sent, 'base64url');
  const expected = mac(secret, body);
  // 43 base64url chars always decode to 32 bytes, but timingSafeEqual throws on a length mismatch.
  if (sentMac.length !== expected.length || !timingSafeEqual(sentMac, expected)) {
    return { ok: false, refusal: 'bad-signature' };
  }
  const claims = readClaims(body);
  if (claims === undefined) return { ok: false, refusal: 'malformed' };
  if (nowMs >= claims.exp) return { ok: false, refusal: 'expired' };
  return { ok: true, claims };
}
