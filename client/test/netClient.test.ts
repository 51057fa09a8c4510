// NetClient's handshake check: a server whose world differs from the client's map is refused with
// MAP_MISMATCH before any prediction runs; a matching one starts prediction.
import { ARENA_MAP, ARENA_MAP_HASH, CloseCode, GAME_MAP_HASH, type WelcomeMessage } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { NetClient } from '../src/net/netClient.js';
import { FakeSocket } from './support/fakeSocket.js';
import { welcomeMessage } from './support/messages.js';

function welcome(mapHash: number): WelcomeMessage {
  return welcomeMessage({ mapHash });
}

describe('NetClient at the handshake', () => {
  it(`closes with ${CloseCode.MAP_MISMATCH} MAP_MISMATCH when the server's map is not the one it predicts with`, () => {
    const socket = new FakeSocket();
    const errors: string[] = [];
    const client = new NetClient({
      socket,
      name: 'x',
      seat: '',
      now: () => 0,
      onProtocolError: (reason) => errors.push(reason),
    });
    socket.deliver(welcome((ARENA_MAP_HASH ^ 1) >>> 0));
    expect(socket.closedWith).toBe(CloseCode.MAP_MISMATCH);
    expect(client.prediction).toBeUndefined();
    expect(errors[0]).toMatch(/map mismatch/);
  });

  it('starts prediction with its own map when the hashes agree', () => {
    const socket = new FakeSocket();
    const client = new NetClient({ socket, name: 'x', seat: '', now: () => 0 });
    socket.deliver(welcome(ARENA_MAP_HASH));
    expect(socket.closedWith).toBeUndefined();
    expect(client.prediction).toBeDefined();
  });

  it("predicts with the game's map when WELCOME names the game, and it walls the player in", () => {
    const socket = new FakeSocket();
    const client = new NetClient({ socket, name: 'x', seat: '', now: () => 0 });
    socket.deliver(welcome(GAME_MAP_HASH));
    expect(socket.closedWith).toBeUndefined();
    // Next to the west border of the map: a step west stops flush against it (12 units from x = 32).
    client.prediction!.state = { x: 46 * 16, y: 80 * 16, vx: 0, vy: 0, angle: 0 };
    client.prediction!.predict(1, { moveX: -1, moveY: 0 });
    expect(client.predicted).toMatchObject({ x: 44 * 16, vx: -2 * 16 });
  });

  it(`closes with ${CloseCode.MAP_MISMATCH} when told to predict the arena and the server runs the game`, () => {
    const socket = new FakeSocket();
    const client = new NetClient({ socket, name: 'x', seat: '', now: () => 0, map: ARENA_MAP });
    socket.deliver(welcome(GAME_MAP_HASH));
    expect(socket.closedWith).toBe(CloseCode.MAP_MISMATCH);
    expect(client.prediction).toBeUndefined();
  });
});
