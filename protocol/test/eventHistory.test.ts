// EventHistory: the server's recent shots and kills, written into SNAPSHOT bodies by tick window,
// bounded in memory, refusing events out of tick order; eventTicksProblem checks a received body.
import { decodeMulti } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  EventHistory,
  eventTicksProblem,
  MAX_SNAPSHOT_KILLS,
  MAX_SNAPSHOT_SHOTS,
  MsgpackWriter,
  type ShotEvent,
} from '../src/index.js';

const shot = (tick: number, hitId = 0): ShotEvent => ({
  tick,
  shooterId: 1,
  weapon: 0,
  x0: 10,
  y0: 20,
  x1: 30,
  y1: 40,
  hitId,
});

function written(events: EventHistory, afterTick: number, uptoTick: number): [number[][], number[][]] {
  const writer = new MsgpackWriter(16);
  events.write(writer, afterTick, uptoTick);
  return [...decodeMulti(writer.toBytes())] as [number[][], number[][]];
}

describe('EventHistory', () => {
  it('writes exactly the events of ticks in (afterTick, uptoTick], as plain MessagePack tuples', () => {
    const events = new EventHistory();
    for (const tick of [5, 6, 6, 8, 9]) events.pushShot(shot(tick, tick));
    events.pushKill({ tick: 6, killerId: 1, victimId: 6, weapon: 0 });
    const [shots, kills] = written(events, 5, 8);
    expect(shots).toEqual([
      [6, 1, 0, 10, 20, 30, 40, 6],
      [6, 1, 0, 10, 20, 30, 40, 6],
      [8, 1, 0, 10, 20, 30, 40, 8],
    ]);
    expect(kills).toEqual([[6, 1, 6, 0]]);
    expect(written(events, 9, 12)).toEqual([[], []]);
    expect(events.shotsBetween(0, 5).map((s) => s.tick)).toEqual([5]);
    expect(events.killsBetween(5, 6)).toEqual([{ tick: 6, killerId: 1, victimId: 6, weapon: 0 }]);
  });

  it('rounds positions to whole quanta and clamps them to the wire (0 … 262144, the world edge)', () => {
    const events = new EventHistory();
    events.pushShot({ ...shot(1), x0: -3, y0: 12.6, x1: 300_000, y1: 65535.4 });
    expect(events.shotsBetween(0, 1)[0]).toMatchObject({ x0: 0, y0: 13, x1: 262_144, y1: 65535 });
  });

  it('overwrites the oldest events when full, counts them, and never lists more than its capacity', () => {
    const events = new EventHistory(4, 2);
    for (let tick = 1; tick <= 6; tick++) events.pushShot(shot(tick));
    for (let tick = 1; tick <= 3; tick++) events.pushKill({ tick, killerId: 1, victimId: 2, weapon: 1 });
    expect(events.overwritten).toBe(2 + 1);
    expect(written(events, 0, 6)[0].map((tuple) => tuple[0])).toEqual([3, 4, 5, 6]);
    expect(written(events, 0, 6)[1].map((tuple) => tuple[0])).toEqual([2, 3]);
  });

  it('refuses an event older than the newest one (events are recorded in tick order)', () => {
    const events = new EventHistory();
    events.pushShot(shot(7));
    expect(() => events.pushShot(shot(6))).toThrow(RangeError);
    events.pushKill({ tick: 7, killerId: 1, victimId: 2, weapon: 0 });
    expect(() => events.pushKill({ tick: 3, killerId: 1, victimId: 2, weapon: 0 })).toThrow(RangeError);
  });

  it('refuses capacities above what a SNAPSHOT may list', () => {
    expect(() => new EventHistory(MAX_SNAPSHOT_SHOTS + 1)).toThrow(RangeError);
    expect(() => new EventHistory(16, MAX_SNAPSHOT_KILLS + 1)).toThrow(RangeError);
  });
});

describe('eventTicksProblem', () => {
  const body = (tick: number, baseAge: number, shotTicks: number[], killTicks: number[] = []) => ({
    tick,
    baseAge,
    shots: shotTicks.map((t) => ({ tick: t })),
    kills: killTicks.map((t) => ({ tick: t })),
  });

  it('accepts events of ticks after the baseline up to the snapshot, oldest first', () => {
    expect(eventTicksProblem(body(10, 3, [8, 8, 9, 10], [10]))).toBeUndefined();
    expect(eventTicksProblem(body(10, 0, [10], [10]))).toBeUndefined();
    expect(eventTicksProblem(body(10, 1, []))).toBeUndefined();
  });

  it('refuses an event of the baseline tick or before, of a later tick, or out of order', () => {
    expect(eventTicksProblem(body(10, 3, [7]))).toBe('shots[0] of tick 7 is outside (7, 10]');
    expect(eventTicksProblem(body(10, 3, [11]))).toBe('shots[0] of tick 11 is outside (7, 10]');
    expect(eventTicksProblem(body(10, 0, [9]))).toBe('shots[0] of tick 9 is outside (9, 10]');
    expect(eventTicksProblem(body(10, 3, [], [9, 8]))).toBe('kills[1] of tick 8 after one of tick 9');
  });
});
