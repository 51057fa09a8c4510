// Tests for entities a byte budget holds deferred in the snapshot buffer (client/src/net/interpolation.ts,
// fed by NetClient per snapshot): drawn on their predicted course from the state they hold, not frozen,
// and not jumping when their update arrives. Snapshots are delivered in tick order on a fake socket.
import { FIELD_COUNT, FieldIndex, WorldState } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { type HeldEntities, SnapshotBuffer } from '../src/net/interpolation.js';
import { NetClient } from '../src/net/netClient.js';
import { FakeSocket } from './support/fakeSocket.js';
import { emptySnapshot, playerTuple, welcomeMessage } from './support/messages.js';

/** The arena's top speed in quanta per tick, and its edge in quanta (2,048 units × 16). */
const SPEED_Q = 107;
const EDGE = 32_768;
const X0 = 16_000;
/** Entity 2's velocity while held, quanta per tick east. */
const VX = 40;

/** A world at `tick` holding entity 2 at x, moving east at VX. */
function worldAt(tick: number, x: number): WorldState {
  const world = new WorldState(4, 8);
  world.reset(tick);
  const row = world.add(2, 0);
  const at = row * FIELD_COUNT;
  world.values[at + FieldIndex.vx] = VX;
  world.values[at + FieldIndex.x] = x;
  world.values[at + FieldIndex.y] = 8000;
  world.values[at + FieldIndex.hp] = 100;
  return world;
}

/** Entity 2 held deferred from tick `since` on (0 = up to date). */
const heldSince = (since: number): HeldEntities => ({
  deferredSince: (id) => (id === 2 ? since : 0),
  bounds: { maxX: EDGE, maxY: EDGE },
});

const newBuffer = () => new SnapshotBuffer({ tickRate: 30, maxQuantaPerTick: SPEED_Q });

describe('SnapshotBuffer: an entity held deferred', () => {
  it('is stored on its course from the state it holds, so it is drawn moving and meets its update without a jump', () => {
    const buffer = newBuffer();
    buffer.pushWorld(worldAt(10, X0), 333);
    // Ticks 11 and 12: the world keeps entity 2 as sent at tick 10.
    buffer.pushWorld(worldAt(11, X0), 366, [], heldSince(10));
    buffer.pushWorld(worldAt(12, X0), 400, [], heldSince(10));
    expect(buffer.sample(2, 11)).toMatchObject({ x: X0 + VX, y: 8000 });
    expect(buffer.sample(2, 11.5)).toMatchObject({ x: X0 + 1.5 * VX });
    // Past the newest snapshot it carries on at the same pace, not held still.
    expect(buffer.sample(2, 13)).toMatchObject({ x: X0 + 3 * VX });
    // Tick 13: its update, where it really is (it kept its course): drawn the same as before it came.
    buffer.pushWorld(worldAt(13, X0 + 3 * VX), 433);
    expect(buffer.sample(2, 12.5)).toMatchObject({ x: X0 + 2.5 * VX });
    expect(buffer.sample(2, 13)).toMatchObject({ x: X0 + 3 * VX });
  });

  it('is eased to where its update puts it when it turned while held, not snapped', () => {
    const buffer = newBuffer();
    buffer.pushWorld(worldAt(10, X0), 333);
    buffer.pushWorld(worldAt(11, X0), 366, [], heldSince(10));
    // It stopped at X0 + VX: the update at tick 12 says so.
    buffer.pushWorld(worldAt(12, X0 + VX), 400);
    expect(buffer.sample(2, 11.5)).toMatchObject({ x: X0 + VX });
    expect(buffer.sample(2, 12)).toMatchObject({ x: X0 + VX });
  });

  it('stops at the edge of the world, as the protocol predicts it', () => {
    const buffer = newBuffer();
    buffer.pushWorld(worldAt(10, EDGE - VX), 333);
    buffer.pushWorld(worldAt(13, EDGE - VX), 433, [], heldSince(10));
    expect(buffer.sample(2, 13)).toMatchObject({ x: EDGE });
  });

  it('is stored as the world has it when up to date, even with the held entities given', () => {
    const buffer = newBuffer();
    buffer.pushWorld(worldAt(10, X0), 333);
    buffer.pushWorld(worldAt(11, X0 + VX), 366, [], heldSince(0));
    expect(buffer.sample(2, 11)).toMatchObject({ x: X0 + VX });
  });
});

describe('NetClient: a deferred entity in the snapshot buffer', () => {
  it("draws what the decoder holds deferred on its course, and its update where the course led, with the world's held state untouched", () => {
    const socket = new FakeSocket();
    const client = new NetClient({ socket, name: 'me', seat: '', now: () => 0, pace: false });
    socket.deliver(welcomeMessage({ budgetBytesPerSecond: 2000 }));
    socket.deliver({ ...emptySnapshot(10), created: [playerTuple(1, { x: 1000 }), playerTuple(2, { x: X0, vx: VX })] });
    // Tick 11: a byte budget leaves player 2 out; tick 12 carries it over as held.
    socket.deliver({ ...emptySnapshot(11), baseAge: 1, deferred: [2] });
    socket.deliver({ ...emptySnapshot(12), baseAge: 1 });
    expect(client.deferredCount).toBe(1);
    // The world holds it as sent (PROTOCOL.md: its state is the last one sent), the buffer on its course.
    expect(client.connection.world.entity(2)).toMatchObject({ x: X0 });
    const buffer = client.buffer!;
    expect(buffer.sample(2, 11)).toMatchObject({ x: X0 + VX });
    expect(buffer.sample(2, 12)).toMatchObject({ x: X0 + 2 * VX });
    // Tick 13: its update (its hp changed; x predicted from tick 10 by the decoder).
    socket.deliver({ ...emptySnapshot(13), baseAge: 1, changed: [2, 1 << FieldIndex.hp, 90] });
    expect(client.deferredCount).toBe(0);
    expect(client.connection.world.entity(2)).toMatchObject({ x: X0 + 3 * VX, hp: 90 });
    expect(buffer.sample(2, 12.5)).toMatchObject({ x: X0 + 2.5 * VX });
    expect(buffer.sample(2, 13)).toMatchObject({ x: X0 + 3 * VX, hp: 90 });
  });
});
