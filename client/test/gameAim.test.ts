// Mouse to INPUT: left is primary fire (bit 0), right is secondary (bit 1), and the aim angle is
// measured on screen axes (+y south) from the player to the world point under the mouse.

import { Button } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { aimAngle, fireButtons } from '../src/game/model/aim.js';

describe('fireButtons', () => {
  it('maps left to primary, right to secondary, both to both, none to 0', () => {
    expect(fireButtons(false, false)).toBe(0);
    expect(fireButtons(true, false)).toBe(Button.PRIMARY);
    expect(fireButtons(false, true)).toBe(Button.SECONDARY);
    expect(fireButtons(true, true)).toBe(3);
  });
});

describe('aimAngle', () => {
  it('is 0 towards +x, π/2 towards +y (south), ±π towards −x, −π/2 towards north', () => {
    expect(aimAngle(100, 100, 200, 100)).toBe(0);
    expect(aimAngle(100, 100, 100, 300)).toBeCloseTo(Math.PI / 2);
    expect(Math.abs(aimAngle(100, 100, 0, 100))).toBeCloseTo(Math.PI);
    expect(aimAngle(100, 100, 100, 0)).toBeCloseTo(-Math.PI / 2);
  });

  it('stays in [-π, π] and keeps the previous angle when the mouse is on the player', () => {
    for (let i = 0; i < 64; i++) {
      const a = (i / 64) * 2 * Math.PI;
      const angle = aimAngle(0, 0, Math.cos(a), Math.sin(a));
      expect(angle).toBeGreaterThanOrEqual(-Math.PI);
      expect(angle).toBeLessThanOrEqual(Math.PI);
    }
    expect(aimAngle(5, 5, 5, 5, 1.25)).toBe(1.25);
  });
});
