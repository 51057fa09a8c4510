// Writes one binary WebSocket frame (RFC 6455 §5.2, unmasked, FIN) straight to a client's TCP socket,
// its header placed in headroom the caller left before the payload: one contiguous write, no copy,
// no allocation beyond a Buffer view. Runs once per client per snapshot.
//
// ws does the same work in Sender.frame + sendFrame, but with a fresh header buffer, cork/uncork
// and a two-buffer writev per message. This is used only while the socket is OPEN, and only for
// data frames; ws keeps doing the handshake, control frames and closing. Both write whole frames
// synchronously into the same stream, so frames never interleave.
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** Headroom a payload needs before it: the longest header of an unmasked frame. */
export const MAX_FRAME_HEADER_BYTES = 10;

const OPCODE_BINARY_FIN = 0x82;

/** The TCP socket under a ws WebSocket (ws keeps it as `_socket`; not in its type definitions). */
export function socketOf(ws: WebSocket): Duplex | undefined {
  return (ws as unknown as { _socket?: Duplex })._socket;
}

/**
 * Send `buffer[start, end)` as one binary message. `start` must be ≥ MAX_FRAME_HEADER_BYTES; the header is
 * written into the bytes just before it. Falls back to ws.send when the socket is not plainly open.
 */
export function sendBinaryFrame(ws: WebSocket, buffer: Uint8Array, start: number, end: number): void {
  const socket = socketOf(ws);
  if (ws.readyState !== WebSocket.OPEN || socket === undefined || !socket.writable) {
    // ws may queue this message: copy it, the caller reuses `buffer` for the next client.
    if (ws.readyState === WebSocket.OPEN) ws.send(buffer.slice(start, end));
    return;
  }
  if (start < MAX_FRAME_HEADER_BYTES) throw new RangeError('no headroom for the frame header');
  const length = end - start;
  let at: number;
  if (length < 126) {
    at = start - 2;
    buffer[at + 1] = length;
  } else if (length < 0x10000) {
    at = start - 4;
    buffer[at + 1] = 126;
    buffer[at + 2] = length >>> 8;
    buffer[at + 3] = length & 0xff;
  } else {
    at = start - 10;
    buffer[at + 1] = 127;
    buffer[at + 2] = 0;
    buffer[at + 3] = 0;
    buffer[at + 4] = 0;
    buffer[at + 5] = 0;
    buffer[at + 6] = (length >>> 24) & 0xff; // frames here are far below 2^32 bytes
    buffer[at + 7] = (length >>> 16) & 0xff;
    buffer[at + 8] = (length >>> 8) & 0xff;
    buffer[at + 9] = length & 0xff;
  }
  buffer[at] = OPCODE_BINARY_FIN;
  socket.write(Buffer.from(buffer.buffer, buffer.byteOffset + at, end - at));
}
