// The room lifecycle on a fake clock, one test per transition: create, fill, idle dispose,
// never-joined dispose, outstanding seats keep a room alive, failure, shutdown.
import { describe, expect, it } from 'vitest';
import { createdRoom, nextRoomLife, ROOM_IDLE_MS, type RoomEvent, type RoomLife } from '../src/rooms/roomLifecycle.js';

/** Apply events at their times, in order. */
function run(life: RoomLife, ...steps: [number, RoomEvent][]): RoomLife {
  for (const [atMs, event] of steps) life = nextRoomLife(life, event, atMs);
  return life;
}
const check: RoomEvent = { type: 'check' };
const occupancy = (players: number, pending = 0): RoomEvent => ({ type: 'occupancy', players, pending });

describe('room lifecycle', () => {
  it('created: a new room is created, idle from its creation', () => {
    expect(createdRoom(1000)).toEqual({ phase: 'created', idleSinceMs: 1000 });
  });

  it('created → running when the first player is in', () => {
    expect(run(createdRoom(0), [10, occupancy(0, 1)], [20, occupancy(1)]).phase).toBe('running');
  });

  it('created → disposed when nobody ever joined for roomIdleMs', () => {
    const life = createdRoom(0);
    expect(run(life, [ROOM_IDLE_MS - 1, check]).phase).toBe('created');
    expect(run(life, [ROOM_IDLE_MS, check]).phase).toBe('disposed');
  });

  it('running → empty when the last player leaves, and empty → disposed after roomIdleMs', () => {
    const empty = run(createdRoom(0), [100, occupancy(2)], [5000, occupancy(0)]);
    expect(empty).toEqual({ phase: 'empty', idleSinceMs: 5000 });
    expect(run(empty, [5000 + ROOM_IDLE_MS - 1, check]).phase).toBe('empty');
    expect(run(empty, [5000 + ROOM_IDLE_MS, check]).phase).toBe('disposed');
  });

  it('empty → running when a player comes back before the idle time, which then starts afresh', () => {
    const life = run(
      createdRoom(0),
      [0, occupancy(1)],
      [1000, occupancy(0)],
      [9000, occupancy(1)],
      [9500, occupancy(0)],
    );
    expect(run(life, [1000 + ROOM_IDLE_MS, check]).phase).toBe('empty');
    expect(run(life, [9500 + ROOM_IDLE_MS, check]).phase).toBe('disposed');
  });

  it('outstanding seats keep a room alive, and its idle time starts when the last one is gone', () => {
    const waiting = run(createdRoom(0), [100, occupancy(0, 2)]);
    expect(run(waiting, [100 + 10 * ROOM_IDLE_MS, check]).phase).toBe('created');
    const expired = run(waiting, [20_000, occupancy(0, 0)]);
    expect(run(expired, [20_000 + ROOM_IDLE_MS - 1, check]).phase).toBe('created');
    expect(run(expired, [20_000 + ROOM_IDLE_MS, check]).phase).toBe('disposed');
  });

  it('a seat outstanding in an empty room keeps it too', () => {
    const life = run(createdRoom(0), [0, occupancy(1)], [1000, occupancy(0, 1)]);
    expect(run(life, [1000 + 2 * ROOM_IDLE_MS, check]).phase).toBe('empty');
  });

  it('running → failed when a tick throws, then failed → disposed at the next check', () => {
    const failed = run(createdRoom(0), [0, occupancy(3)], [50, { type: 'fail' }]);
    expect(failed.phase).toBe('failed');
    expect(run(failed, [60, occupancy(1)]).phase).toBe('failed');
    expect(run(failed, [70, check]).phase).toBe('disposed');
  });

  it('any phase → disposed on shutdown, and disposed is final', () => {
    const disposed = run(createdRoom(0), [0, occupancy(3)], [10, { type: 'shutdown' }]);
    expect(disposed.phase).toBe('disposed');
    expect(run(disposed, [20, occupancy(2)], [30, { type: 'fail' }], [40, check])).toBe(disposed);
  });

  it('honours a configured idle time', () => {
    expect(nextRoomLife(createdRoom(0), check, 500, 500).phase).toBe('disposed');
  });
});
