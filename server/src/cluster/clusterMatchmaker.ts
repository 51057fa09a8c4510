// The matchmaker of a process in a cluster (--redis-url): the same POST /matchmake contract as the
// one-process Matchmaker, answered for the whole cluster through the Redis directory. Runs once per
// call. The seat names the hosting process (its id and URL) and is signed with the cluster's shared
// secret, so that process checks it with no round trip; Redis only counts it against the room.
//
// A call Redis cannot answer within --redis-timeout-ms is 503 'unavailable' at once. A joinOrCreate
// that names no maxPlayers matches rooms of the default size (--max-players, at most 1,024 in a room
// with no view radius: defaultPlayersOf, as on one process): the index is per shape.

import { roomOfResumeToken } from '../room/resumeTokens.js';
import type { GuessLimiter } from '../rooms/guessLimiter.js';
import {
  defaultPlayersOf,
  type MatchmakeRequest,
  parseMatchmakeRequest,
  type RequestRules,
} from '../rooms/matchmakeRequest.js';
import type { MatchmakeError, MatchmakeResult } from '../rooms/matchmaker.js';
import { claimRoomCode, newRoomId, type RandomBytes } from '../rooms/roomCode.js';
import { newSeatNonce, signSeat } from '../rooms/seat.js';
import { SeatQuota } from '../rooms/seatQuota.js';
import type { Grant, GrantResult, RedisDirectory } from './redisDirectory.js';

export interface ClusterMatchmakerOptions {
  directory: RedisDirectory;
  secret: Uint8Array;
  rules: RequestRules;
  guesses: GuessLimiter;
  seatTtlMs: number;
  quota?: SeatQuota;
  /** Whether this process answers no calls now (draining). */
  refusal?: () => 'draining' | undefined;
  random?: RandomBytes;
}

const MESSAGES: Record<Exclude<GrantResult, { ok: true }>['reason'], [MatchmakeError, string]> = {
  'no-such-room': ['no-such-room', 'no such room (it may have ended)'],
  'room-full': ['room-full', 'the room is full'],
  'at-capacity': ['at-capacity', 'every server is full; try again later'],
  draining: ['draining', 'the servers are shutting down; try again'],
  'code-taken': ['at-capacity', 'no free room code; try again'],
  'id-taken': ['at-capacity', 'room id collision; try again'],
  late: ['unavailable', "the room's server has not been heard from for a moment; try again"],
};

function failure(error: MatchmakeError, message: string): MatchmakeResult {
  return { ok: false, error, message };
}

export class ClusterMatchmaker {
  private readonly quota: SeatQuota;

  constructor(private readonly options: ClusterMatchmakerOptions) {
    this.quota = options.quota ?? new SeatQuota();
  }

  async release(roomId: string, nonce: string): Promise<void> {
    await this.options.directory.release(roomId, nonce);
  }

  async matchmake(body: unknown, addressKey: string | undefined, nowMs: number): Promise<MatchmakeResult> {
    const parsed = parseMatchmakeRequest(body, this.options.rules);
    if (!parsed.ok) return failure('bad-request', parsed.message);
    // Where a room is now (it may have moved on a drain) is answered even while draining: no seat.
    if (parsed.request.mode === 'resume') return this.resume(parsed.request.resumeToken, nowMs);
    if (this.options.refusal?.() === 'draining') return failure('draining', 'this server is shutting down; try again');
    if (!this.quota.allows(addressKey, nowMs)) {
      return failure('too-many-requests', 'too many seats outstanding from this address: use one or let it expire');
    }
    let result: MatchmakeResult;
    try {
      result = await this.answer(parsed.request, addressKey, nowMs);
    } catch (error) {
      if (error instanceof Error && error.name === 'RedisUnavailableError') {
        return failure('unavailable', 'the room directory cannot be reached; rooms already running play on; try again');
      }
      throw error;
    }
    if (result.ok) this.quota.add(addressKey, result.expiresAt, nowMs);
    return result;
  }

  private async resume(token: string, nowMs: number): Promise<MatchmakeResult> {
    const roomId = roomOfResumeToken(this.options.secret, token, nowMs);
    if (roomId === undefined) return failure('bad-request', 'resumeToken is not a resume token of this cluster');
    let where: { url: string } | undefined;
    try {
      where = await this.options.directory.roomProcess(roomId);
    } catch (error) {
      if (error instanceof Error && error.name === 'RedisUnavailableError') {
        return failure('unavailable', 'the room directory cannot be reached; try again');
      }
      throw error;
    }
    if (where === undefined) return failure('no-such-room', 'the room has ended');
    return { ok: true, roomId, seat: '', expiresAt: 0, nonce: '', processUrl: where.url };
  }

  private async answer(
    request: MatchmakeRequest,
    addressKey: string | undefined,
    nowMs: number,
  ): Promise<MatchmakeResult> {
    const { directory, rules, seatTtlMs, guesses, random } = this.options;
    const { requestId } = request;
    const seat = { nonce: newSeatNonce(), requestId, ttlMs: seatTtlMs };
    const newId = () => newRoomId(random);
    if (request.mode === 'join') {
      let roomId = request.roomId;
      if (request.code !== undefined) {
        if (!guesses.allows(addressKey, nowMs))
          return failure('too-many-requests', 'too many wrong room codes; wait a minute');
        roomId = await directory.roomOfCode(request.code);
        if (roomId === undefined) {
          guesses.wrongGuess(addressKey, nowMs);
          return failure('no-such-room', 'no room has that code');
        }
      }
      return this.seated(await directory.join(roomId!, seat), requestId);
    }
    if (request.mode === 'joinOrCreate') {
      const shape = {
        scenario: request.scenario,
        maxPlayers: request.maxPlayers ?? defaultPlayersOf(rules, request.viewRadius),
        tickRate: request.tickRate,
        snapshotRate: request.snapshotRate,
        viewRadius: request.viewRadius,
      };
      return this.seated(await directory.joinOrCreate(shape, newId, seat), requestId);
    }
    if (request.mode === 'resume') return this.resume(request.resumeToken, nowMs);
    const { scenario, maxPlayers, tickRate, snapshotRate, viewRadius } = request;
    const shape = { scenario, maxPlayers, tickRate, snapshotRate, viewRadius };
    if (!request.private) {
      return this.seated(
        await directory.create({ id: newId(), shape, private: false, code: undefined }, seat),
        requestId,
      );
    }
    let last: GrantResult = { ok: false, reason: 'code-taken' };
    await claimRoomCode(async (code) => {
      last = await directory.create({ id: newId(), shape, private: true, code }, seat);
      return last.ok || last.reason !== 'code-taken';
    }, random);
    return this.seated(last, requestId);
  }

  private seated(result: GrantResult, requestId: string | undefined): MatchmakeResult {
    if (!result.ok) {
      const [error, message] = MESSAGES[result.reason];
      return failure(error, message);
    }
    const grant: Grant = result.grant;
    const seat = signSeat(this.options.secret, {
      room: grant.roomId,
      exp: grant.expiresAtMs,
      nonce: grant.nonce,
      ext: { p: grant.processId, u: grant.processUrl },
    });
    const answer: MatchmakeResult = {
      ok: true,
      roomId: grant.roomId,
      seat,
      expiresAt: grant.expiresAtMs,
      nonce: grant.nonce,
      processUrl: grant.processUrl,
    };
    if (grant.code !== undefined) answer.code = grant.code;
    if (requestId !== undefined) answer.requestId = requestId;
    return answer;
  }
}
