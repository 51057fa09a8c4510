// A 32-bit fingerprint of the world a simulation runs in (FNV-1a over a canonical description), so
// client and server can check at the handshake that prediction and the server step the same world.
// Computed once per process (server) and once per connection (client).
import { PLAYER_RADIUS } from './map/collide.js';
import { ANGLE_STEPS, POSITION_SCALE } from './quantize.js';
import type { MovementRules } from './step.js';

/** FNV-1a, 32 bits, over the UTF-16 code units of `text` (each as two bytes, low first). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    hash = Math.imul(hash ^ (unit & 0xff), 0x01000193);
    hash = Math.imul(hash ^ (unit >>> 8), 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The hash of a world: its scenario name, its rules and the quantization both sides use. Anything
 * step() reads goes in here, so a client whose prediction would step a different world is stopped at
 * the handshake instead of mispredicting forever. A world with a map or faceAim (the game) adds the
 * facing rule, the player's box, the map's tile size and size, its solid grid and its spawn points;
 * a world with neither (the arena) hashes exactly as before maps existed.
 */
export function mapHash(scenario: string, rules: MovementRules): number {
  const description: unknown[] = [scenario, rules.width, rules.height, rules.speed, POSITION_SCALE, ANGLE_STEPS];
  const map = rules.map;
  if (map !== undefined || rules.faceAim === true) description.push(rules.faceAim === true ? 1 : 0);
  if (map !== undefined) {
    description.push(
      PLAYER_RADIUS,
      map.tileSize,
      map.cols,
      map.rows,
      Array.from(map.solid).join(''),
      map.spawns.map((spawn) => [spawn.x, spawn.y]),
    );
  }
  return fnv1a32(JSON.stringify(description));
}
