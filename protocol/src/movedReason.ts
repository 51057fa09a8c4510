// 4019 MOVED's reason: the room's socket on the process that took it, so a moved client reconnects
// there without asking anyone (its page's own process may be the one that just drained away). Made
// once per player of a moved room; read once per 4019 a client receives.
import { closeReasonBytes, MAX_CLOSE_REASON_BYTES } from './closeReason.js';

/** 4019's reason when the room's new address does not fit in a close frame (the client then locates it). */
export const MOVED_REASON_TEXT = 'the room moved to another server: resume there';

/** The reason for 4019 MOVED: `wsUrl` (ws:// or wss://) when it fits in a close frame, else MOVED_REASON_TEXT. */
export function movedReason(wsUrl: string | undefined): string {
  if (wsUrl === undefined || movedAddress(wsUrl) === undefined) return MOVED_REASON_TEXT;
  return closeReasonBytes(wsUrl) <= MAX_CLOSE_REASON_BYTES ? wsUrl : MOVED_REASON_TEXT;
}

/** The room's new socket named by a 4019 reason, or undefined when the reason is not a ws:// or wss:// URL. */
export function movedAddress(reason: string): string | undefined {
  return SOCKET_URL.test(reason) ? reason : undefined;
}

/** ws:// or wss://, a host (and port) with no user part, then an optional path; no spaces. */
const SOCKET_URL = /^wss?:\/\/[^\s/?#@]+(\/\S*)?$/;
