// Keeping a player after a dropped connection and giving it back: a drop (per close that is not a
// consented leave), the grace's end (once a second, the room's sweep), and a HELLO with a resume
// token (per resume). PROTOCOL.md, Resuming, is the contract; the rules, in order:
//
//   token unreadable, forged, another room's ─────────────► 4020 RESUME_REFUSED
//   token past exp, or its player (id and life) not in room ► 4017 SESSION_EXPIRED
//   player away but its grace over (sweep not yet run) ───► removed, 4017 SESSION_EXPIRED
//   nonce not the player's current one (used before) ─────► 4020 RESUME_REFUSED
//   player away ──────────────────────────────────────────► resumed on this connection
//   player still connected (the old socket looks alive) ──► old one closed 4018 REPLACED, resumed
//
// A resume keeps the entity (id, generation), name, score, health and position; the connection is
// new in every other way: a new session, so input seq, ackTick, baseline, pings and the flood
// guard start afresh, and its first snapshot is a full one.
import { CloseCode } from '@tickwire/protocol';
import type { Entity } from 'ecsy';
import type { Session } from '../session/session.js';
import { Away, NetworkId, PlayerControl } from '../sim/components.js';
import { writable } from '../sim/writable.js';
import { reject, removePlayer, stopInputs, welcome } from './membership.js';
import type { TokenRefusal } from './resumeTokens.js';
import type { RoomState } from './roomState.js';

/** Each refused token's close code and reason: the one table PROTOCOL.md's resume codes follow. */
export const RESUME_REFUSALS: { readonly [R in TokenRefusal | 'used' | 'gone']: { code: CloseCode; reason: string } } =
  {
    malformed: { code: CloseCode.RESUME_REFUSED, reason: 'not a resume token' },
    'bad-signature': { code: CloseCode.RESUME_REFUSED, reason: 'resume token not signed by this server' },
    'other-room': { code: CloseCode.RESUME_REFUSED, reason: 'resume token is for another room' },
    used: { code: CloseCode.RESUME_REFUSED, reason: 'resume token already used' },
    expired: { code: CloseCode.SESSION_EXPIRED, reason: 'session expired: join afresh' },
    gone: { code: CloseCode.SESSION_EXPIRED, reason: 'session expired: join afresh' },
  };

/**
 * A playing session's connection dropped (not consented): the player stays for the grace, its
 * entity standing still (no input repeated), neither firing nor hit, listed as reconnecting. It
 * leaves the sessions (no idle kick, no handshake timer) and the input feed.
 */
export function goAway(room: RoomState, session: Session, entity: Entity, nowMs: number): void {
  session.markAway(nowMs + room.reconnectGraceMs);
  room.away.set(session.playerId, session);
  stopInputs(room, session);
  const control = writable(entity, PlayerControl);
  control.moveX = 0;
  control.moveY = 0;
  control.buttons = 0;
  control.fresh = false;
  // seq 0: the input system does not move its view on while nobody draws it (inputSystem.ts).
  control.seq = 0;
  if (!entity.hasComponent(Away)) entity.addComponent(Away);
  room.roster.changed();
  room.log.debug('away', { playerId: session.playerId, connectionId: session.connectionId });
}

/** Players whose grace is over at `nowMs` leave for good. One pass over the away players; once a second. */
export function expireAway(room: RoomState, nowMs: number): void {
  for (const session of [...room.away.values()]) {
    if (nowMs >= session.awayUntilMs) expire(room, session);
  }
}

function expire(room: RoomState, session: Session): void {
  const entity = room.players.get(session);
  room.away.delete(session.playerId);
  if (entity !== undefined) removePlayer(room, session, entity);
  else session.markClosed();
}

/** Every away player leaves now (the room closes or fails: nobody can come back to it). */
export function dropAway(room: RoomState): void {
  for (const session of [...room.away.values()]) expire(room, session);
}

/** A HELLO with a resume token (already past the version and rate checks): the rules above. */
export function resume(room: RoomState, session: Session, token: string, nowMs: number): void {
  const check = room.hooks.resumeTokens?.check(token);
  if (check === undefined) return refuse(room, session, 'gone');
  if (!check.ok) return refuse(room, session, check.refusal);
  const old = playerSession(room, check.playerId);
  // Another life on the same id is another player: this token's player is gone.
  if (old === undefined || generationOf(room, old) !== check.generation) return refuse(room, session, 'gone');
  if (old.state === 'away' && nowMs >= old.awayUntilMs) {
    expire(room, old);
    return refuse(room, session, 'gone');
  }
  if (old.resumeNonce === '' || old.resumeNonce !== check.nonce) return refuse(room, session, 'used');
  takeOver(room, old, session, nowMs);
}

function generationOf(room: RoomState, session: Session): number | undefined {
  return room.players.get(session)?.getComponent(NetworkId)?.generation;
}

function refuse(room: RoomState, session: Session, why: keyof typeof RESUME_REFUSALS): void {
  const { code, reason } = RESUME_REFUSALS[why];
  reject(room, session, code, reason);
}

/** The session holding player `playerId`, connected or away; one pass over the players (per resume). */
function playerSession(room: RoomState, playerId: number): Session | undefined {
  const away = room.away.get(playerId);
  if (away !== undefined) return away;
  for (const session of room.players.keys()) if (session.playerId === playerId) return session;
  return undefined;
}

/**
 * Player of `old` moves to `fresh`: same entity, name and chat limit; a new connection otherwise. A
 * connected `old` (its socket still looks alive) is closed with 4018 REPLACED first, at once.
 */
function takeOver(room: RoomState, old: Session, fresh: Session, nowMs: number): void {
  const entity = room.players.get(old)!;
  if (old.state === 'playing') {
    // Out of the sessions first, so its socket's own close event finds nothing left to do.
    room.sessions.delete(old);
    room.log.info('closing client', { connectionId: old.connectionId, code: CloseCode.REPLACED });
    old.close(CloseCode.REPLACED, 'resumed on another connection');
    room.counters.closes[CloseCode.REPLACED] = (room.counters.closes[CloseCode.REPLACED] ?? 0) + 1;
    stopInputs(room, old);
  }
  old.markClosed();
  room.away.delete(old.playerId);
  room.players.delete(old);
  fresh.state = 'playing';
  fresh.name = old.name;
  fresh.playerId = old.playerId;
  fresh.chatGuard = old.chatGuard;
  fresh.markActive(nowMs);
  // Nothing before this tick was sent to it: its ack lag counts from here, as for a join.
  fresh.ackTick = room.tick;
  room.players.set(fresh, entity);
  if (entity.hasComponent(Away)) entity.removeComponent(Away);
  room.inputs.add(fresh, writable(entity, PlayerControl));
  room.roster.changed();
  room.counters.resumes++;
  welcome(room, fresh);
  room.log.debug('resume', { playerId: fresh.playerId, connectionId: fresh.connectionId, from: old.connectionId });
}
