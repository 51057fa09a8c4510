// The room's door: whether the seat in a HELLO admits its holder. Runs once per HELLO with a seat.
// A seat admits only if its signature holds, it names THIS room, it is pending in this room's
// table (claimed here, so only once) and the room is under its hard cap. Time is passed in (epoch ms).
import type { SeatTable } from './roomBook.js';
import { canSeatPlayer } from './roomCapacity.js';
import { type SeatRefusal, verifySeat } from './seat.js';

/**
 * Every way a seat can be refused. 'other-room': signed for another room; 'not-pending': signed, for
 * this room, but never issued here (or swept after expiry); 'used': claimed before (a replay);
 * 'room-full': the hard cap held although a seat was pending.
 */
export type AdmissionRefusal = SeatRefusal | 'other-room' | 'not-pending' | 'used' | 'room-full';

export type Admission = { ok: true; nonce: string } | { ok: false; refusal: AdmissionRefusal };

export interface RoomDoor<T extends SeatTable = SeatTable> {
  secret: Uint8Array;
  roomId: string;
  seats: T;
  players: number;
  maxPlayers: number;
}

export function admitSeat(door: RoomDoor, token: unknown, nowMs: number): Admission {
  const check = verifySeat(door.secret, token, nowMs);
  if (!check.ok) return check;
  const { room, nonce } = check.claims;
  if (room !== door.roomId) return { ok: false, refusal: 'other-room' };
  // The cap comes before the claim: a refused holder keeps nothing, and the seat stays pending until
  // it expires (it still holds its place, so the count stays honest).
  if (!canSeatPlayer(door.players, door.maxPlayers)) return { ok: false, refusal: 'room-full' };
  const claim = door.seats.claim(nonce, nowMs);
  if (claim === 'ok') return { ok: true, nonce };
  if (claim === 'used') return { ok: false, refusal: 'used' };
  if (claim === 'expired') return { ok: false, refusal: 'expired' };
  return { ok: false, refusal: 'not-pending' };
}
