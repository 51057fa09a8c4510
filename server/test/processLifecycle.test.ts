// The process lifecycle on a fake clock, one test per state and transition: starting, running,
// draining (until empty, or until its deadline), stopped (final), and what each state refuses.
import { describe, expect, it } from 'vitest';
import {
  DRAIN_DEADLINE_MS,
  issuesSeats,
  nextProcessLife,
  PROCESS_STATES,
  type ProcessEvent,
  type ProcessLife,
  startingProcess,
} from '../src/processLifecycle.js';

/** Apply events at their times, in order. */
function run(life: ProcessLife, ...steps: [number, ProcessEvent][]): ProcessLife {
  for (const [atMs, event] of steps) life = nextProcessLife(life, event, atMs);
  return life;
}
const listening: ProcessEvent = { type: 'listening' };
const drain = (deadlineAfterMs = DRAIN_DEADLINE_MS): ProcessEvent => ({ type: 'drain', deadlineAfterMs });
const check = (occupiedRooms: number): ProcessEvent => ({ type: 'check', occupiedRooms });
const stop = (occupiedRooms = 0): ProcessEvent => ({ type: 'stop', occupiedRooms });
const running = run(startingProcess(), [0, listening]);

describe('process lifecycle', () => {
  it('starting: a new process is starting, and checks do not move it', () => {
    expect(startingProcess()).toEqual({ state: 'starting' });
    expect(run(startingProcess(), [5000, check(0)]).state).toBe('starting');
  });

  it('starting → running once listening', () => {
    expect(running).toEqual({ state: 'running' });
  });

  it('starting → stopped when told to stop before it listens', () => {
    expect(run(startingProcess(), [0, stop()])).toEqual({ state: 'stopped', cause: 'stop', occupiedRooms: 0 });
  });

  it('running: checks and a second listening change nothing', () => {
    expect(run(running, [1000, check(3)], [2000, check(0)], [3000, listening])).toBe(running);
  });

  it('running → draining on drain, with its deadline on the same clock', () => {
    expect(run(running, [1000, drain(30_000)])).toEqual({ state: 'draining', sinceMs: 1000, deadlineMs: 31_000 });
  });

  it('running → stopped at once on stop (SIGINT)', () => {
    expect(run(running, [1000, stop(2)])).toEqual({ state: 'stopped', cause: 'stop', occupiedRooms: 2 });
  });

  it('draining: occupied rooms keep it draining until the deadline, and a second drain changes nothing', () => {
    const draining = run(running, [0, drain(1500)]);
    expect(run(draining, [1000, check(2)], [1499, check(1)], [1499, drain(60_000)])).toBe(draining);
  });

  it('draining → stopped (drained) at the first check that finds no room occupied', () => {
    const life = run(running, [0, drain(30_000)], [1000, check(1)], [2000, check(0)]);
    expect(life).toEqual({ state: 'stopped', cause: 'drained', occupiedRooms: 0 });
  });

  it('draining → stopped (drained) at once when nothing is occupied when the drain starts', () => {
    expect(run(running, [0, drain()], [0, check(0)]).state).toBe('stopped');
  });

  it('draining → stopped (deadline) when rooms are still occupied at the deadline', () => {
    const life = run(running, [0, drain(1500)], [1000, check(2)], [2000, check(2)]);
    expect(life).toEqual({ state: 'stopped', cause: 'deadline', occupiedRooms: 2 });
  });

  it('draining → stopped (deadline) at once with a deadline of 0', () => {
    expect(run(running, [0, drain(0)], [0, check(1)])).toEqual({
      state: 'stopped',
      cause: 'deadline',
      occupiedRooms: 1,
    });
  });

  it('draining → stopped at once on stop (a second SIGTERM, or SIGINT)', () => {
    expect(run(running, [0, drain()], [10, stop(4)])).toEqual({ state: 'stopped', cause: 'stop', occupiedRooms: 4 });
  });

  it('stopped is final: no event leaves it', () => {
    const stopped = run(running, [0, drain()], [0, check(0)]);
    expect(run(stopped, [1, listening], [2, drain()], [3, check(5)], [4, stop(5)])).toBe(stopped);
  });

  it('only a running process issues seats: starting, draining and stopped refuse them', () => {
    expect(PROCESS_STATES.filter(issuesSeats)).toEqual(['running']);
  });
});
