// Connection with decodeSnapshots 'header' (bots with --load-only): each SNAPSHOT's tick is read and
// acknowledged, its body is never decoded, and a tick that does not advance is a protocol error.
import { ClientMessageId, encodeSnapshotMessage, newSnapshotHeaderState } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { Connection } from '../src/net/connection.js';
import { FakeSocket } from './support/fakeSocket.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

function headerOnlyConnection() {
  const socket = new FakeSocket();
  const ticks: number[] = [];
  const errors: string[] = [];
  const connection = new Connection(socket, {
    name: 'load',
    seat: '',
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
    const frame = encodeSnapshotMessage(emptySnapshot(300), newSnapshotHeaderState());
    const corrupt = new Uint8Array([...frame.subarray(0, frame.length - 1), 0xc1]);
    socket.deliver(corrupt);
    expect(ticks).toEqual([7, 300]);
    expect(errors).toEqual([]);
    expect(connection.latestTick).toBe(300);
    expect(connection.stats.snapshotsApplied).toBe(2);
    connection.sendInput(1, 0);
    const input = socket.sent.at(-1)!;
    expect(input.id === ClientMessageId.INPUT && input.ackTick).toBe(300);
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
