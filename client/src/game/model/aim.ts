// Mouse state to the INPUT message's buttons and aim angle; called once per input sent (per tick).
// Pure so it is unit-tested; the game scene feeds it Phaser's pointer.
import { Button } from '@tickwire/protocol';

/** The buttons field from which mouse buttons are held: left = primary, right = secondary. */
export function fireButtons(leftDown: boolean, rightDown: boolean): number {
  return (leftDown ? Button.PRIMARY : 0) | (rightDown ? Button.SECONDARY : 0);
}

/**
 * The aim angle in radians, in [-π, π] (0 = +x, +y is south, as on screen), from the player to the
 * point under the mouse, both in world units. A mouse exactly on the player keeps `previous`.
 */
export function aimAngle(fromX: number, fromY: number, toX: number, toY: number, previous = 0): number {
  const dx = toX - fromX;
  const dy = toY - fromY;
  return dx === 0 && dy === 0 ? previous : Math.atan2(dy, dx);
}
