// Roster traffic with fake sockets and a driven tick: what steady players receive while others
// join and leave grows with the number of changes, not with changes × room size.
import { NORMAL_CLOSURE } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { makeRoom } from './support/fakeRoom.js';
import { expectRostersMatchFullList } from './support/rosterInvariant.js';

/** Roster bytes the first steady player receives while one client joins and leaves `k` times (one pair per tick). */
function churnBytes(steady: number, k: number): number {
  // One snapshot a second: snapshots are not what this measures, and 200 fake clients decode each.
  const t = makeRoom({ maxPlayers: 1024, snapshotRate: 1 });
  const players = Array.from({ length: steady }, (_, i) => t.connect(`steady${i}`));
  t.ticks(1);
  const watcher = players[0]!.socket;
  const before = watcher.rosterBytes;
  for (let i = 0; i < k; i++) {
    const churner = t.connect('churn');
    t.ticks(1);
    t.room.disconnected(churner.session, NORMAL_CLOSURE);
    t.ticks(1);
  }
  expectRostersMatchFullList(
    t.room,
    players.map((p) => p.socket),
  );
  return watcher.rosterBytes - before;
}

describe('roster traffic under join/leave churn', () => {
  // CPU-bound: the timeout only keeps a busy CI machine from cutting it short.
  it('costs a steady player bytes in proportion to the joins and leaves, whatever the room size', {
    timeout: 60_000,
  }, () => {
    const small = churnBytes(5, 40);
    const large = churnBytes(200, 40);
    // Each join or leave is a few bytes of change; a full list per change would be ~40× larger here.
    expect(large).toBeLessThan(small * 1.5);
    expect(large / 80).toBeLessThan(40);
  });
});
