// Shot geometry in quanta: where a ray enters a hit circle, and how far it gets before the world's
// edge or a wall.
import { describe, expect, it } from 'vitest';
import { clearLength, rayCircleEntry } from '../src/sim/combat/shotGeometry.js';
import { mapOf } from './support/combatWorld.js';

describe('rayCircleEntry', () => {
  it('enters a circle ahead at its near edge', () => {
    expect(rayCircleEntry(0, 0, 1, 0, 100, 0, 10)).toBe(90);
    // Off the axis by 6 with radius 10: enters 8 before the centre's projection.
    expect(rayCircleEntry(0, 0, 1, 0, 100, 6, 10)).toBeCloseTo(92, 9);
  });

  it('misses a circle beside the ray or behind it', () => {
    expect(rayCircleEntry(0, 0, 1, 0, 100, 10.5, 10)).toBe(Number.POSITIVE_INFINITY);
    expect(rayCircleEntry(0, 0, 1, 0, -100, 0, 10)).toBe(Number.POSITIVE_INFINITY);
  });

  it('enters at once (0) when it starts inside the circle', () => {
    expect(rayCircleEntry(0, 0, 1, 0, 5, 5, 10)).toBe(0);
    expect(rayCircleEntry(0, 0, -1, 0, 5, 0, 10)).toBe(0);
  });
});

describe('clearLength', () => {
  const open = { maxX: 1600, maxY: 1600, map: undefined };

  it('stops at the world edge, or gets its whole length', () => {
    expect(clearLength(open, 800, 800, 1, 0, 500)).toBe(500);
    expect(clearLength(open, 800, 800, 1, 0, 5000)).toBe(800);
    expect(clearLength(open, 800, 800, 0, -1, 5000)).toBe(800);
    expect(clearLength(open, 100, 100, -Math.SQRT1_2, -Math.SQRT1_2, 5000)).toBeCloseTo(100 * Math.SQRT2, 9);
    expect(clearLength(open, 0, 800, -1, 0, 5000)).toBe(0);
  });

  it("stops at a wall's face (walls in units, positions in quanta)", () => {
    // 4 tiles of 32 units; tile 2 is a wall: its west face at x = 64 units = 1024 quanta.
    const map = mapOf(['..#.', '....'], 32);
    const world = { maxX: map.width * 16, maxY: map.height * 16, map };
    expect(clearLength(world, 160, 256, 1, 0, 5000)).toBeCloseTo(1024 - 160, 9);
    // The row below has no wall: it runs to the east edge.
    expect(clearLength(world, 160, 768, 1, 0, 5000)).toBeCloseTo(2048 - 160, 9);
    // Westward, nothing in the way but the edge.
    expect(clearLength(world, 160, 256, -1, 0, 5000)).toBeCloseTo(160, 9);
  });
});
