// One room's pending seats on a fake clock: issue, claim once, replay told from unknown, expiry, the count.
import { describe, expect, it } from 'vitest';
import { PendingSeats } from '../src/rooms/pendingSeats.js';

describe('PendingSeats', () => {
  it('claims an issued seat once; a second claim is a replay (used), not unknown', () => {
    const seats = new PendingSeats();
    seats.issue('n1', 15_000);
    expect(seats.claim('n1', 1000)).toBe('ok');
    expect(seats.claim('n1', 2000)).toBe('used');
  });

  it('calls a nonce it never issued unknown', () => {
    expect(new PendingSeats().claim('never', 0)).toBe('unknown');
  });

  it('refuses a seat claimed at or after its expiry', () => {
    const seats = new PendingSeats();
    seats.issue('n1', 15_000);
    expect(seats.claim('n1', 15_000)).toBe('expired');
  });

  it('counts live unclaimed seats: from issue until use or expiry', () => {
    const seats = new PendingSeats();
    seats.issue('a', 10_000);
    seats.issue('b', 20_000);
    expect(seats.pending(0)).toBe(2);
    seats.claim('a', 5000);
    expect(seats.pending(5000)).toBe(1);
    expect(seats.pending(20_000)).toBe(0);
  });

  it('keeps a claimed nonce until its expiry, then forgets it', () => {
    const seats = new PendingSeats();
    seats.issue('a', 10_000);
    seats.claim('a', 1000);
    seats.sweep(9999);
    expect(seats.claim('a', 9999)).toBe('used');
    seats.sweep(10_000);
    expect(seats.size).toBe(0);
  });

  it('will not issue a nonce twice, pending or claimed', () => {
    const seats = new PendingSeats();
    expect(seats.issue('a', 10_000)).toBe(true);
    expect(seats.issue('a', 20_000)).toBe(false);
    seats.claim('a', 0);
    expect(seats.issue('a', 20_000)).toBe(false);
  });

  it('gives back a cancelled seat at once', () => {
    const seats = new PendingSeats();
    seats.issue('a', 10_000);
    seats.cancel('a');
    expect(seats.pending(0)).toBe(0);
    expect(seats.claim('a', 0)).toBe('unknown');
  });
});
