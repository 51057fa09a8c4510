// Writes one binary WebSocket frame (RFC 6455 §5.2, unmasked, FIN) straight to a client's TCP socket,
// its header placed in headroom the caller left before the payload: one contiguous write, no copy.
// Runs once per client per snapshot.
//
// ws does the same work in Sender.frame + sendFrame, but with a fresh header buffer, cork/uncork
// and a two-buffer writev per message. This is used only while the socket is OPEN, and only for
// data frames; ws keeps doing the handshake, control frames and closing. Both write whole frames
// synchronously into the same stream, so frames never interleave.
//
// While the socket's stream holds nothing (the usual case: the kernel took the last frame whole), the
// frame goes to the kernel with one non-blocking write(2) on the socket's file descriptor, which is
// what libuv's uv_try_write does first anyway, without the Writable stream's bookkeeping around it
// (about 1.5 µs per client per tick here). Whatever the kernel does not take (a full send buffer: a
// slow client), and every frame while anything is queued, goes through socket.write, behind what
// is queued, so bytes keep their order. Only a plain TCP socket is written to this way, never a TLS
// one, and only while it is writable and still holds the handle the descriptor was read from: a
// closed descriptor may already belong to another connection or file.
import { writeSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** Headroom a payload needs before it: the longest header of an unmasked frame. */
export const MAX_FRAME_HEADER_BYTES = 10;

const OPCODE_BINARY_FIN = 0x82;

/** The TCP socket under a ws WebSocket (ws keeps it as `_socket`; not in its type definitions). */
export function socketOf(ws: WebSocket): Duplex | undefined {
  return (ws as unknown as { _socket?: Duplex })._socket;
}

/** What socketFd() returns for a socket that is not written to directly. */
export const NO_FD = -1;

/** The native handle under a Node socket (`_handle`; null once closed or handed to another process). */
export function handleOf(socket: Duplex): object | null {
  return (socket as unknown as { _handle?: object | null })._handle ?? null;
}

/**
 * The file descriptor of a plain TCP socket, to write to directly; NO_FD for anything else: a TLS
 * socket (its handle is a TLSWrap whose fd carries the encrypted stream), a pipe, Windows, a socket
 * without a handle. Reading it is a native call, so senders keep it (DirectWriteCache).
 */
export function socketFd(socket: Duplex): number {
  const handle = handleOf(socket) as { fd?: unknown; constructor?: { name?: string } } | null;
  if (handle?.constructor?.name !== 'TCP') return NO_FD;
  const fd = handle.fd;
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 0 ? fd : NO_FD;
}

/**
 * A sender's copy of socketFd() and the handle it was read from. A handle keeps its descriptor for
 * its life; a socket that loses its handle (closed, or handed to another process) loses the right to
 * that descriptor too, so the copy is read again whenever the handle is not the same one.
 */
export interface DirectWriteCache {
  directFd: number;
  directFdHandle: object | null;
}

/** The descriptor to write `socket` directly, from `cache` while the socket has the same handle. */
function directFd(socket: Duplex, cache: DirectWriteCache): number {
  const handle = handleOf(socket);
  if (handle !== cache.directFdHandle) {
    cache.directFdHandle = handle;
    cache.directFd = socketFd(socket);
  }
  return cache.directFd;
}

/**
 * Send `buffer[start, end)` as one binary message. `start` must be ≥ MAX_FRAME_HEADER_BYTES; the header is
 * written into the bytes just before it. With `cache` (the caller's own, see DirectWriteCache) the
 * frame may go to the socket's descriptor directly; without, always through the stream. Falls back
 * to ws.send when the socket is not plainly open.
 */
export function sendBinaryFrame(
  ws: WebSocket,
  buffer: Uint8Array,
  start: number,
  end: number,
  cache?: DirectWriteCache,
): void {
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
  const fd = cache !== undefined && socket.writableLength === 0 ? directFd(socket, cache) : NO_FD;
  const written = fd !== NO_FD ? writeDirectly(fd, buffer, at, end) : 0;
  if (written < end - at)
    socket.write(Buffer.from(buffer.buffer, buffer.byteOffset + at + written, end - at - written));
}

/**
 * Bytes of `buffer[from, end)` the kernel took in one non-blocking write(2): all, some, or none (a
 * full send buffer, EAGAIN, or an error such as EPIPE, which socket.write then meets and reports).
 */
function writeDirectly(fd: number, buffer: Uint8Array, from: number, end: number): number {
  try {
    return writeSync(fd, buffer, from, end - from);
  } catch {
    return 0;
  }
}
