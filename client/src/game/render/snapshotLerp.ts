// Where to draw an entity between the last two snapshots received: a plain lerp by receive time.
// Called per entity per frame. (Adaptive interpolation on the server's clock is a later step.)
import { fromPositionQ, type WorldState } from '@tickwire/protocol';

export interface Placement {
  x: number;
  y: number;
}

/** Position of `id` at `alpha` (0 = previous snapshot, 1 = latest), in world units. */
export function placeBetween(
  previous: WorldState | undefined,
  latest: WorldState,
  id: number,
  alpha: number,
): Placement | undefined {
  const now = latest.entity(id);
  if (now === undefined) return undefined;
  const before = previous?.entity(id);
  if (before === undefined) return { x: fromPositionQ(now.x), y: fromPositionQ(now.y) };
  const t = Math.min(1, Math.max(0, alpha));
  return {
    x: fromPositionQ(before.x + (now.x - before.x) * t),
    y: fromPositionQ(before.y + (now.y - before.y) * t),
  };
}
