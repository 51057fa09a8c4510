// The room's input feed: once per tick, each player's next input becomes plain data in its own
// PlayerControl, also after other players left (the feed's arrays are swap-removed).
import { NORMAL_CLOSURE } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { PlayerControl } from '../src/sim/components.js';
import { makeRoom } from './support/fakeRoom.js';

describe('room input feed', () => {
  it("writes each player's input into its own PlayerControl after a player in the middle left", () => {
    const t = makeRoom();
    const a = t.connect('a').session;
    const b = t.connect('b').session;
    const c = t.connect('c').session;
    t.ticks(1);
    t.room.disconnected(a, NORMAL_CLOSURE);
    t.input(b, 1, 1, 0);
    t.input(c, 1, 0, -1);
    t.ticks(1);
    const control = (playerId: number) => t.room.game.players.get(playerId)!.getComponent(PlayerControl)!;
    expect([control(b.playerId).moveX, control(b.playerId).moveY, control(b.playerId).seq]).toEqual([1, 0, 1]);
    expect([control(c.playerId).moveX, control(c.playerId).moveY, control(c.playerId).seq]).toEqual([0, -1, 1]);
  });

  it('takes one input per tick, repeats the latest while starved and advances its view tick', () => {
    const t = makeRoom();
    const { session } = t.connect('p');
    t.ticks(1);
    t.input(session, 1, 1, 0, 0, { viewTick: 5 });
    t.input(session, 2, -1, 0, 0, { viewTick: 6 });
    const control = () => t.room.game.players.get(session.playerId)!.getComponent(PlayerControl)!;
    t.ticks(1);
    expect([control().seq, control().moveX, control().viewTick]).toEqual([1, 1, 5]);
    t.ticks(1);
    expect([control().seq, control().moveX, control().viewTick]).toEqual([2, -1, 6]);
    t.ticks(2);
    expect([control().seq, control().moveX, control().viewTick]).toEqual([2, -1, 8]);
    expect(session.inputs.starved).toBe(2);
  });
});
