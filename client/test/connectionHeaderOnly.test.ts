// Connection with decodeSnapshots 'header' (bots with --load-only): each SNAPSHOT's tick is read and
// acknowledged, its body is never decoded, and a tick that does not advance is a protocol error.
import { ClientMessageId, decodeClientFrame, encodeServerMessage, type ServerMessage } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { Connection } from '../src/net/connection.js';
import { SOCKET_OPEN, type SocketCloseEvent, type SocketLike, type SocketMessageEvent } from '../src/net/socketLike.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

class FakeSocket implements SocketLike {
  binaryType = 'arraybuffer';
  readyState = SOCKET_OPEN;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: SocketMessageEvent) => void) | null = null;
  onclose: ((event: SocketCloseEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: Uint8Array[] = [];
  closedWith: number | undefined;
  send(bytes: Uint8Array): void {
    this.sent.push(bytes);
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.onclose?.({ code: code ?? 1005, reason: '' });
  }
  deliver(message: ServerMessage | Uint8Array): void {
    const bytes = message instanceof Uint8Array ? message : encodeServerMessage(message);
    this.onmessage?.({ data: new Uint8Array(bytes).buffer });
  }
}

function headerOnlyConnection() {
  const socket = new FakeSocket();
  const ticks: number[] = [];
  const errors: string[] = [];
  const connection = new Connection(socket, {
    name: 'load',
    now: () => 0,
    decodeSnapshots: 'header',
    onSnapshotHeader: (tick) => ticks.push(tick),
    onSnapshot: () => errors.push('decoded a snapshot'),
    onProtocolError: (reason) => errors.push(reason),
  });
  socket.deliver(welcomeMessage());
  return { socket, connection, ticks, errors };
}

describe('Connection decoding snapshot headers only', () => {
  it('acknowledges each snapshot tick without decoding the body', () => {
    const { connection, socket, ticks, errors } = headerOnlyConnection();
    socket.deliver(emptySnapshot(7));
    // A body no decoder would accept: only the header is read.
    const frame = encodeServerMessage(emptySnapshot(300));
    const corrupt = new Uint8Array([...frame.subarray(0, frame.length - 1), 0xc1]);
    socket.deliver(corrupt);
    expect(ticks).toEqual([7, 300]);
    expect(errors).toEqual([]);
    expect(connection.latestTick).toBe(300);
    expect(connection.stats.snapshotsApplied).toBe(2);
    connection.sendInput(1, 0);
    const input = decodeClientFrame(socket.sent.at(-1)!);
    expect(input.ok && input.message.id === ClientMessageId.INPUT && input.message.ackTick).toBe(300);
  });

  it('closes with a protocol error when a tick does not advance', () => {
    const { socket, ticks, errors } = headerOnlyConnection();
    socket.deliver(emptySnapshot(9));
    socket.deliver(emptySnapshot(9));
    expect(ticks).toEqual([9]);
    expect(errors[0]).toMatch(/not after 9/);
    expect(socket.closedWith).toBe(1002);
  });

  it('still decodes WELCOME and other messages whole', () => {
    const { connection } = headerOnlyConnection();
    expect(connection.state).toBe('playing');
    expect(connection.welcome?.playerId).toBe(1);
  });
});
