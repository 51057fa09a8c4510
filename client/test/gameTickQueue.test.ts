// Shots wait until the render clock reaches their tick, come out in tick order, and a stalled
// render clock (a hidden tab) cannot make the queue grow past its bound.
import { describe, expect, it } from 'vitest';
import { TickQueue } from '../src/game/model/tickQueue.js';

describe('TickQueue', () => {
  it('releases events whose tick the render clock has reached, in tick order', () => {
    const queue = new TickQueue<{ tick: number; n: number }>();
    queue.push({ tick: 12, n: 1 });
    queue.push({ tick: 10, n: 2 });
    queue.push({ tick: 11, n: 3 });
    expect(queue.due(9.5)).toEqual([]);
    expect(queue.due(11).map((e) => e.n)).toEqual([2, 3]);
    expect(queue.size).toBe(1);
    expect(queue.due(12.2).map((e) => e.n)).toEqual([1]);
  });

  it('drops the oldest past maxHeld, so a render clock that stopped cannot grow it', () => {
    const queue = new TickQueue<{ tick: number }>(2);
    for (let tick = 1; tick <= 5; tick++) queue.push({ tick });
    expect(queue.size).toBe(2);
    expect(queue.dropped).toBe(3);
    expect(queue.due(Number.POSITIVE_INFINITY).map((e) => e.tick)).toEqual([4, 5]);
    expect(queue.size).toBe(0);
  });
});
