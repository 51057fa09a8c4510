// The part of the WebSocket API the net code uses, met by the browser's WebSocket and by ws's
// WebSocket in Node, so bots and the browser share every line above it. Read per connection.

export interface SocketMessageEvent {
  data: unknown;
}
export interface SocketCloseEvent {
  code: number;
  reason: string;
}

/**
 * An event handler slot. Declared through a method so TypeScript compares its parameter
 * bivariantly: the DOM's `(ev: MessageEvent) => any` then fits `(event: SocketMessageEvent) => void`.
 */
type Handler<E> = { handle(event: E): void }['handle'] | null;

export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  /** Bytes over a plain ArrayBuffer (the DOM's WebSocket.send does not take shared memory). */
  send(data: Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown>;
  onmessage: Handler<SocketMessageEvent>;
  onclose: Handler<SocketCloseEvent>;
  onerror: Handler<unknown>;
}

/** WebSocket.OPEN in both implementations. */
export const SOCKET_OPEN = 1;

/** A binary message's payload as bytes, or undefined for a text frame. */
export function payloadBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}
