// The process's room scheduler on fake timers: slots spread rooms over the period, one timer per
// wake-up, each room at its own rate, and a throwing room leaves the others ticking.
import { describe, expect, it } from 'vitest';
import { RoomScheduler, type TickTarget } from '../src/rooms/roomScheduler.js';
import { FakeTimers } from './support/fakeTimers.js';

interface Recorded extends TickTarget {
  ticks: { tick: number; startMs: number; dueMs: number }[];
}

function room(id: string, work?: (tick: number) => void): Recorded {
  const ticks: Recorded['ticks'] = [];
  return {
    id,
    ticks,
    tick(tick, startMs, dueMs) {
      ticks.push({ tick, startMs, dueMs });
      work?.(tick);
    },
  };
}

function scheduler(slots = 8) {
  const timers = new FakeTimers();
  const errors: [string, unknown][] = [];
  const s = new RoomScheduler({ timers, slots, onError: (id, error) => errors.push([id, error]) });
  s.start();
  return { timers, errors, s };
}

describe('RoomScheduler', () => {
  it('puts each room in the least-loaded slot of its rate', () => {
    const { s } = scheduler(8);
    for (let i = 0; i < 20; i++) s.add(room(`r${i}`), 30);
    expect(s.slotLoads(30)).toEqual([3, 3, 3, 3, 2, 2, 2, 2]);
    s.remove('r0');
    s.remove('r8');
    expect(s.add(room('again'), 30)).toBe(0); // slot 0 kept only r16
  });

  it('spreads the slots evenly over the tick period', () => {
    const { timers, s } = scheduler(4);
    const rooms = Array.from({ length: 4 }, (_, i) => room(`r${i}`));
    for (const r of rooms) s.add(r, 25); // period 40 ms, slots 10 ms apart
    timers.advanceTo(200);
    const phases = rooms.map((r) => r.ticks[0]!.dueMs % 40).sort((a, b) => a - b);
    expect(phases).toEqual([0, 10, 20, 30]);
  });

  it('wakes K times per period with one timer, not once per room', () => {
    const { timers, s } = scheduler(8);
    const rooms = Array.from({ length: 64 }, (_, i) => room(`r${i}`));
    for (const r of rooms) s.add(r, 30);
    timers.advanceTo(10_000);
    expect(timers.maxPending).toBe(1);
    expect(Math.abs(s.wakeUps - 8 * 30 * 10)).toBeLessThanOrEqual(8);
    for (const r of rooms) expect(Math.abs(r.ticks.length - 300)).toBeLessThanOrEqual(1);
  });

  it('ticks each room at its own rate, numbering its ticks from 1 without gaps', () => {
    const { timers, s } = scheduler(8);
    const slow = room('slow');
    const fast = room('fast');
    s.add(slow, 20);
    s.add(fast, 60);
    timers.advanceTo(3000);
    expect(Math.abs(slow.ticks.length - 60)).toBeLessThanOrEqual(1);
    expect(Math.abs(fast.ticks.length - 180)).toBeLessThanOrEqual(1);
    expect(fast.ticks.map((t) => t.tick)).toEqual(fast.ticks.map((_, i) => i + 1));
  });

  it('continues a restored room from its last tick', () => {
    const { timers, s } = scheduler(8);
    const moved = room('moved');
    s.add(moved, 30, 9000);
    timers.advanceTo(100);
    expect(moved.ticks.map((t) => t.tick)).toEqual([9001, 9002, 9003]);
  });

  it('passes each room its own start time, so the later rooms of a slot see their lateness', () => {
    const { timers, s } = scheduler(1);
    const rooms = Array.from({ length: 3 }, (_, i) =>
      room(`r${i}`, () => {
        timers.nowMs += 0.05; // 50 µs of work per tick
      }),
    );
    for (const r of rooms) s.add(r, 30);
    timers.advanceTo(1000 / 30);
    const lateness = rooms.map((r) => r.ticks[0]!.startMs - r.ticks[0]!.dueMs);
    expect(lateness[0]).toBeCloseTo(0, 9);
    expect(lateness[1]).toBeCloseTo(0.05, 9);
    expect(lateness[2]).toBeCloseTo(0.1, 9);
  });

  it('reports a throwing room and keeps ticking it and every other room', () => {
    const { timers, errors, s } = scheduler(1);
    const bad = room('bad', () => {
      throw new Error('boom');
    });
    const good = room('good');
    s.add(bad, 30);
    s.add(good, 30);
    timers.advanceTo(1000.01); // tick 30 is due at 30 × (1000 / 30) ms, a rounding either side of 1000
    expect(good.ticks.length).toBe(30);
    expect(bad.ticks.length).toBe(30);
    expect(errors).toHaveLength(30);
    expect(errors[0]![0]).toBe('bad');
  });

  it('survives a reporter that throws too', () => {
    const timers = new FakeTimers();
    const s = new RoomScheduler({
      timers,
      slots: 1,
      onError: () => {
        throw new Error('reporter down');
      },
    });
    s.start();
    const good = room('good');
    s.add(
      room('bad', () => {
        throw new Error('boom');
      }),
      30,
    );
    s.add(good, 30);
    timers.advanceTo(1000.01); // tick 30 is due at 30 × (1000 / 30) ms, a rounding either side of 1000
    expect(good.ticks.length).toBe(30);
  });

  it('lets a room remove itself or another from inside a tick', () => {
    const { timers, s } = scheduler(1);
    const other = room('other');
    const self = room('self', (tick) => {
      if (tick === 2) {
        s.remove('self');
        s.remove('other');
      }
    });
    s.add(self, 30);
    s.add(other, 30);
    timers.advanceTo(1000);
    expect(self.ticks.length).toBe(2);
    expect(other.ticks.length).toBe(1);
    expect(s.rooms).toBe(0);
    expect(timers.pendingCount).toBe(0);
  });

  it('does not tick a room added during a tick until the next one', () => {
    const { timers, s } = scheduler(1);
    const late = room('late');
    s.add(
      room('first', (tick) => {
        if (tick === 1) s.add(late, 30);
      }),
      30,
    );
    timers.advanceTo(1000 / 30 + 0.001);
    expect(late.ticks).toEqual([]);
    timers.advanceTo(2000 / 30 + 0.001);
    expect(late.ticks.map((t) => t.tick)).toEqual([1]);
  });

  it('catches up after a stall the way one room’s clock does, for every room of the slot', () => {
    const { timers, s } = scheduler(1);
    const a = room('a');
    const b = room('b');
    s.add(a, 30);
    s.add(b, 30);
    timers.advanceTo(1000 / 30 + 0.001);
    timers.nowMs = 4 * (1000 / 30) + 0.002; // the event loop was blocked for three periods
    timers.advanceTo(timers.nowMs);
    expect(a.ticks.map((t) => t.tick)).toEqual([1, 2, 3, 4]);
    expect(b.ticks.map((t) => t.tick)).toEqual([1, 2, 3, 4]);
  });

  it('runs a slot from a timer that fires within 1 ms before its due time, rather than waking again', () => {
    const timers = new FakeTimers();
    const early = { ...timers, setTimer: (cb: () => void, ms: number) => timers.setTimer(cb, ms - 0.6) };
    const s = new RoomScheduler({ timers: early, slots: 1, onError: () => {} });
    s.start();
    const r = room('r');
    s.add(r, 30);
    timers.advanceTo(1000);
    expect(r.ticks).toHaveLength(30);
    expect(s.wakeUps).toBe(30);
    expect(r.ticks[0]!.startMs - r.ticks[0]!.dueMs).toBeCloseTo(-0.6, 9);
  });

  it('stops waking when stopped', () => {
    const { timers, s } = scheduler(8);
    const r = room('r');
    s.add(r, 30);
    s.stop();
    timers.advanceTo(1000);
    expect(r.ticks).toEqual([]);
    expect(timers.pendingCount).toBe(0);
  });
});
