// Connection and DEBUG_STATE: the pages of one reply are handed over once, assembled, when the last
// arrives; a page out of order is a protocol error that closes the connection.
import { type DebugState, debugStatePages, type EntityTuple } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { Connection } from '../src/net/connection.js';
import { FakeSocket } from './support/fakeSocket.js';
import { welcomeMessage } from './support/messages.js';

function debugConnection() {
  const socket = new FakeSocket();
  const replies: DebugState[] = [];
  const errors: string[] = [];
  new Connection(socket, {
    name: 'debug',
    seat: '',
    now: () => 0,
    onDebugState: (state) => replies.push(state),
    onProtocolError: (reason) => errors.push(reason),
  });
  socket.deliver(welcomeMessage());
  return { socket, replies, errors };
}

const entity = (id: number): EntityTuple => ({ id, vx: 0, vy: 0, x: id, y: id, angle: 0, hp: 100, kind: 0 });
const whole: DebugState = {
  tick: 40,
  entities: Array.from({ length: 1500 }, (_, i) => entity(i + 1)),
  interest: [1, 2, 700],
};

describe('Connection receiving DEBUG_STATE', () => {
  it('hands over a reply of several pages once, whole, when its last page arrives', () => {
    const { socket, replies, errors } = debugConnection();
    const [first, second] = debugStatePages(whole);
    socket.deliver(first!);
    expect(replies).toEqual([]);
    socket.deliver(second!);
    expect(replies).toEqual([whole]);
    expect(errors).toEqual([]);
  });

  it('closes with a protocol error when a page comes out of order', () => {
    const { socket, replies, errors } = debugConnection();
    socket.deliver(debugStatePages(whole)[1]!);
    expect(replies).toEqual([]);
    expect(errors[0]).toMatch(/page 1 where page 0 was due/);
    expect(socket.closedWith).toBe(1002);
  });
});
