// The matchmaker: turns a POST /matchmake body into a signed seat in a room. Runs once per call.
// It talks only to the room directory and to the process's createRoom callback (and signs seats);
// time is passed in as epoch ms, since a seat's expiry must mean the same on every process.
//
// Overfill cannot happen here: each reservation is one directory step that checks the fill rule and
// records the seat without yielding (directory.ts). joinOrCreate also keeps matches compact under a
// burst: while one call creates a room for a (scenario, size), other calls that found no free seat
// wait for that room instead of each creating their own, then try again to reserve.
import type { MatchmakeError } from '@tickwire/protocol';
import { roomOfResumeToken } from '../room/resumeTokens.js';
import type { RoomDirectory, SeatHold } from './directory.js';
import type { GuessLimiter } from './guessLimiter.js';
import {
  defaultPlayersOf,
  type MatchmakeRequest,
  parseMatchmakeRequest,
  type RequestRules,
} from './matchmakeRequest.js';
import { claimRoomCode, newRoomId, type RandomBytes } from './roomCode.js';
import { newSeatNonce, signSeat } from './seat.js';
import { SeatQuota } from './seatQuota.js';

/** How long a seat stays valid after it is issued. @default 15 000 ms */
export const SEAT_TTL_MS = 15_000;
/**
 * Rounds of "no free seat, wait for the room being created, try again" one joinOrCreate may go
 * through before answering 503. Each round follows a room created with free seats, so a call loses
 * a round only to other callers; 500 concurrent calls into rooms of 8 need at most ~63. @default 1 000
 */
const MAX_JOIN_ROUNDS = 1000;

export { MATCHMAKE_ERRORS, type MatchmakeError } from '@tickwire/protocol';

/** What a room is made with: its shape (what joinOrCreate matches on) plus its id and privacy. */
export interface RoomShape {
  scenario: string;
  maxPlayers: number;
  /** Hz, within the process's --tick-rate. */
  tickRate: number;
  /** Hz, at most the room's tick rate. */
  snapshotRate: number;
  /** How far each client sees, world units, 0 = everything (RoomOptions.viewRadius); not matched on. */
  viewRadius: number;
}

export interface RoomSettings extends RoomShape {
  id: string;
  private: boolean;
}

/** What the process answers when asked for a room: made (at this tick rate), or refused. */
export type CreateOutcome = { ok: true; tickRate: number } | { ok: false; reason: 'at-capacity' | 'draining' };

export interface MatchmakerOptions {
  directory: RoomDirectory;
  /** Make the room (scheduled, lifecycle started); the matchmaker lists it in the directory after. */
  createRoom(settings: RoomSettings): CreateOutcome | Promise<CreateOutcome>;
  secret: Uint8Array;
  rules: RequestRules;
  guesses: GuessLimiter;
  /** Whether a room is live in this process (resume: where a room is). */
  liveRoom?: (roomId: string) => boolean;
  /** Seats outstanding per address. @default a SeatQuota of SEATS_PER_ADDRESS */
  quota?: SeatQuota;
  /** Whether the process takes no players at all now (draining, at its player cap). */
  refusal?: () => 'at-capacity' | 'draining' | undefined;
  seatTtlMs?: number;
  random?: RandomBytes;
}

export type MatchmakeResult =
  /** `code`: the private room's code, for the creator to share (create with private: true only). */
  | {
      ok: true;
      roomId: string;
      seat: string;
      expiresAt: number;
      code?: string;
      nonce: string;
      /** The hosting process's public URL, with --redis-url (the room's socket is derived from it). */
      processUrl?: string;
      /** The caller's requestId: its retry gets this same seat, so a lost answer's seat is not given back. */
      requestId?: string;
    }
  | { ok: false; error: MatchmakeError; message: string };

function failure(error: MatchmakeError, message: string): MatchmakeResult {
  return { ok: false, error, message };
}

export class Matchmaker {
  private readonly seatTtlMs: number;
  private readonly quota: SeatQuota;
  /** joinOrCreate's room creations in flight, per (scenario, size) key. */
  private readonly creating = new Map<string, Promise<unknown>>();
  /** Answers by requestId, kept for a seat's lifetime, so a retry gets the first answer (insertion = expiry order). */
  private readonly answered = new Map<string, { result: Promise<MatchmakeResult>; expiresAtMs: number }>();

  constructor(private readonly options: MatchmakerOptions) {
    this.seatTtlMs = options.seatTtlMs ?? SEAT_TTL_MS;
    this.quota = options.quota ?? new SeatQuota();
  }

  /**
   * Give back a seat whose answer never reached its caller (the connection went first): its place is
   * free again at once instead of when it expires. Harmless for a seat already used or gone.
   */
  async release(roomId: string, nonce: string): Promise<void> {
    await this.options.directory.releaseSeat(roomId, nonce);
  }

  /** Answer one call. `addressKey` is the caller's address key (undefined when exempt, e.g. loopback). */
  async matchmake(body: unknown, addressKey: string | undefined, nowMs: number): Promise<MatchmakeResult> {
    const parsed = parseMatchmakeRequest(body, this.options.rules);
    if (!parsed.ok) return failure('bad-request', parsed.message);
    // Where a room is now is answered even while draining: it issues no seat.
    if (parsed.request.mode === 'resume') return this.resume(parsed.request.resumeToken, nowMs);
    const refusal = this.options.refusal?.();
    if (refusal !== undefined) return failure(refusal, refusalMessage(refusal));
    if (!this.quota.allows(addressKey, nowMs)) {
      return failure('too-many-requests', 'too many seats outstanding from this address: use one or let it expire');
    }
    const request = parsed.request;
    const { requestId } = request;
    if (requestId === undefined) return this.fresh(request, addressKey, nowMs);
    for (const [id, kept] of this.answered) {
      if (kept.expiresAtMs > nowMs) break;
      this.answered.delete(id);
    }
    const kept = this.answered.get(requestId);
    if (kept !== undefined) return kept.result;
    const result = this.fresh(request, addressKey, nowMs).then((answer) => {
      // A refusal is not kept: the retry asks again.
      if (!answer.ok) this.answered.delete(requestId);
      return answer.ok ? { ...answer, requestId } : answer;
    });
    this.answered.set(requestId, { result, expiresAtMs: nowMs + this.seatTtlMs });
    return result;
  }

  private async fresh(
    request: MatchmakeRequest,
    addressKey: string | undefined,
    nowMs: number,
  ): Promise<MatchmakeResult> {
    const seat: SeatHold = { nonce: newSeatNonce(), expiresAtMs: nowMs + this.seatTtlMs };
    const result = await this.answer(request, seat, addressKey, nowMs);
    if (result.ok) this.quota.add(addressKey, seat.expiresAtMs, nowMs);
    return result;
  }

  private answer(
    request: MatchmakeRequest,
    seat: SeatHold,
    addressKey: string | undefined,
    nowMs: number,
  ): Promise<MatchmakeResult> {
    switch (request.mode) {
      case 'join':
        return this.join(request, seat, addressKey, nowMs);
      case 'create':
        return this.create(request, seat, nowMs);
      case 'joinOrCreate':
        return this.joinOrCreate(request, seat, nowMs);
      case 'resume':
        return this.resume(request.resumeToken, nowMs);
    }
  }

  /** resume: the room a resume token names, if it is live here; no seat (HELLO carries the token). */
  private async resume(token: string, nowMs: number): Promise<MatchmakeResult> {
    const roomId = roomOfResumeToken(this.options.secret, token, nowMs);
    if (roomId === undefined) return failure('bad-request', 'resumeToken is not a resume token of this server');
    if (this.options.liveRoom?.(roomId) !== true) return failure('no-such-room', 'the room has ended');
    return { ok: true, roomId, seat: '', expiresAt: 0, nonce: '' };
  }

  private async join(
    request: Extract<MatchmakeRequest, { mode: 'join' }>,
    seat: SeatHold,
    addressKey: string | undefined,
    nowMs: number,
  ): Promise<MatchmakeResult> {
    const { directory, guesses } = this.options;
    let roomId = request.roomId;
    if (request.code !== undefined) {
      if (!guesses.allows(addressKey, nowMs))
        return failure('too-many-requests', 'too many wrong room codes; wait a minute');
      roomId = (await directory.findByCode(request.code, nowMs))?.id;
      if (roomId === undefined) {
        guesses.wrongGuess(addressKey, nowMs);
        return failure('no-such-room', 'no room has that code');
      }
    }
    const reservation = await directory.reserveSeat(roomId!, seat, nowMs);
    if (!reservation.ok) {
      return reservation.reason === 'room-full'
        ? failure('room-full', 'the room is full')
        : failure('no-such-room', 'no such room (it may have ended)');
    }
    return this.seated(reservation.room.id, seat);
  }

  private async create(
    request: Extract<MatchmakeRequest, { mode: 'create' }>,
    seat: SeatHold,
    nowMs: number,
  ): Promise<MatchmakeResult> {
    const { scenario, maxPlayers, tickRate, snapshotRate, viewRadius } = request;
    const made = await this.createAndList(
      { scenario, maxPlayers, tickRate, snapshotRate, viewRadius },
      request.private,
      seat,
      nowMs,
    );
    if (!made.ok) return made;
    return this.seated(made.roomId, seat, made.code);
  }

  private async joinOrCreate(
    request: Extract<MatchmakeRequest, { mode: 'joinOrCreate' }>,
    seat: SeatHold,
    nowMs: number,
  ): Promise<MatchmakeResult> {
    const { directory, rules } = this.options;
    const { scenario, maxPlayers, tickRate, snapshotRate, viewRadius } = request;
    const query = maxPlayers === undefined ? { scenario, tickRate } : { scenario, tickRate, maxPlayers };
    const key = `${scenario}/${maxPlayers ?? '*'}/${tickRate}`;
    for (let round = 0; round < MAX_JOIN_ROUNDS; round++) {
      const room = await directory.reserveJoinable(query, seat, nowMs);
      if (room !== undefined) return this.seated(room.id, seat);
      const inFlight = this.creating.get(key);
      if (inFlight !== undefined) {
        await inFlight;
        continue;
      }
      const shape = {
        scenario,
        maxPlayers: maxPlayers ?? defaultPlayersOf(rules, viewRadius),
        tickRate,
        snapshotRate,
        viewRadius,
      };
      const creation = this.createAndList(shape, false, seat, nowMs);
      this.creating.set(key, creation);
      try {
        const made = await creation;
        return made.ok ? this.seated(made.roomId, seat) : made;
      } finally {
        this.creating.delete(key);
      }
    }
    return failure('at-capacity', 'too many players are joining at once; try again');
  }

  /** Make a room and list it with `seat` already reserved in it (so a burst cannot take the creator's place). */
  private async createAndList(
    shape: RoomShape,
    isPrivate: boolean,
    seat: SeatHold,
    nowMs: number,
  ): Promise<{ ok: true; roomId: string; code?: string } | { ok: false; error: MatchmakeError; message: string }> {
    const { directory, random } = this.options;
    const id = newRoomId(random);
    const outcome = await this.options.createRoom({ ...shape, id, private: isPrivate });
    if (!outcome.ok) return { ok: false, error: outcome.reason, message: refusalMessage(outcome.reason) };
    const { scenario, maxPlayers, viewRadius } = shape;
    const room = {
      id,
      scenario,
      maxPlayers,
      tickRate: outcome.tickRate,
      viewRadius,
      createdAt: nowMs,
      private: isPrivate,
    };
    if (!isPrivate) {
      const added = await directory.add({ ...room, code: undefined }, seat);
      if (added !== 'added') throw new Error(`a fresh room id was already listed (${added})`);
      return { ok: true, roomId: id };
    }
    const code = await claimRoomCode(
      async (candidate) => (await directory.add({ ...room, code: candidate }, seat)) === 'added',
      random,
    );
    // Unlisted, the room was never joinable; its lifecycle disposes it after roomIdleMs like any never-joined room.
    if (code === undefined) return { ok: false, error: 'at-capacity', message: 'no free room code; try again' };
    return { ok: true, roomId: id, code };
  }

  private seated(roomId: string, seat: SeatHold, code?: string): MatchmakeResult {
    const token = signSeat(this.options.secret, { room: roomId, exp: seat.expiresAtMs, nonce: seat.nonce });
    const result = { ok: true as const, roomId, seat: token, expiresAt: seat.expiresAtMs, nonce: seat.nonce };
    return code === undefined ? result : { ...result, code };
  }
}

function refusalMessage(reason: 'at-capacity' | 'draining'): string {
  return reason === 'draining' ? 'this server is shutting down; try again' : 'this server is full; try again later';
}
