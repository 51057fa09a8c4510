// ws's WebSocket with what a session needs of its socket (ClientSocket). ws builds one per
// connection (the server's `WebSocket` option), and send and queuedBytes run once per client per
// snapshot. Being the WebSocket itself, not an adapter holding one, saves the send loop one object
// (one cache miss) per client per tick, and every client shares one hidden class, so the loop's
// property loads stay monomorphic.
import { WebSocket } from 'ws';
import type { ClientSocket } from '../session/session.js';
import { handleOf, NO_FD, sendBinaryFrame, socketFd, socketOf } from './rawFrame.js';

/** fd before the socket was looked at. */
const FD_NOT_READ = -2;

export class ClientWebSocket extends WebSocket implements ClientSocket {
  /** The TCP socket's descriptor for direct writes (rawFrame.ts), read at the first send; NO_FD for none. */
  private fd = FD_NOT_READ;
  /** The socket's native handle when fd was read: fd is used only while the socket still has it. */
  private fdHandle: object | null = null;

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
    if (this.fd === FD_NOT_READ && this.readyState === WebSocket.OPEN) {
      const socket = socketOf(this);
      this.fd = socket !== undefined ? socketFd(socket) : NO_FD;
      this.fdHandle = socket !== undefined ? handleOf(socket) : null;
    }
    sendBinaryFrame(this, buffer, start, end, this.fd === FD_NOT_READ ? NO_FD : this.fd, this.fdHandle);
  }
}
