// The part of the WebSocket API the net code uses, met by the browser's WebSocket and by ws's
// WebSocket in Node, so bots and the browser share every line above it. Read per connection.

export interface SocketMessageEvent {
  data: unknown;
}
export interface SocketCloseEvent {
  code: number;
  reason: string;
}

export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: SocketMessageEvent) => void) | null;
  onclose: ((event: SocketCloseEvent) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** WebSocket.OPEN in both implementations. */
export const SOCKET_OPEN = 1;

/** A binary message's payload as bytes, or undefined for a text frame. */
export function payloadBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}
