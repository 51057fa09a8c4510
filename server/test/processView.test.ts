// The dashboard's process table kept fresh: a read lands in the table with its time, one read at
// a time (a slow directory never stacks reads), a failed read keeps the last rows and says why, and
// a read that answers at once lands at once.
import { describe, expect, it } from 'vitest';
import type { DashboardProcess, DashboardProcesses } from '../src/dashboard/processTable.js';
import { ProcessView } from '../src/dashboard/processView.js';

type Rows = Pick<DashboardProcesses, 'processes' | 'rest'>;

const row = (id: string): DashboardProcess => ({
  id,
  url: 'http://x',
  self: false,
  players: 0,
  maxTotalPlayers: 1,
  rooms: 0,
  maxRooms: 1,
  cpu: 0,
  draining: false,
  heartbeatAgeMs: 0,
  publicRooms: [],
  publicRest: 0,
});

/** A read the test settles by hand. */
function pendingReads() {
  const calls: { resolve: (rows: Rows) => void; reject: (error: Error) => void }[] = [];
  const read = () =>
    new Promise<Rows>((resolve, reject) => {
      calls.push({ resolve, reject });
    });
  return { calls, read };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the process view', () => {
  it('starts empty, unread, and fills with a read and its time', async () => {
    let clock = 5000;
    const { calls, read } = pendingReads();
    const view = new ProcessView('cluster', read, () => clock);
    expect(view.latest()).toEqual({ source: 'cluster', readAt: null, error: null, processes: [], rest: 0 });
    view.refresh();
    clock = 5100;
    calls[0]!.resolve({ processes: [row('a'), row('b')], rest: 0 });
    await flush();
    expect(view.latest()).toMatchObject({ readAt: 5100, error: null, rest: 0 });
    expect(view.latest().processes.map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('starts no second read while one is in flight, and starts the next once it lands', async () => {
    const { calls, read } = pendingReads();
    const view = new ProcessView('cluster', read, () => 0);
    view.refresh();
    view.refresh();
    view.refresh();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve({ processes: [], rest: 0 });
    await flush();
    view.refresh();
    expect(calls).toHaveLength(2);
  });

  it('keeps the last rows and their time when a read fails, says why, and clears it at the next good read', async () => {
    let clock = 1000;
    const { calls, read } = pendingReads();
    const view = new ProcessView('cluster', read, () => clock);
    view.refresh();
    calls[0]!.resolve({ processes: [row('a')], rest: 0 });
    await flush();
    clock = 2000;
    view.refresh();
    calls[1]!.reject(new Error('Redis is unavailable'));
    await flush();
    expect(view.latest()).toMatchObject({ readAt: 1000, error: 'Redis is unavailable' });
    expect(view.latest().processes.map((p) => p.id)).toEqual(['a']);
    clock = 3000;
    view.refresh();
    calls[2]!.resolve({ processes: [row('b')], rest: 0 });
    await flush();
    expect(view.latest()).toMatchObject({ readAt: 3000, error: null });
    expect(view.latest().processes.map((p) => p.id)).toEqual(['b']);
  });

  it('lands a read that answers at once before refresh() returns', () => {
    let reads = 0;
    const view = new ProcessView(
      'local',
      () => {
        reads++;
        return { processes: [row(`own-${reads}`)], rest: 0 };
      },
      () => 42,
    );
    view.refresh();
    expect(view.latest()).toMatchObject({ source: 'local', readAt: 42, processes: [{ id: 'own-1' }] });
    view.refresh();
    expect(view.latest().processes[0]!.id).toBe('own-2');
  });
});
