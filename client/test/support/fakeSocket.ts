// A SocketLike for client tests: frames the client sends are decoded (so an invalid one fails the
// test) and kept; server messages are delivered as the browser would hand them over. Per test.
import {
  type ClientMessage,
  decodeClientFrame,
  encodeServerMessage,
  encodeSnapshotMessage,
  newSnapshotHeaderState,
  type ServerMessage,
  ServerMessageId,
} from '@tickwire/protocol';
import {
  SOCKET_OPEN,
  type SocketCloseEvent,
  type SocketLike,
  type SocketMessageEvent,
} from '../../src/net/socketLike.js';

export class FakeSocket implements SocketLike {
  binaryType = 'arraybuffer';
  readyState = SOCKET_OPEN;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: SocketMessageEvent) => void) | null = null;
  onclose: ((event: SocketCloseEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** What the client sent, decoded, oldest first. */
  readonly sent: ClientMessage[] = [];
  closedWith: number | undefined;

  send(bytes: Uint8Array): void {
    const decoded = decodeClientFrame(bytes);
    if (!decoded.ok) throw new Error(`client sent an invalid frame: ${decoded.reason}`);
    this.sent.push(decoded.message);
  }

  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.onclose?.({ code: code ?? 1005, reason: '' });
  }

  private readonly headerSent = newSnapshotHeaderState();

  /** A server message, or raw bytes (for frames no encoder would write). */
  deliver(message: ServerMessage | Uint8Array): void {
    const bytes = message instanceof Uint8Array ? message : this.encode(message);
    this.onmessage?.({ data: new Uint8Array(bytes).buffer });
  }

  /** SNAPSHOTs are encoded against what this fake server connection sent before (PROTOCOL.md, SNAPSHOT header). */
  private encode(message: ServerMessage): Uint8Array {
    return message.id === ServerMessageId.SNAPSHOT
      ? encodeSnapshotMessage(message, this.headerSent)
      : encodeServerMessage(message);
  }

  /** The newest message of kind `id` the client sent. */
  last<I extends ClientMessage['id']>(id: I): Extract<ClientMessage, { id: I }> {
    return this.sent.filter((m) => m.id === id).at(-1) as Extract<ClientMessage, { id: I }>;
  }
}
