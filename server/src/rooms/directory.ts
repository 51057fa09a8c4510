// The room directory: which rooms exist, how full they are, and which one a player should join.
// Asked once per matchmaking call, per /rooms listing and per occupancy change; time is passed in.
//
// `RoomDirectory` is async because the scale-out issue puts it on Redis (one Lua script per atomic
// step there). `InMemoryDirectory` is the embedded default. Every check-then-act step is ONE method
// (reserveSeat, reserveJoinable, add with its first seat), so no caller ever awaits between a
// capacity check and the reservation it allows: in memory each such method runs without yielding,
// so hundreds of concurrent matchmaking calls cannot overfill a room.
//
// Occupancy comes in as absolute values (the room is the truth about its players), never as +1/−1,
// which drift across retries and outages. Pending seats are the directory's: the in-memory one keeps
// each room's PendingSeats table, which the process hands to the room to claim seats against.
import { PendingSeats } from './pendingSeats.js';
import { canReserveSeat } from './roomCapacity.js';

export interface RoomListing {
  id: string;
  scenario: string;
  maxPlayers: number;
  /** Players in the room, as the room last reported. */
  players: number;
  /** Seats issued and neither used nor expired. */
  pending: number;
  tickRate: number;
  /** How far each client sees, world units, 0 = everything (RoomOptions.viewRadius). */
  viewRadius: number;
  /** When the room was made, ms since the epoch. */
  createdAt: number;
  /** A private room is never listed or picked by joinOrCreate; it is joined by id or code. */
  private: boolean;
  /** The short code (roomCode.ts), for private rooms; undefined for public ones. */
  code: string | undefined;
}

export type NewRoom = Omit<RoomListing, 'players' | 'pending'>;

export interface JoinQuery {
  scenario: string;
  /** Only rooms of exactly this size, when given. */
  maxPlayers?: number;
  /** Only rooms ticking at this rate, Hz, when given. */
  tickRate?: number;
}

/** A seat being reserved: the nonce it is signed with and when it expires (epoch ms). */
export interface SeatHold {
  nonce: string;
  expiresAtMs: number;
}

export type AddResult = 'added' | 'id-taken' | 'code-taken';
export type Reservation = { ok: true; room: RoomListing } | { ok: false; reason: 'no-such-room' | 'room-full' };

export interface RoomDirectory {
  /** List a new room, atomically with its first seat when given (the creator's), so nobody takes it first. */
  add(room: NewRoom, firstSeat: SeatHold | undefined): Promise<AddResult>;
  /** The room's player count, as an absolute value. Unknown rooms are ignored (it was removed). */
  updateOccupancy(roomId: string, players: number): Promise<void>;
  remove(roomId: string): Promise<void>;
  get(roomId: string, nowMs: number): Promise<RoomListing | undefined>;
  findByCode(code: string, nowMs: number): Promise<RoomListing | undefined>;
  /** Public rooms, oldest first. */
  listPublic(nowMs: number): Promise<RoomListing[]>;
  /** The fullest public room matching `query` with a free seat (players + pending < maxPlayers). */
  findJoinable(query: JoinQuery, nowMs: number): Promise<RoomListing | undefined>;
  /** Reserve a seat in this room if it has a free one: the check and the reservation are one step. */
  reserveSeat(roomId: string, seat: SeatHold, nowMs: number): Promise<Reservation>;
  /** Give back a seat issued and not used (its answer never reached the caller). */
  releaseSeat(roomId: string, nonce: string): Promise<void>;
  /** findJoinable and reserveSeat as one step: the room the seat went to, or undefined if none had room. */
  reserveJoinable(query: JoinQuery, seat: SeatHold, nowMs: number): Promise<RoomListing | undefined>;
}

interface Entry {
  room: NewRoom;
  players: number;
  seats: PendingSeats;
}

export class InMemoryDirectory implements RoomDirectory {
  private readonly rooms = new Map<string, Entry>();
  private readonly byCode = new Map<string, Entry>();
  /** Public rooms per scenario: what joinOrCreate searches, so its cost is the rooms that match. */
  private readonly publicByScenario = new Map<string, Set<Entry>>();

  /** The pending-seat table of a room, for the room to claim seats against (in-memory only). */
  seatsOf(roomId: string): PendingSeats | undefined {
    return this.rooms.get(roomId)?.seats;
  }

  get size(): number {
    return this.rooms.size;
  }

  async add(room: NewRoom, firstSeat: SeatHold | undefined): Promise<AddResult> {
    if (this.rooms.has(room.id)) return 'id-taken';
    if (room.code !== undefined && this.byCode.has(room.code)) return 'code-taken';
    const entry: Entry = { room: { ...room }, players: 0, seats: new PendingSeats() };
    if (firstSeat !== undefined) entry.seats.issue(firstSeat.nonce, firstSeat.expiresAtMs); // maxPlayers ≥ 1
    this.rooms.set(room.id, entry);
    if (room.code !== undefined) this.byCode.set(room.code, entry);
    if (!room.private) {
      const set = this.publicByScenario.get(room.scenario) ?? new Set<Entry>();
      this.publicByScenario.set(room.scenario, set);
      set.add(entry);
    }
    return 'added';
  }

  async updateOccupancy(roomId: string, players: number): Promise<void> {
    const entry = this.rooms.get(roomId);
    if (entry !== undefined) entry.players = players;
  }

  async remove(roomId: string): Promise<void> {
    const entry = this.rooms.get(roomId);
    if (entry === undefined) return;
    this.rooms.delete(roomId);
    if (entry.room.code !== undefined) this.byCode.delete(entry.room.code);
    const set = this.publicByScenario.get(entry.room.scenario);
    set?.delete(entry);
    if (set?.size === 0) this.publicByScenario.delete(entry.room.scenario);
  }

  async get(roomId: string, nowMs: number): Promise<RoomListing | undefined> {
    const entry = this.rooms.get(roomId);
    return entry && listing(entry, nowMs);
  }

  async findByCode(code: string, nowMs: number): Promise<RoomListing | undefined> {
    const entry = this.byCode.get(code);
    return entry && listing(entry, nowMs);
  }

  async listPublic(nowMs: number): Promise<RoomListing[]> {
    const rooms: RoomListing[] = [];
    for (const set of this.publicByScenario.values()) for (const entry of set) rooms.push(listing(entry, nowMs));
    return rooms.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async findJoinable(query: JoinQuery, nowMs: number): Promise<RoomListing | undefined> {
    const entry = this.fullestJoinable(query, nowMs);
    return entry && listing(entry, nowMs);
  }

  async reserveSeat(roomId: string, seat: SeatHold, nowMs: number): Promise<Reservation> {
    const entry = this.rooms.get(roomId);
    if (entry === undefined) return { ok: false, reason: 'no-such-room' };
    if (!hasFreeSeat(entry, nowMs) || !entry.seats.issue(seat.nonce, seat.expiresAtMs)) {
      return { ok: false, reason: 'room-full' };
    }
    return { ok: true, room: listing(entry, nowMs) };
  }

  async releaseSeat(roomId: string, nonce: string): Promise<void> {
    this.rooms.get(roomId)?.seats.cancel(nonce);
  }

  async reserveJoinable(query: JoinQuery, seat: SeatHold, nowMs: number): Promise<RoomListing | undefined> {
    const entry = this.fullestJoinable(query, nowMs);
    if (entry === undefined || !entry.seats.issue(seat.nonce, seat.expiresAtMs)) return undefined;
    return listing(entry, nowMs);
  }

  /**
   * The fullest (players + pending) public room of the query with a free seat; the oldest on a tie,
   * so matches are compact and fill in a stable order. O(public rooms of the scenario).
   */
  private fullestJoinable(query: JoinQuery, nowMs: number): Entry | undefined {
    let best: Entry | undefined;
    let bestFill = -1;
    for (const entry of this.publicByScenario.get(query.scenario) ?? []) {
      if (query.maxPlayers !== undefined && entry.room.maxPlayers !== query.maxPlayers) continue;
      if (query.tickRate !== undefined && entry.room.tickRate !== query.tickRate) continue;
      if (!hasFreeSeat(entry, nowMs)) continue;
      const fill = entry.players + entry.seats.pending(nowMs);
      if (fill > bestFill || (fill === bestFill && best !== undefined && entry.room.createdAt < best.room.createdAt)) {
        best = entry;
        bestFill = fill;
      }
    }
    return best;
  }
}

function hasFreeSeat(entry: Entry, nowMs: number): boolean {
  return canReserveSeat({
    players: entry.players,
    pending: entry.seats.pending(nowMs),
    maxPlayers: entry.room.maxPlayers,
  });
}

function listing(entry: Entry, nowMs: number): RoomListing {
  return { ...entry.room, players: entry.players, pending: entry.seats.pending(nowMs) };
}
