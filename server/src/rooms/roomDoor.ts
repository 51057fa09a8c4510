// A hosted room's seat check as the room asks it at HELLO: seatAdmission.ts's verdict turned into a
// close code and a reason. Built once per room; runs once per HELLO. Time is read here, as epoch ms
// (a seat's expiry is wall-clock time, the same on every process).
import { CloseCode } from '@tickwire/protocol';
import type { SeatDoor } from '../room/roomState.js';
import type { SeatTable } from './roomBook.js';
import { type AdmissionRefusal, admitSeat } from './seatAdmission.js';

/** Each refusal's close code and the reason sent with it: the one table PROTOCOL.md's seat codes follow. */
export const SEAT_REFUSALS: { readonly [R in AdmissionRefusal]: { code: CloseCode; reason: string } } = {
  malformed: { code: CloseCode.SEAT_REFUSED, reason: 'no seat, or not a seat: get one from POST /matchmake' },
  'bad-signature': { code: CloseCode.SEAT_REFUSED, reason: 'seat not signed by this server' },
  'other-room': { code: CloseCode.SEAT_REFUSED, reason: 'seat is for another room' },
  'not-pending': { code: CloseCode.SEAT_REFUSED, reason: 'seat was not issued by this room' },
  expired: { code: CloseCode.SEAT_EXPIRED, reason: 'seat expired: matchmake again' },
  used: { code: CloseCode.SEAT_USED, reason: 'seat already used' },
  'room-full': { code: CloseCode.ROOM_FULL, reason: 'room full' },
};

export interface DoorOptions {
  secret: Uint8Array;
  roomId: string;
  /** The room's pending seats (the directory's); undefined once the room is no longer listed. */
  seats: () => SeatTable | undefined;
  maxPlayers: number;
  /** Wall-clock time, ms since the epoch. */
  epochNow: () => number;
}

export function roomDoor(options: DoorOptions): SeatDoor {
  const { secret, roomId, seats, maxPlayers, epochNow } = options;
  return (seat, players) => {
    const table = seats();
    if (table === undefined) return SEAT_REFUSALS['not-pending'];
    const admission = admitSeat({ secret, roomId, seats: table, players, maxPlayers }, seat, epochNow());
    return admission.ok ? undefined : SEAT_REFUSALS[admission.refusal];
  };
}
