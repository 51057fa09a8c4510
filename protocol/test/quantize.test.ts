// Fixed-point grids: world units ↔ position quanta, radians ↔ angle steps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANGLE_STEPS, fromAngleQ, fromPositionQ, POSITION_SCALE, toAngleQ, toPositionQ } from '../src/index.js';

describe('position quanta', () => {
  it('are 1/16 unit: 2048 units is 32,768 quanta, which fits a uint16', () => {
    expect(POSITION_SCALE).toBe(16);
    expect(toPositionQ(2048)).toBe(32768);
    expect(fromPositionQ(107)).toBe(6.6875);
  });

  it('round-trip every quantum exactly and round units to the nearest quantum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), (q) => {
        expect(toPositionQ(fromPositionQ(q))).toBe(q);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 0, max: 4095, noNaN: true }), (units) => {
        expect(Math.abs(fromPositionQ(toPositionQ(units)) - units)).toBeLessThanOrEqual(1 / 32);
      }),
    );
  });
});

describe('angle steps', () => {
  it('are 1/256 turn, 0 = +x, increasing towards +y, wrapping into 0..255', () => {
    expect(ANGLE_STEPS).toBe(256);
    expect(toAngleQ(0)).toBe(0);
    expect(toAngleQ(Math.PI / 2)).toBe(64);
    expect(toAngleQ(Math.PI)).toBe(128);
    expect(toAngleQ(-Math.PI / 2)).toBe(192);
    expect(toAngleQ(2 * Math.PI)).toBe(0);
    expect(toAngleQ(-4 * Math.PI - Math.PI / 4)).toBe(224);
  });

  it('round-trip every step exactly and never give -0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ANGLE_STEPS - 1 }), (q) => {
        expect(toAngleQ(fromAngleQ(q))).toBe(q);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), (radians) => {
        const q = toAngleQ(radians);
        expect(Number.isInteger(q) && q >= 0 && q < ANGLE_STEPS && !Object.is(q, -0)).toBe(true);
      }),
    );
  });
});
