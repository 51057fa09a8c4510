// The net graph's line on the entities in view; rebuilt once per frame while the net graph (F3) is shown.
import type { Connection } from '../../net/connection.js';

/**
 * The client's world at the latest snapshot (with interest management: what is near this player),
 * and how many entities that snapshot brought into view (created) and took out of it (removed).
 */
export function viewLine(connection: Pick<Connection, 'latestSnapshot' | 'world'>): string {
  const snapshot = connection.latestSnapshot;
  if (snapshot === undefined) return 'in view    –';
  const { created, removed } = snapshot;
  return `in view    ${connection.world.count} entities  +${created.length} −${removed.length} last snapshot`;
}
