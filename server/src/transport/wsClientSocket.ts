// Adapts one ws WebSocket to the session's ClientSocket. One instance per connection; send and
// bufferedAmount run once per client per snapshot. A class, not an object literal with its own
// closures and getter per connection: every client then shares one hidden class, so the per-client
// send loop's property loads stay monomorphic (a literal's getter gave each client its own map,
// and profiles showed V8's generic LoadIC in the send loop).
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ClientSocket } from '../session/session.js';
import { sendBinaryFrame, socketOf } from './rawFrame.js';

export class WsClientSocket implements ClientSocket {
  /** The TCP socket, looked up once: bufferedAmount and every frame written read it from here. */
  private readonly socket: Duplex | undefined;

  constructor(private readonly ws: WebSocket) {
    this.socket = socketOf(ws);
  }

  /**
   * ws's bufferedAmount is the socket's queued bytes plus its Sender's own queue. That queue only
   * fills while compressing (permessage-deflate is off here) or reading a Blob (never sent here),
   * so the socket's count is the same number, read with less pointer chasing per client per tick.
   */
  get bufferedAmount(): number {
    return this.socket !== undefined ? this.socket.writableLength : this.ws.bufferedAmount;
  }

  send(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void {
    sendBinaryFrame(this.ws, this.socket, buffer, start, end);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }
}
