// What the page draws after a resume (issue 15): at the resumed connection's full snapshot the others
// stand where it puts them (no slide from where they were before the drop), and the local player is
// predicted from the server's state and drawn there at once (no fade from where it was predicted).
import { EntityKind, type EntityTuple } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { NetClient } from '../src/net/netClient.js';
import { FakeSocket } from './support/fakeSocket.js';
import { emptySnapshot, welcomeMessage } from './support/messages.js';

const player = (id: number, x: number, y: number): EntityTuple => ({
  id,
  x,
  y,
  vx: 0,
  vy: 0,
  angle: 0,
  hp: 100,
  kind: EntityKind.PLAYER,
});

/** A client of player 3 with one other player (5), on a clock the test moves; its drop and resume. */
function resumedGame() {
  let nowMs = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const sockets = [new FakeSocket()];
  const client = new NetClient({
    socket: sockets[0]!,
    name: 'ann',
    seat: 'seat-1',
    now: () => nowMs,
    pace: false,
    reconnect: {
      openSocket: () => {
        sockets.push(new FakeSocket());
        return sockets.at(-1)!;
      },
      schedule: (fn, ms) => {
        timers.push({ at: nowMs + ms, fn });
        return () => {};
      },
      random: () => 0,
    },
  });
  sockets[0]!.deliver(welcomeMessage({ playerId: 3, resumeToken: 'tok-1', reconnectGraceMs: 10_000 }));
  sockets[0]!.deliver({ ...emptySnapshot(10), created: [player(3, 16_000, 8000), player(5, 3200, 3200)] });
  // Inputs the server never acknowledges: prediction walks ahead of where the server holds the player.
  for (let i = 0; i < 10; i++) client.sendInput({ moveX: 1, moveY: 0 });
  const predictedX = client.predicted!.x;
  const drop = () => {
    sockets[0]!.onclose?.({ code: 1006, reason: '' });
    nowMs = 500;
    for (const timer of timers.splice(0)) if (timer.at <= nowMs) timer.fn();
    return sockets.at(-1)!;
  };
  return { client, predictedX, drop, now: () => nowMs };
}

describe('NetClient after a resume’s full snapshot', () => {
  it('samples the others where it puts them, not on a slide from before the drop', () => {
    const { client, drop } = resumedGame();
    const socket = drop();
    socket.deliver(welcomeMessage({ playerId: 3, resumeToken: 'tok-2', reconnectGraceMs: 10_000 }));
    // Player 5 walked 50 units while this client was away (not a teleport's jump).
    socket.deliver({ ...emptySnapshot(100), created: [player(3, 16_000, 8000), player(5, 4000, 3200)] });
    for (const tick of [55, 99, 100]) expect(client.buffer!.sample(5, tick)?.x).toBe(4000);
    expect([...client.buffer!.idsAt(100)].sort()).toEqual([3, 5]);
  });

  it('predicts the local player from the server’s state and draws it there at once, counted as the resume’s', () => {
    const { client, predictedX, drop, now } = resumedGame();
    expect(predictedX).toBeGreaterThan(16_000);
    const socket = drop();
    socket.deliver(welcomeMessage({ playerId: 3, resumeToken: 'tok-2', reconnectGraceMs: 10_000 }));
    socket.deliver({ ...emptySnapshot(100), created: [player(3, 16_000, 8000), player(5, 4000, 3200)] });
    expect(client.predicted).toMatchObject({ x: 16_000, y: 8000 });
    expect(client.prediction!.renderPosition(now())).toEqual({ x: 16_000, y: 8000 });
    const stats = client.prediction!.stats;
    expect(stats.mispredictions).toBe(0);
    expect(stats.unpredictableCauses.resume).toBe(1);
    // Inputs from here are predicted from the server's state.
    client.sendInput({ moveX: 1, moveY: 0 });
    expect(client.predicted!.x).toBeGreaterThan(16_000);
    expect(client.predicted!.x).toBeLessThan(predictedX);
  });
});
