// The net graph's line on the entities in view; rebuilt once per frame while the net graph (F3) is shown.
import type { Connection } from '../../net/connection.js';

/**
 * The client's world at the latest snapshot (with interest management: what is near this player),
 * how many of those a byte budget holds deferred (as last sent, drawn extrapolated), and how many
 * entities that snapshot brought into view (created) and took out of it (removed).
 */
export function viewLine(connection: Pick<Connection, 'latestSnapshot' | 'world' | 'deferredCount'>): string {
  const snapshot = connection.latestSnapshot;
  if (snapshot === undefined) return 'in view    –';
  const { created, removed } = snapshot;
  const deferred = connection.deferredCount;
  const held = deferred === 0 ? '' : ` (${deferred} deferred)`;
  return `in view    ${connection.world.count} entities${held}  +${created.length} −${removed.length} last snapshot`;
}
