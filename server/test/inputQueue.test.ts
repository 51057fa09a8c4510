// InputQueue: bounded, first in first out, drops and counts the oldest when full.
import { describe, expect, it } from 'vitest';
import { InputQueue } from '../src/session/inputQueue.js';

const input = (seq: number) => ({ seq, moveX: 0, moveY: 0, buttons: 0, aimAngle: 0, viewTick: 0 });

describe('InputQueue', () => {
  it('returns inputs in the order they came', () => {
    const queue = new InputQueue(4);
    queue.push(input(1));
    queue.push(input(2));
    expect(queue.shift()?.seq).toBe(1);
    expect(queue.shift()?.seq).toBe(2);
    expect(queue.shift()).toBeUndefined();
  });

  it('drops the oldest input when full and counts it', () => {
    const queue = new InputQueue(3);
    for (let seq = 1; seq <= 5; seq++) queue.push(input(seq));
    expect(queue.length).toBe(3);
    expect(queue.dropped).toBe(2);
    expect(queue.shift()?.seq).toBe(3);
  });

  it('keeps order across many wrap-arounds of its ring', () => {
    const queue = new InputQueue(3);
    let next = 1;
    let expected = 1;
    for (let round = 0; round < 20; round++) {
      queue.push(input(next++));
      queue.push(input(next++));
      expect(queue.shift()?.seq).toBe(expected++);
      expect(queue.shift()?.seq).toBe(expected++);
      expect(queue.length).toBe(0);
    }
    expect(queue.dropped).toBe(0);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new InputQueue(0)).toThrow(RangeError);
  });
});
