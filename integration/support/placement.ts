// Putting a test client's player at a known place (DEBUG_NUDGE, needs --debug-state true) and reading
// where it is from its own snapshots. Runs a few times per test, when a test sets up positions.
import type { EntityState } from '@tickwire/protocol';
import { EVENT_TIMEOUT_MS, type TestClient } from './testClient.js';
import type { WorldObject } from './world.js';

/** The most one DEBUG_NUDGE moves along an axis, in quanta (its int16 fields). */
const MAX_NUDGE = 32_767;

/** `client`'s own player in `world` (by default the newest world it applied). */
export function own(client: TestClient, world: WorldObject = client.snapshots.last!.world): EntityState {
  return world[client.welcome!.playerId]!;
}

/** The next snapshot to arrive at `client` (after this call) whose world matches `predicate`, with that world. */
export function nextWorld(
  client: TestClient,
  predicate: (world: WorldObject) => boolean,
  what: string,
  timeoutMs = EVENT_TIMEOUT_MS,
) {
  return client.snapshots.next(what, timeoutMs, (arrival) => predicate(arrival.world));
}

/** Stop `client` and move it with DEBUG_NUDGE to (x, y) whole units; resolves once a snapshot shows it there. */
export async function placeAt(client: TestClient, x: number, y: number): Promise<void> {
  const scale = client.welcome!.positionScale;
  client.input({ moveX: 0, moveY: 0 });
  const still = await nextWorld(client, (world) => own(client, world).vx === 0 && own(client, world).vy === 0, 'still');
  let dx = x * scale - own(client, still.world).x;
  let dy = y * scale - own(client, still.world).y;
  while (dx !== 0 || dy !== 0) {
    const stepX = Math.max(-MAX_NUDGE, Math.min(MAX_NUDGE, dx));
    const stepY = Math.max(-MAX_NUDGE, Math.min(MAX_NUDGE, dy));
    client.nudge(stepX, stepY);
    dx -= stepX;
    dy -= stepY;
  }
  await nextWorld(
    client,
    (world) => own(client, world).x === x * scale && own(client, world).y === y * scale,
    `player ${client.welcome!.playerId} at (${x}, ${y})`,
  );
}
