// What the join screen says when a game connection ends, for each way it can end; read once per
// disconnect.
// Keyed by the protocol's close-code table, so a code added there without a message here fails the
// type check (the names come from the table, never from a second list).
import { CloseCode, closeCodeName } from '@tickwire/protocol';

export interface DisconnectMessage {
  /** One line: what happened, for a player. */
  title: string;
  /** The code's name and number, and the server's reason when it gave one. */
  detail: string;
}

const MESSAGES: { readonly [K in keyof typeof CloseCode]: string } = {
  SERVER_SHUTDOWN: 'The server shut down.',
  INVALID_PAYLOAD: 'The server refused a message from this client (not valid UTF-8).',
  POLICY_VIOLATION: 'The lobby refused a message from this client.',
  FRAME_TOO_LARGE: 'The server refused a message from this client (too large).',
  INTERNAL_ERROR: 'The server hit an error of its own and closed this game. Join again.',
  TEXT_FRAME: 'The server refused a message from this client (text frame).',
  UNDECODABLE: 'The server could not decode a message from this client.',
  INVALID_MESSAGE: 'The server refused a malformed message from this client.',
  UNKNOWN_MESSAGE: 'The server refused an unknown message from this client.',
  UNEXPECTED_MESSAGE: 'The server refused a message sent at the wrong time.',
  VERSION_MISMATCH: 'This page speaks another protocol version than the server: reload it.',
  ROOM_FULL: 'The room is full. Try again in a moment.',
  INPUT_FLOOD: 'Disconnected for sending too many messages.',
  HANDSHAKE_TIMEOUT: 'The server timed out waiting for this client to join.',
  SLOW_CLIENT: 'Disconnected: this connection could not keep up with the server.',
  MAP_MISMATCH: 'This page has another map than the server: reload it.',
  IDLE_KICK: 'Removed from the game for being idle too long.',
  JOIN_RATE: 'Too many joins from this address. Wait a minute and try again.',
  SEAT_REFUSED: 'The room did not accept this seat. Find a game again from the lobby.',
  SEAT_EXPIRED: 'The seat in this room expired before the game opened. Find a game again.',
  SEAT_USED: 'This seat was already used. Find a game again from the lobby.',
  ROOM_CLOSED: 'The room was closed.',
  SESSION_EXPIRED: 'Your place in the game was given up after the connection dropped. Join again.',
  REPLACED: 'This game continues in another tab or connection.',
  MOVED: 'The room moved to another server.',
  RESUME_REFUSED: 'The server refused to resume this game. Join again.',
};

const byCode = new Map<number, string>(
  Object.entries(CloseCode).map(([name, code]) => [code, MESSAGES[name as keyof typeof CloseCode]]),
);

/** RFC 6455 codes the server never sends but a browser reports. */
const NORMAL_CLOSURE = 1000;
const ABNORMAL_CLOSURE = 1006;
const PROTOCOL_ERROR = 1002;

/** The message for a close event: `code` from the socket, `reason` as the server wrote it. */
export function disconnectMessage(code: number, reason: string): DisconnectMessage {
  const known = byCode.get(code);
  const title =
    known ??
    (code === ABNORMAL_CLOSURE
      ? 'Connection lost: the server could not be reached or went away.'
      : code === PROTOCOL_ERROR
        ? 'This client could not understand the server.'
        : code === NORMAL_CLOSURE
          ? 'The connection was closed.'
          : 'The connection ended.');
  const name = known !== undefined ? closeCodeName(code) : code === ABNORMAL_CLOSURE ? 'connection lost' : `code`;
  return { title, detail: `${name} (${code})${reason ? `: ${reason}` : ''}` };
}
