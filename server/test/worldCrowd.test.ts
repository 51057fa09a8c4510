// The world-crowd harness behind bench/world-thousands.ts: its virtual clients acknowledge what they
// are sent (so none is skipped for lag), move on arena bot i's schedule, and a view-restricted world
// holds exactly the ids asked for.
import { ARENA_INPUT_INTERVAL_MS, ArenaSchedule, FIELD_COUNT, POSITION_SCALE, WorldState } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { Position } from '../src/sim/components.js';
import { makeWorldCrowd, restrictTo } from './support/worldCrowd.js';

describe('a world crowd', () => {
  it('sends every client a snapshot every tick past the ack-lag limit, none skipped or closed', () => {
    // 2.5 s at 30 Hz: past the 60-tick ack-lag limit, so clients that did not acknowledge would be skipped.
    const crowd = makeWorldCrowd(30, { viewRadius: 4000 });
    for (let t = 0; t < 75; t++) crowd.step();
    expect(crowd.room.snapshots.counters.backpressureSkips).toBe(0);
    for (const client of crowd.clients) {
      expect(client.socket.snapshots).toBe(75);
      expect(client.socket.heldTick).toBe(75);
      expect(client.socket.closed).toBeUndefined();
    }
  });

  it("moves player i the way arena bot i's schedule points at each input", () => {
    const crowd = makeWorldCrowd(12, { viewRadius: 1000 });
    const schedules = crowd.clients.map((client) => new ArenaSchedule(client.index));
    const positionOf = (i: number) => {
      const entity = crowd.room.game.players.get(crowd.clients[i]!.session.playerId)!;
      const { x, y } = entity.getComponent(Position)!;
      return { x, y };
    };
    crowd.step();
    for (let k = 1; k < 90; k++) {
      const before = crowd.clients.map((_, i) => positionOf(i));
      crowd.step();
      crowd.clients.forEach((_, i) => {
        const [dx, dy] = schedules[i]!.directionAt(k * ARENA_INPUT_INTERVAL_MS);
        const after = positionOf(i);
        // Players spawn anywhere in 16,384²: one at an edge may be held there, so only the sign where it moved.
        if (after.x !== before[i]!.x) expect(Math.sign(after.x - before[i]!.x)).toBe(Math.sign(dx));
        if (after.y !== before[i]!.y) expect(Math.sign(after.y - before[i]!.y)).toBe(Math.sign(dy));
        if (dx !== 0 && after.x === before[i]!.x) expect([0, 16_384 * POSITION_SCALE]).toContain(after.x);
      });
    }
  });
});

describe('restrictTo', () => {
  it("holds the source's entities among the ids, in their order, with their lives and fields, at the source's tick", () => {
    const source = new WorldState(8, 20);
    source.reset(42);
    for (const [id, generation] of [
      [3, 1],
      [7, 2],
      [11, 1],
    ] as const) {
      const row = source.add(id, generation);
      for (let f = 0; f < FIELD_COUNT; f++) source.values[row * FIELD_COUNT + f] = id * 100 + f;
    }
    const out = new WorldState(8, 20);
    out.reset(1);
    out.add(19, 1);
    restrictTo(source, [11, 5, 3], out);
    expect(out.tick).toBe(42);
    expect(Array.from(out.ids.subarray(0, out.count))).toEqual([11, 3]);
    expect(Array.from(out.generations.subarray(0, out.count))).toEqual([1, 1]);
    expect(out.rowOf(19)).toBe(-1);
    expect(out.entity(11)).toEqual(source.entity(11));
    expect(out.entity(3)).toEqual(source.entity(3));
    expect(out.entity(7)).toBeUndefined();
  });
});
