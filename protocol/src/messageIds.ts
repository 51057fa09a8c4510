// The one table of message ids, both directions; read once per frame by the codec.
// PROTOCOL.md documents every row; names for logs come from this table, never a second list.

/** Client → server ids are 1..63; server → client ids are 64..127. */
export const ClientMessageId = {
  HELLO: 1,
  INPUT: 2,
  /** Debug only: refused with UNEXPECTED_MESSAGE unless the server runs with --debug-state. */
  DEBUG_STATE_REQUEST: 3,
  /** Clock sync: answered in this client's next SNAPSHOT (its `pong` field). */
  PING: 4,
  /** Debug only: moves the player outside its inputs; refused unless the server runs with --debug-state. */
  DEBUG_NUDGE: 5,
  /** A chat line for everyone in the room; relayed as server CHAT (68), rate-limited per player. */
  CHAT: 6,
  /**
   * The newest snapshot tick applied, sent from the socket's message handler at least every 250 ms
   * while snapshots arrive (so a hidden browser tab keeps acking); not an input.
   */
  ACK: 7,
} as const;
export type ClientMessageId = (typeof ClientMessageId)[keyof typeof ClientMessageId];

export const ServerMessageId = {
  WELCOME: 64,
  SNAPSHOT: 65,
  DEBUG_STATE: 66,
  /** The whole roster (id, name, kills, deaths) at one version, in pages: to a joiner, after its WELCOME. */
  PLAYERS: 67,
  /** A chat line from a player, or a notice from the server (fromId 0). */
  CHAT: 68,
  /** What changed in the roster since the version before (joined, left, renamed, scores): to everyone. */
  ROSTER_CHANGES: 69,
} as const;
export type ServerMessageId = (typeof ServerMessageId)[keyof typeof ServerMessageId];

const clientIdNames = new Map<number, string>(Object.entries(ClientMessageId).map(([name, id]) => [id, name]));
const serverIdNames = new Map<number, string>(Object.entries(ServerMessageId).map(([name, id]) => [id, name]));

export function isClientMessageId(id: number): id is ClientMessageId {
  return clientIdNames.has(id);
}

export function isServerMessageId(id: number): id is ServerMessageId {
  return serverIdNames.has(id);
}

/** A name for logs: "HELLO", "SNAPSHOT", or "unknown(17)". */
export function messageIdName(id: number): string {
  return clientIdNames.get(id) ?? serverIdNames.get(id) ?? `unknown(${id})`;
}
