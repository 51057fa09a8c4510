// Adapts ws's WebSocket to SocketLike for the bots; created once per bot, its handlers run per frame.
// ws's handler types take its own event classes, which TypeScript will not assign to SocketLike's
// (parameters are contravariant), so this forwards them instead of casting: one call per event.
import { WebSocket } from 'ws';
import type { SocketCloseEvent, SocketLike, SocketMessageEvent } from '../net/socketLike.js';

type Handler<E> = ((event: E) => void) | null;

/** A client socket to `url` without permessage-deflate, so payload bytes are what the server sent. */
export function openWsSocket(url: string): SocketLike {
  return new WsSocket(new WebSocket(url, { perMessageDeflate: false }));
}

class WsSocket implements SocketLike {
  private openHandler: Handler<unknown> = null;
  private messageHandler: Handler<SocketMessageEvent> = null;
  private closeHandler: Handler<SocketCloseEvent> = null;
  private errorHandler: Handler<unknown> = null;

  constructor(private readonly ws: WebSocket) {
    // ws emits 'error' as an EventEmitter event, which Node throws when nobody listens; a browser's
    // WebSocket never does. Closing a socket still connecting emits one ("closed before the connection
    // was established") after Connection.abandon() removed every handler (a reconnect try given up
    // by the silence timeout): it crashed the bots process in a reconnect storm. onerror still forwards.
    ws.on('error', () => {});
  }

  get binaryType(): string {
    return this.ws.binaryType;
  }
  set binaryType(type: string) {
    if (type !== 'arraybuffer' && type !== 'nodebuffer' && type !== 'fragments') {
      throw new TypeError(`ws has no binaryType "${type}"`);
    }
    this.ws.binaryType = type;
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  send(data: Uint8Array): void {
    this.ws.send(data);
  }

  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }

  get onopen(): Handler<unknown> {
    return this.openHandler;
  }
  set onopen(handler: Handler<unknown>) {
    this.openHandler = handler;
    this.ws.onopen = handler === null ? null : (event) => handler(event);
  }

  get onmessage(): Handler<SocketMessageEvent> {
    return this.messageHandler;
  }
  set onmessage(handler: Handler<SocketMessageEvent>) {
    this.messageHandler = handler;
    this.ws.onmessage = handler === null ? null : (event) => handler(event);
  }

  get onclose(): Handler<SocketCloseEvent> {
    return this.closeHandler;
  }
  set onclose(handler: Handler<SocketCloseEvent>) {
    this.closeHandler = handler;
    this.ws.onclose = handler === null ? null : (event) => handler(event);
  }

  get onerror(): Handler<unknown> {
    return this.errorHandler;
  }
  set onerror(handler: Handler<unknown>) {
    this.errorHandler = handler;
    this.ws.onerror = handler === null ? null : (event) => handler(event);
  }
}
