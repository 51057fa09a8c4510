// Closing a room's sessions from the server's side: the handshake and idle timeouts and the ends of
// reconnect graces (one pass, once per second), a fault in one connection's handling, a failed tick
// (every player), and shutdown.
import { CloseCode } from '@tickwire/protocol';
import type { Session } from '../session/session.js';
import { leave, reject } from './membership.js';
import { dropAway, expireAway } from './resume.js';
import type { RoomState } from './roomState.js';

/**
 * Close sockets that never said HELLO in time, and players idle for longer than the idle kick
 * (--idle-kick-ms, 0 for never); remove away players whose grace is over. One pass over the
 * sessions and one over the away players (who are in no session: no idle kick while away); call
 * once per second or so.
 */
export function expireSessions(
  room: RoomState,
  nowMs: number,
  onFault?: (error: unknown, session: Session) => void,
): void {
  const { handshakeTimeoutMs, idleKickMs } = room.config;
  if (room.away.size > 0) expireAway(room, nowMs);
  for (const session of room.sessions) {
    try {
      if (session.state === 'awaiting-hello' && nowMs - session.openedAtMs > handshakeTimeoutMs) {
        reject(room, session, CloseCode.HANDSHAKE_TIMEOUT, 'no HELLO in time');
      } else if (session.state === 'playing' && idleKickMs > 0 && nowMs - session.lastActiveMs > idleKickMs) {
        reject(room, session, CloseCode.IDLE_KICK, `no movement or button for ${Math.round(idleKickMs / 1000)} s`);
      }
    } catch (error) {
      // A timer working for one connection: its fault closes that connection, and the sweep goes on.
      if (onFault === undefined) throw error;
      onFault(error, session);
      closeOrLog(room, session);
    }
  }
}

/**
 * Close `session` with 1011 after a fault in its own handling, whatever state that left it in, and
 * take it out of the room. Never throws: if closing fails too, the session is dropped from the
 * table and that second error returned (the caller reports it and cuts the socket off).
 */
export function closeAfterFault(room: RoomState, session: Session, reason = 'internal server error'): unknown {
  try {
    session.close(CloseCode.INTERNAL_ERROR, reason);
    leave(room, session);
    return undefined;
  } catch (error) {
    room.sessions.delete(session);
    return error;
  }
}

/** closeAfterFault, with a failure to close logged. */
function closeOrLog(room: RoomState, session: Session, reason?: string): void {
  const second = closeAfterFault(room, session, reason);
  if (second === undefined) return;
  room.log.error('closing a connection after a fault failed', {
    connectionId: session.connectionId,
    error: String(second),
  });
}

/**
 * A tick threw: the world may be half-way through a system, so no tick runs again. Every player
 * is closed with 1011 and leaves the room's tables through leave(), as in any leave, so
 * sessions, players, ids and the roster stay in step. Never throws.
 */
export function fail(room: RoomState): void {
  room.failed = true;
  for (const session of [...room.sessions]) closeOrLog(room, session, 'the room failed (a server error)');
  dropAway(room);
}

/**
 * Close every session with `code` (shutdown, a room disposed). A session whose close throws is
 * dropped from the tables all the same (closeAfterFault) and the others are still closed; the first
 * such error is thrown at the end, for the caller to report.
 */
export function closeAll(room: RoomState, code: CloseCode, reason: string): void {
  let failure: unknown;
  for (const session of [...room.sessions]) {
    try {
      session.close(code, reason);
      leave(room, session);
    } catch (error) {
      failure ??= error;
      closeAfterFault(room, session);
    }
  }
  // Nobody comes back to a closed room: its away players go too.
  dropAway(room);
  if (failure !== undefined) throw failure;
}
