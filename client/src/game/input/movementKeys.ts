// Reads WASD and the arrow keys into a movement direction; called once per input sent (per tick).
// Screen coordinates: +x right, +y down, so W/up is y = −1. Diagonals are normalized to length 1.
import type Phaser from 'phaser';

export interface MovementKeys {
  direction(): { moveX: number; moveY: number };
}

export function createMovementKeys(keyboard: Phaser.Input.Keyboard.KeyboardPlugin): MovementKeys {
  const keys = keyboard.addKeys('W,A,S,D,UP,LEFT,DOWN,RIGHT') as Record<string, Phaser.Input.Keyboard.Key>;
  const down = (...names: string[]) => names.some((name) => keys[name]?.isDown === true);
  return {
    direction() {
      const x = (down('D', 'RIGHT') ? 1 : 0) - (down('A', 'LEFT') ? 1 : 0);
      const y = (down('S', 'DOWN') ? 1 : 0) - (down('W', 'UP') ? 1 : 0);
      const scale = x !== 0 && y !== 0 ? Math.SQRT1_2 : 1;
      return { moveX: x * scale, moveY: y * scale };
    },
  };
}
