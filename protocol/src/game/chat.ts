// Chat limits shared by server and clients: the longest CHAT text and the per-player rate the
// server relays. Read once per CHAT sent or received.

/** Longest CHAT text, in UTF-16 code units (like every string limit of the protocol). */
export const MAX_CHAT_LENGTH = 120;

/**
 * Per-player chat rate, a token bucket: CHAT_BURST messages at once, then one more every
 * CHAT_REFILL_MS. A CHAT over the limit is dropped and answered with a server notice.
 */
export const CHAT_BURST = 3;
export const CHAT_REFILL_MS = 2000;

/** fromId of a server CHAT that is a notice from the server itself, not a player's message. */
export const SERVER_NOTICE_ID = 0;
