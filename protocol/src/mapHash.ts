// A 32-bit fingerprint of the world a simulation runs in (FNV-1a over a canonical description), so
// client and server can check at the handshake that prediction and the server step the same world.
// Computed once per process (server) and once per connection (client).
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
 * step() reads goes in here (a map file, once there is one, too), so a client whose prediction would
 * step a different world is stopped at the handshake instead of mispredicting forever.
 */
export function mapHash(scenario: string, rules: MovementRules): number {
  const canonical = JSON.stringify([scenario, rules.width, rules.height, rules.speed, POSITION_SCALE, ANGLE_STEPS]);
  return fnv1a32(canonical);
}
