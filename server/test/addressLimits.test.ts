// AddressLimits with a driven clock: connections per address, the join bucket, and a table that
// stays bounded however many addresses come by.
import { describe, expect, it } from 'vitest';
import { AddressLimits } from '../src/transport/addressLimits.js';

const limits = (maxConnectionsPerIp: number, joinsPerMinutePerIp: number, maxTracked?: number) =>
  new AddressLimits({ maxConnectionsPerIp, joinsPerMinutePerIp }, maxTracked);

describe('AddressLimits connections', () => {
  it('refuses the connection past the maximum, per address, until one closes', () => {
    const l = limits(16, 0);
    for (let i = 0; i < 16; i++) expect(l.openConnection('203.0.113.7')).toBe(true);
    expect(l.openConnection('203.0.113.7')).toBe(false);
    expect(l.openConnection('203.0.113.8')).toBe(true);
    l.closeConnection('203.0.113.7');
    expect(l.openConnection('203.0.113.7')).toBe(true);
    expect(l.openConnection('203.0.113.7')).toBe(false);
  });

  it('forgets an address once its last connection closes, and ignores a close it never counted', () => {
    const l = limits(2, 0);
    l.openConnection('a');
    l.openConnection('a');
    l.closeConnection('a');
    l.closeConnection('a');
    l.closeConnection('a');
    l.closeConnection('never-opened');
    expect(l.tracked.connections).toBe(0);
    expect(l.openConnection('a')).toBe(true);
    expect(l.openConnection('a')).toBe(true);
    expect(l.openConnection('a')).toBe(false);
  });

  it('does not limit connections at 0', () => {
    const l = limits(0, 0);
    for (let i = 0; i < 1000; i++) expect(l.openConnection('a')).toBe(true);
  });
});

describe('AddressLimits joins', () => {
  it('admits a burst of joinsPerMinute, refuses the next, and refills at that rate', () => {
    const l = limits(0, 30);
    for (let i = 0; i < 30; i++) expect(l.admitJoin('a', 1000)).toBe(true);
    expect(l.admitJoin('a', 1000)).toBe(false);
    expect(l.admitJoin('b', 1000)).toBe(true);
    // One join's worth refills every 2 s at 30 per minute.
    expect(l.admitJoin('a', 2999)).toBe(false);
    expect(l.admitJoin('a', 3000)).toBe(true);
    expect(l.admitJoin('a', 3000)).toBe(false);
  });

  it('refuses a steady rate above the limit and never one below it', () => {
    const above = limits(0, 6);
    const below = limits(0, 6);
    let refusedAbove = 0;
    for (let t = 0; t < 600_000; t += 5_000) if (!above.admitJoin('a', t)) refusedAbove++; // 12 a minute
    for (let t = 0; t < 600_000; t += 10_000) expect(below.admitJoin('a', t)).toBe(true); // 6 a minute
    expect(refusedAbove).toBeGreaterThan(50);
  });

  it('does not limit joins at 0', () => {
    const l = limits(0, 0);
    for (let i = 0; i < 1000; i++) expect(l.admitJoin('a', 0)).toBe(true);
  });

  it('forgets addresses whose bucket refilled, so idle addresses cost nothing', () => {
    const l = limits(0, 30);
    for (let i = 0; i < 500; i++) l.admitJoin(`198.51.100.${i}`, 0);
    expect(l.tracked.joins).toBe(500);
    l.admitJoin('203.0.113.7', 60_000);
    expect(l.tracked.joins).toBe(1);
  });

  it('keeps at most maxTracked addresses however many arrive within a minute', () => {
    const l = limits(0, 30, 100);
    let most = 0;
    for (let i = 0; i < 100_000; i++) {
      l.admitJoin(`key-${i}`, i / 10);
      most = Math.max(most, l.tracked.joins);
    }
    expect(most).toBe(100);
  });

  it('still refuses an address that keeps joining while many others come and go', () => {
    const l = limits(0, 3, 100);
    for (let i = 0; i < 3; i++) l.admitJoin('busy', 0);
    // Each sighting rewrites 'busy' into the young generation, so the cap drops others first.
    for (let i = 0; i < 1000; i++) {
      l.admitJoin(`other-${i}`, 1);
      if (i % 50 === 0) expect(l.admitJoin('busy', 1)).toBe(false);
    }
  });
});
