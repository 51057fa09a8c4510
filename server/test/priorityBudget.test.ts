// The priority accumulator of a client's byte budget: what must go is paid first, then the waiting
// entities by accumulated priority; a skipped one's priority grows, so nothing starves.
import { describe, expect, it } from 'vitest';
import { entityWeight, PriorityBudget } from '../src/interest/priorityBudget.js';

describe('PriorityBudget', () => {
  it('sends everything while the budget covers it', () => {
    const budget = new PriorityBudget(3000, 30); // 100 bytes a frame
    const sent = new Set<number>();
    const spent = budget.plan(
      20,
      [
        { id: 1, bytes: 30, weight: 1 },
        { id: 2, bytes: 30, weight: 5 },
      ],
      sent,
    );
    expect([...sent].sort()).toEqual([1, 2]);
    expect(spent).toBe(80);
    // Each went the frame it first had something to send.
    expect(budget.lastLongestWaitFrames).toBe(0);
    expect(budget.waitingCount).toBe(0);
  });

  it('sends the highest priority first and skips what does not fit for a smaller one that does', () => {
    const budget = new PriorityBudget(3000, 30);
    const sent = new Set<number>();
    budget.plan(
      40,
      [
        { id: 1, bytes: 50, weight: 1 },
        { id: 2, bytes: 50, weight: 9 },
        { id: 3, bytes: 10, weight: 2 },
      ],
      sent,
    );
    expect([...sent].sort()).toEqual([2, 3]);
    expect(budget.waitingCount).toBe(1);
  });

  it('lets a low-weight entity through in the end: its priority grows while it waits', () => {
    const budget = new PriorityBudget(1500, 30); // 50 bytes a frame: one entity per frame
    const sent = new Set<number>();
    const lastSent = new Map<number, number>();
    const longestWait = new Map<number, number>();
    let reported = 0;
    for (let frame = 0; frame < 300; frame++) {
      // Four near movers with weight 40 every frame, and one far still entity with weight 1.
      const candidates = [1, 2, 3, 4].map((id) => ({ id, bytes: 45, weight: 40 }));
      candidates.push({ id: 9, bytes: 45, weight: 1 });
      budget.plan(0, candidates, sent);
      reported = Math.max(reported, budget.lastLongestWaitFrames);
      for (const id of sent) {
        longestWait.set(id, Math.max(longestWait.get(id) ?? 0, frame - (lastSent.get(id) ?? -1)));
        lastSent.set(id, frame);
      }
    }
    // Five entities share about 1.1 sends a frame: each waits about five frames, and none more than
    // the half-second deadline (15 frames) plus the frames the ones overdue before it take.
    for (const id of [1, 2, 3, 4, 9]) expect(longestWait.get(id)!).toBeLessThanOrEqual(budget.maxWaitFrames + 5);
    expect(299 - lastSent.get(9)!).toBeLessThanOrEqual(budget.maxWaitFrames + 5);
    // The budget's own figure of the longest wait agrees with what the test saw (frames waited = gap − 1).
    expect(reported).toBe(Math.max(...longestWait.values()) - 1);
  });

  it('forgets an entity that stops having something to send: back later, it waits afresh', () => {
    const budget = new PriorityBudget(300, 30); // 10 bytes a frame
    const sent = new Set<number>();
    budget.plan(0, [{ id: 7, bytes: 50, weight: 1 }], sent); // does not fit: waits
    expect(budget.waitingCount).toBe(1);
    for (let i = 0; i < 30; i++) budget.plan(0, [], sent); // out of reach: nothing to send
    expect(budget.waitingCount).toBe(0);
    budget.plan(0, [{ id: 7, bytes: 5, weight: 1 }], sent);
    expect([...sent]).toEqual([7]);
    expect(budget.lastLongestWaitFrames).toBe(0);
  });

  it('carries a frame whose mandatory part overdrew the budget as debt, and banks at most two frames', () => {
    const budget = new PriorityBudget(3000, 30);
    const sent = new Set<number>();
    budget.plan(250, [], sent);
    expect(budget.tokens).toBe(-150);
    budget.plan(0, [{ id: 1, bytes: 10, weight: 1 }], sent);
    expect(sent.size).toBe(0); // still in debt: -50
    for (let i = 0; i < 10; i++) budget.plan(0, [], sent);
    expect(budget.tokens).toBe(200);
  });

  it('weighs near over far and movers over still ones', () => {
    expect(entityWeight(0, 1000, false)).toBe(10);
    expect(entityWeight(1000, 1000, false)).toBe(1);
    expect(entityWeight(1000, 1000, true)).toBe(4);
    expect(entityWeight(500, 1000, true)).toBeGreaterThan(entityWeight(900, 1000, true));
  });
});
