// The room's door on a fake clock: valid, expired, forged, replayed, other room, signed but not pending, full.
import { describe, expect, it } from 'vitest';
import { PendingSeats } from '../src/rooms/pendingSeats.js';
import { canReserveSeat, canSeatPlayer, freeSeats, roomCreationRefusal } from '../src/rooms/roomCapacity.js';
import { signSeat } from '../src/rooms/seat.js';
import { admitSeat, type RoomDoor } from '../src/rooms/seatAdmission.js';

const secret = Buffer.from('a test secret of at least thirty-two characters');
const ROOM = 'roomAAAAAAAAAAAA';

function door(players = 0, maxPlayers = 8): RoomDoor<PendingSeats> {
  return { secret, roomId: ROOM, seats: new PendingSeats(), players, maxPlayers };
}

function issued(d: RoomDoor<PendingSeats>, nonce: string, exp = 15_000): string {
  d.seats.issue(nonce, exp);
  return signSeat(secret, { room: d.roomId, exp, nonce });
}

describe('admitSeat', () => {
  it('admits a valid pending seat for this room', () => {
    const d = door();
    expect(admitSeat(d, issued(d, 'n1'), 1000)).toEqual({ ok: true, nonce: 'n1' });
    expect(d.seats.pending(1000)).toBe(0);
  });

  it('refuses an expired seat', () => {
    const d = door();
    expect(admitSeat(d, issued(d, 'n1', 15_000), 15_000)).toEqual({ ok: false, refusal: 'expired' });
  });

  it('refuses a forged seat (signed under another key)', () => {
    const d = door();
    d.seats.issue('n1', 15_000);
    const forged = signSeat(Buffer.from('not the secret, but thirty-two chars long'), {
      room: ROOM,
      exp: 15_000,
      nonce: 'n1',
    });
    expect(admitSeat(d, forged, 0)).toEqual({ ok: false, refusal: 'bad-signature' });
  });

  it('refuses a replayed seat', () => {
    const d = door();
    const token = issued(d, 'n1');
    admitSeat(d, token, 0);
    expect(admitSeat(d, token, 1)).toEqual({ ok: false, refusal: 'used' });
  });

  it("refuses another room's seat, even one pending there", () => {
    const d = door();
    const elsewhere = door();
    elsewhere.roomId = 'roomBBBBBBBBBBBB';
    const token = issued(elsewhere, 'n1');
    d.seats.issue('n1', 15_000);
    expect(admitSeat(d, token, 0)).toEqual({ ok: false, refusal: 'other-room' });
  });

  it('refuses a well-signed seat for this room that was never issued here', () => {
    const d = door();
    const token = signSeat(secret, { room: ROOM, exp: 15_000, nonce: 'n1' });
    expect(admitSeat(d, token, 0)).toEqual({ ok: false, refusal: 'not-pending' });
  });

  it('holds the hard cap whatever seats were issued, and the refused seat stays pending', () => {
    const d = door(8, 8);
    const token = issued(d, 'n1');
    expect(admitSeat(d, token, 0)).toEqual({ ok: false, refusal: 'room-full' });
    expect(d.seats.pending(0)).toBe(1);
  });
});

describe('the fill rule', () => {
  it('reserves while players + pending < maxPlayers', () => {
    expect(canReserveSeat({ players: 5, pending: 2, maxPlayers: 8 })).toBe(true);
    expect(canReserveSeat({ players: 5, pending: 3, maxPlayers: 8 })).toBe(false);
    expect(freeSeats({ players: 9, pending: 3, maxPlayers: 8 })).toBe(0);
  });

  it('seats a holder while players < maxPlayers (their seat was already counted)', () => {
    expect(canSeatPlayer(7, 8)).toBe(true);
    expect(canSeatPlayer(8, 8)).toBe(false);
  });

  it('refuses a room to a draining process, then one at its room cap', () => {
    expect(roomCreationRefusal({ rooms: 0, maxRooms: 4, draining: true })).toBe('draining');
    expect(roomCreationRefusal({ rooms: 4, maxRooms: 4, draining: false })).toBe('at-capacity');
    expect(roomCreationRefusal({ rooms: 3, maxRooms: 4, draining: false })).toBeUndefined();
  });
});
