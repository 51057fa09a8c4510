// InputQueue: bounded, first in first out, drops and counts the oldest when full.
import { describe, expect, it } from 'vitest';
import { InputQueue, type QueuedInput } from '../src/session/inputQueue.js';

const input = (seq: number): QueuedInput => ({ seq, moveX: 0, moveY: 0, buttons: 0, aimAngle: 0, viewTick: 0 });

/** The oldest input, or undefined when the queue is empty. */
function shift(queue: InputQueue): QueuedInput | undefined {
  const out = input(0);
  return queue.shiftInto(out) ? out : undefined;
}

describe('InputQueue', () => {
  it('returns inputs in the order they came', () => {
    const queue = new InputQueue(4);
    queue.push(input(1));
    queue.push(input(2));
    expect(shift(queue)?.seq).toBe(1);
    expect(shift(queue)?.seq).toBe(2);
    expect(shift(queue)).toBeUndefined();
  });

  it('drops the oldest input when full and counts it', () => {
    const queue = new InputQueue(3);
    for (let seq = 1; seq <= 5; seq++) queue.push(input(seq));
    expect(queue.length).toBe(3);
    expect(queue.dropped).toBe(2);
    expect(shift(queue)?.seq).toBe(3);
  });

  it('keeps order across many wrap-arounds of its ring', () => {
    const queue = new InputQueue(3);
    let next = 1;
    let expected = 1;
    for (let round = 0; round < 20; round++) {
      queue.push(input(next++));
      queue.push(input(next++));
      expect(shift(queue)?.seq).toBe(expected++);
      expect(shift(queue)?.seq).toBe(expected++);
      expect(queue.length).toBe(0);
    }
    expect(queue.dropped).toBe(0);
  });

  it('copies every field in and out, and keeps no reference to what was pushed', () => {
    const queue = new InputQueue(2);
    const pushed: QueuedInput = { seq: 7, moveX: -0.5, moveY: 1, buttons: 3, aimAngle: -Math.PI, viewTick: 6.25 };
    queue.push(pushed);
    const copy = { ...pushed };
    pushed.seq = 99;
    pushed.moveX = 0;
    expect(shift(queue)).toEqual(copy);
  });

  it('leaves the target untouched when empty', () => {
    const out = input(5);
    expect(new InputQueue(1).shiftInto(out)).toBe(false);
    expect(out.seq).toBe(5);
  });

  it('remembers the seq it last handed out, and counts empty takes after the first input as starved', () => {
    const queue = new InputQueue(4);
    expect(shift(queue)).toBeUndefined();
    expect(queue.starved).toBe(0); // nothing was ever applied: not starved, just not started
    queue.push(input(1));
    queue.push(input(2));
    shift(queue);
    expect(queue.lastTakenSeq).toBe(1);
    shift(queue);
    expect(shift(queue)).toBeUndefined();
    expect(shift(queue)).toBeUndefined();
    expect(queue.lastTakenSeq).toBe(2);
    expect(queue.starved).toBe(2);
  });

  it("keeps a subclass's reserved doubles apart from the ring, through drops and wrap-around", () => {
    class WithOwnNumbers extends InputQueue {
      constructor() {
        super(3, 2);
        this.items[0] = -1.25;
        this.items[1] = Number.NaN;
      }
      own(): number[] {
        return this.items.slice(0, 2);
      }
    }
    const queue = new WithOwnNumbers();
    for (let seq = 1; seq <= 10; seq++) queue.push(input(seq)); // seven dropped, the ring wrapped
    expect([shift(queue)?.seq, shift(queue)?.seq, shift(queue)?.seq, shift(queue)]).toEqual([8, 9, 10, undefined]);
    expect(queue.own()).toEqual([-1.25, Number.NaN]);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new InputQueue(0)).toThrow(RangeError);
  });
});
