// The one table of WebSocket close codes the server uses; read when a connection ends.
// PROTOCOL.md documents every row. 1000–1015 are RFC 6455 codes; 4000–4099 are Tickwire's.

export const CloseCode = {
  /** The server is shutting down (SIGTERM). RFC 6455 "going away". */
  SERVER_SHUTDOWN: 1001,
  /** A close frame's reason was not valid UTF-8 (RFC 6455 §8.1: "invalid frame payload data"). */
  INVALID_PAYLOAD: 1007,
  /** The /lobby socket only: the viewer sent something other than the text "resync", or more than 4 frames in a second. RFC 6455 "policy violation". */
  POLICY_VIOLATION: 1008,
  /** A frame was larger than the server's cap (sent by ws itself when maxPayload is exceeded). */
  FRAME_TOO_LARGE: 1009,
  /** The server failed while handling this connection or its room (a bug): that connection, or room, is closed, the process carries on. */
  INTERNAL_ERROR: 1011,
  /** A text frame arrived; Tickwire speaks binary frames only. */
  TEXT_FRAME: 4000,
  /** The frame's bytes are not one whole MessagePack value. */
  UNDECODABLE: 4001,
  /** A known message with a wrong shape, type, or an out-of-range or non-finite number. */
  INVALID_MESSAGE: 4002,
  /** The first element of the message is not a known client → server id. */
  UNKNOWN_MESSAGE: 4003,
  /** A message not allowed in the session's state (INPUT before HELLO, a second HELLO). */
  UNEXPECTED_MESSAGE: 4004,
  /** HELLO carried a protocol version this server does not speak. */
  VERSION_MISMATCH: 4005,
  /** The room already holds its maximum number of players. */
  ROOM_FULL: 4006,
  /** Messages arrived faster than the flood limit for longer than its burst allowance. */
  INPUT_FLOOD: 4007,
  /** No HELLO within the handshake timeout after the socket opened. */
  HANDSHAKE_TIMEOUT: 4008,
  /** The client's socket stayed backed up (snapshots skipped) for longer than the limit. */
  SLOW_CLIENT: 4009,
  /** Sent by a client: WELCOME's mapHash is not the hash of the map the client loaded to predict with. */
  MAP_MISMATCH: 4010,
  /** The player sent no non-idle input (movement, buttons) for --idle-kick-ms. */
  IDLE_KICK: 4011,
  /** Too many HELLOs from one address within a minute (--joins-per-minute-per-ip). */
  JOIN_RATE: 4012,
  /** HELLO carried no seat, or one that is malformed, forged, for another room, or not issued by this room. */
  SEAT_REFUSED: 4013,
  /** HELLO carried a seat past its expiry: matchmake again. */
  SEAT_EXPIRED: 4014,
  /** HELLO carried a seat that was already used: a seat admits one connection, once. */
  SEAT_USED: 4015,
  /** The room ended (idle, failed or closed by the server) while this connection was in it: back to the lobby. */
  ROOM_CLOSED: 4016,
  /** HELLO carried a resume token for a player no longer in the room (its grace ran out, it left, or never was): join afresh. */
  SESSION_EXPIRED: 4017,
  /** Sent to the old connection when a resume took its player over (a newer connection holds it now): do not reconnect. */
  REPLACED: 4018,
  /** Reserved: the room moved to another process; reconnect (resume) through the matchmaker. */
  MOVED: 4019,
  /** HELLO carried a resume token that is malformed, forged, for another room, or already used. Not retried. */
  RESUME_REFUSED: 4020,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** RFC 6455 "normal closure": sent by a client that leaves on purpose (the server removes its player at once). */
export const NORMAL_CLOSURE = 1000;
/** RFC 6455 "abnormal closure": no close frame came (a reset, the network gone, a heartbeat timeout); never sent. */
export const ABNORMAL_CLOSURE = 1006;

/**
 * The closes after which a client reconnects by itself and resumes its player (PROTOCOL.md,
 * Resuming): the connection was lost, not refused. After any other code it does not; after
 * SESSION_EXPIRED it joins afresh instead. A client's own silence timeout counts as ABNORMAL.
 */
export const RECONNECT_ALLOWED: ReadonlySet<number> = new Set<number>([
  ABNORMAL_CLOSURE,
  CloseCode.SERVER_SHUTDOWN,
  CloseCode.MOVED,
  CloseCode.SLOW_CLIENT,
]);

const closeCodeNames = new Map<number, string>(Object.entries(CloseCode).map(([name, code]) => [code, name]));

/** A name for logs: "ROOM_FULL", or "code(4999)" for a code outside the table. */
export function closeCodeName(code: number): string {
  return closeCodeNames.get(code) ?? `code(${code})`;
}
