// Resume tokens: the seat format (rooms/seat.ts) naming one player of one room, signed once per
// accepted HELLO (in WELCOME) and checked once per HELLO that carries one. Time is passed in.
//
//   claims = { v: 1, room, exp: now + 24 h, nonce, ext: { k: 'resume', pl: playerId, gen } }
//
// `gen` is the player entity's generation: ids are reused (the lowest free one), so a token of a
// player gone names "no such player" even when a newer player holds its id.
// `exp` is a loose bound: what really limits a token is the room, which accepts it only while that
// player is still in it (away in its grace, or connected: a takeover) and only with the player's
// current nonce, so each token is accepted once (membership.ts resume()).
import { newSeatNonce, signSeat, verifySeat } from '../rooms/seat.js';

/** How long a resume token's signature stays valid, ms: a loose bound, the room decides. @default 24 h */
export const RESUME_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** `ext.k` of a resume token: a seat (which has no `k`) is never taken for one, nor one for a seat. */
const RESUME_KIND = 'resume';

/** A new token and the nonce the player must hold for it to be accepted. */
export interface IssuedToken {
  token: string;
  nonce: string;
}

/** Why a token names no player of this room: unreadable or forged, another room's, or past `exp`. */
export type TokenRefusal = 'malformed' | 'bad-signature' | 'other-room' | 'expired';

export type TokenCheck =
  | { ok: true; playerId: number; generation: number; nonce: string }
  | { ok: false; refusal: TokenRefusal };

/** What a room needs to issue and read resume tokens; the process builds one per room with its secret. */
export interface ResumeTokens {
  /** A token for player `playerId` in its life `generation` (NetworkId). */
  issue(playerId: number, generation: number): IssuedToken;
  check(token: string): TokenCheck;
}

export interface ResumeTokenOptions {
  /** The seat secret: a token is signed like a seat, so any process of the cluster can read it. */
  secret: Uint8Array;
  roomId: string;
  /** Wall-clock time, ms since the epoch. */
  epochNow: () => number;
}

export function resumeTokens(options: ResumeTokenOptions): ResumeTokens {
  const { secret, roomId, epochNow } = options;
  return {
    issue(playerId, generation) {
      const nonce = newSeatNonce();
      const token = signSeat(secret, {
        room: roomId,
        exp: epochNow() + RESUME_TOKEN_LIFETIME_MS,
        nonce,
        ext: { k: RESUME_KIND, pl: playerId, gen: generation },
      });
      return { token, nonce };
    },
    check(token) {
      const verified = verifySeat(secret, token, epochNow());
      if (!verified.ok) return verified;
      const { room, nonce, ext } = verified.claims;
      const playerId = ext?.pl;
      const generation = ext?.gen;
      if (ext?.k !== RESUME_KIND || !isPositiveInteger(playerId) || !isPositiveInteger(generation)) {
        return { ok: false, refusal: 'malformed' };
      }
      if (room !== roomId) return { ok: false, refusal: 'other-room' };
      return { ok: true, playerId, generation, nonce };
    },
  };
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** The room a resume token names, if it is a resume token signed with `secret` and not past `exp`. */
export function roomOfResumeToken(secret: Uint8Array, token: string, nowMs: number): string | undefined {
  const verified = verifySeat(secret, token, nowMs);
  if (!verified.ok || verified.claims.ext?.k !== RESUME_KIND) return undefined;
  return verified.claims.room;
}
