// Chat: cleans a player's line, rate-limits it per player (a token bucket: CHAT_BURST at once, one
// more every CHAT_REFILL_MS) and relays it to every player as server CHAT (68). Runs once per CHAT
// received; the relayed frame is encoded once for everyone.
import { CHAT_BURST, CHAT_REFILL_MS, encodeServerMessage, SERVER_NOTICE_ID, ServerMessageId } from '@tickwire/protocol';
import { FloodGuard } from '../session/floodGuard.js';
import { stripUnsafeCharacters } from './unsafeText.js';

/** What the relay needs of a client. */
export interface ChatClient {
  readonly playerId: number;
  /** Per-player chat bucket; created on first use. */
  chatGuard: FloodGuard | undefined;
  send(bytes: Uint8Array): void;
}

/** Cumulative counters, read by /healthz. */
export interface ChatCounters {
  relayed: number;
  /** Lines over the rate limit, dropped (their sender got a notice). */
  dropped: number;
  /** Lines empty once cleaned, dropped without a word. */
  empty: number;
}

export const CHAT_TOO_FAST_NOTICE = `chat: too fast, message dropped (${CHAT_BURST} lines, then 1 every ${CHAT_REFILL_MS / 1000} s)`;

/** The line as relayed: control and bidirectional formatting characters removed, spaces trimmed; '' when nothing is left. */
export function cleanChatText(text: string): string {
  return stripUnsafeCharacters(text).trim();
}

export class ChatRelay {
  readonly counters: ChatCounters = { relayed: 0, dropped: 0, empty: 0 };
  private readonly notice = encodeServerMessage({
    id: ServerMessageId.CHAT,
    fromId: SERVER_NOTICE_ID,
    text: CHAT_TOO_FAST_NOTICE,
  });

  /** A CHAT from `from` at `nowMs`: relay it to `everyone` (the sender included), or drop it. */
  receive(from: ChatClient, text: string, nowMs: number, everyone: Iterable<ChatClient>): void {
    const line = cleanChatText(text);
    if (line.length === 0) {
      this.counters.empty++;
      return;
    }
    from.chatGuard ??= new FloodGuard(CHAT_BURST, 1000 / CHAT_REFILL_MS, nowMs);
    if (!from.chatGuard.take(nowMs)) {
      this.counters.dropped++;
      from.send(this.notice);
      return;
    }
    const frame = encodeServerMessage({ id: ServerMessageId.CHAT, fromId: from.playerId, text: line });
    for (const client of everyone) client.send(frame);
    this.counters.relayed++;
  }
}
