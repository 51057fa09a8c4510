// ws's WebSocket with what a session needs of its socket (ClientSocket). ws builds one per
// connection (the server's `WebSocket` option), and send and queuedBytes run once per client per
// snapshot. Being the WebSocket itself, not an adapter holding one, saves the send loop one object
// (one cache miss) per client per tick, and every client shares one hidden class, so the loop's
// property loads stay monomorphic.
import { WebSocket } from 'ws';
import type { ClientSocket } from '../session/session.js';
import { type DirectWriteCache, NO_FD, sendBinaryFrame, socketOf } from './rawFrame.js';

export class ClientWebSocket extends WebSocket implements ClientSocket, DirectWriteCache {
  /** The TCP socket's descriptor for direct writes, kept by sendBinaryFrame (rawFrame.ts). */
  directFd = NO_FD;
  /** The socket's handle when directFd was read; sendBinaryFrame reads it again when it changes. */
  directFdHandle: object | null = null;

  /**
   * Bytes queued in the TCP socket. ws's bufferedAmount adds its Sender's own queue, which only
   * fills while compressing (permessage-deflate is off here) or reading a Blob (never sent here),
   * so this is the same number, read without touching the Sender.
   */
  get queuedBytes(): number {
    const socket = socketOf(this);
    return socket !== undefined ? socket.writableLength : this.bufferedAmount;
  }

  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void {
    sendBinaryFrame(this, buffer, start, end, this);
  }
}
