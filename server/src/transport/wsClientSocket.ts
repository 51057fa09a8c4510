// Adapts one ws WebSocket to the session's ClientSocket. One instance per connection; send and
// bufferedAmount run once per client per snapshot. A class, not an object literal with its own
// closures and getter per connection: every client then shares one hidden class, so the per-client
// send loop's property loads stay monomorphic (a literal's getter gave each client its own map,
// and profiles showed V8's generic LoadIC in the send loop).
import type { WebSocket } from 'ws';
import type { ClientSocket } from '../session/session.js';
import { sendBinaryFrame } from './rawFrame.js';

export class WsClientSocket implements ClientSocket {
  constructor(private readonly ws: WebSocket) {}

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  send(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void {
    sendBinaryFrame(this.ws, buffer, start, end);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }
}
