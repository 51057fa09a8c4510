// Where a hosting process keeps the books of its rooms: their seat tables, their occupancy and
// their listing. In memory (one process) it is the InMemoryDirectory; with --redis-url it is the
// cluster's (cluster/clusterRooms.ts). Called per HELLO with a seat, per players change, per
// room check (once a second) and per room disposed.
import type { InMemoryDirectory } from './directory.js';
import type { SeatClaimResult } from './pendingSeats.js';

/** What a room's door claims seats against. */
export interface SeatTable {
  /** Use a seat: 'ok' exactly once per issued nonce, before its expiry. */
  claim(nonce: string, nowMs: number): SeatClaimResult;
}

/** The room as the books know it. */
export interface BookedRoom {
  readonly id: string;
  readonly scenario: string;
  readonly maxPlayers: number;
  readonly tickRate: number;
  readonly snapshotRate: number;
  /** World units, 0 = everything (RoomOptions.viewRadius). */
  readonly viewRadius: number;
  readonly private: boolean;
  readonly code: string | undefined;
  readonly createdAt: number;
}

export interface RoomBook {
  /** The room's seat table; undefined once the room is no longer listed (its door then refuses). */
  seatsOf(roomId: string): SeatTable | undefined;
  /** Seats issued for the room and neither used nor expired at `epochMs`: they hold places like players. */
  pending(roomId: string, epochMs: number): number;
  /** The room's players, an absolute value (the room is the truth about them). */
  occupancy(room: BookedRoom, players: number): void;
  /**
   * The room is gone: unlist it. 'idle': disposed for having no players and no seat outstanding (a
   * cluster may still hold a seat for it that this process has not heard of: see clusterRooms.ts);
   * 'ended': failed or closed, unlisted whatever else.
   */
  remove(room: BookedRoom, why: 'idle' | 'ended'): void;
}

/** The one-process books: the in-memory directory's tables. */
export function inMemoryBook(directory: InMemoryDirectory): RoomBook {
  return {
    seatsOf: (roomId) => directory.seatsOf(roomId),
    pending: (roomId, epochMs) => directory.seatsOf(roomId)?.pending(epochMs) ?? 0,
    // In memory this settles before the next await of any caller: no reservation sees a stale count.
    occupancy: (room, players) => void directory.updateOccupancy(room.id, players),
    remove: (room) => void directory.remove(room.id), // in memory no seat can be out unseen
  };
}
