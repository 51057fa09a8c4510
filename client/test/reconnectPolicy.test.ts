// The reconnect policy: which closes reconnect, the full-jitter backoff, and the grace that ends the tries.
import { CloseCode, RECONNECT_ALLOWED } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import {
  RECONNECT_BASE_MS,
  RECONNECT_CAP_MS,
  ReconnectSchedule,
  reconnectAllowed,
  reconnectDelayMs,
  SILENCE_CLOSE_CODE,
} from '../src/net/reconnectPolicy.js';

const almostOne = () => 1 - Number.EPSILON;

describe('reconnectAllowed', () => {
  it('reconnects after an abnormal closure, a drain or shutdown, a slow client, a move and a silent link', () => {
    for (const code of [1006, 1001, CloseCode.SLOW_CLIENT, CloseCode.MOVED, SILENCE_CLOSE_CODE]) {
      expect(reconnectAllowed(code), String(code)).toBe(true);
    }
  });

  it('never reconnects after a refusal, a kick, a leave, an expired session or a takeover', () => {
    const final = [
      1000,
      1002,
      1008,
      1011,
      CloseCode.VERSION_MISMATCH,
      CloseCode.ROOM_FULL,
      CloseCode.INPUT_FLOOD,
      CloseCode.HANDSHAKE_TIMEOUT,
      CloseCode.MAP_MISMATCH,
      CloseCode.IDLE_KICK,
      CloseCode.JOIN_RATE,
      CloseCode.SEAT_REFUSED,
      CloseCode.SEAT_EXPIRED,
      CloseCode.SEAT_USED,
      CloseCode.ROOM_CLOSED,
      CloseCode.SESSION_EXPIRED,
      CloseCode.REPLACED,
      CloseCode.RESUME_REFUSED,
    ];
    for (const code of final) expect(reconnectAllowed(code), String(code)).toBe(false);
  });

  it('follows the protocol table and nothing else', () => {
    for (const code of [...Object.values(CloseCode), 1000, 1005, 1006]) {
      expect(reconnectAllowed(code)).toBe(RECONNECT_ALLOWED.has(code));
    }
  });
});

describe('reconnectDelayMs', () => {
  it('waits less than 250 ms before the first try', () => {
    expect(reconnectDelayMs(0, almostOne)).toBeLessThan(RECONNECT_BASE_MS);
    expect(reconnectDelayMs(0, () => 0)).toBe(0);
  });

  it('doubles its ceiling per try up to the 5 s cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 20, 1000].map((attempt) => reconnectDelayMs(attempt, almostOne) + 1);
    expect(ceilings).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000]);
  });

  it('is spread over the whole range (full jitter), not around the ceiling', () => {
    expect(reconnectDelayMs(3, () => 0.5)).toBe(1000);
    expect(reconnectDelayMs(3, () => 0.1)).toBe(200);
  });

  it('stays within [0, cap] for a random source out of range', () => {
    for (const r of [-1, 2, Number.NaN, Number.POSITIVE_INFINITY]) {
      const delay = reconnectDelayMs(9, () => r);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(RECONNECT_CAP_MS);
    }
  });
});

describe('ReconnectSchedule', () => {
  it('gives the backoff schedule on the passed-in clock, each try after the one before', () => {
    const schedule = new ReconnectSchedule(1000, 60_000, almostOne);
    const tries: number[] = [];
    let now = 1000;
    for (let i = 0; i < 7; i++) {
      const at = schedule.next(now)!;
      tries.push(at - now);
      now = at;
    }
    expect(tries).toEqual([249, 499, 999, 1999, 3999, 4999, 4999]);
    expect(schedule.attempts).toBe(7);
  });

  it('stops once the grace has passed since the drop', () => {
    const schedule = new ReconnectSchedule(1000, 10_000, almostOne);
    expect(schedule.next(10_999)).toBeDefined();
    expect(schedule.next(11_000)).toBeUndefined();
    expect(schedule.next(50_000)).toBeUndefined();
  });

  it('makes a last try just before the grace ends rather than a wait past it', () => {
    const schedule = new ReconnectSchedule(0, 3000, almostOne);
    schedule.attempts = 6;
    expect(schedule.next(2500)).toBe(2999);
    expect(schedule.next(2999)).toBeUndefined();
  });

  it('never tries with a grace of 0 (the server keeps no player)', () => {
    expect(new ReconnectSchedule(500, 0, () => 0).next(500)).toBeUndefined();
  });

  it('says how long it has tried', () => {
    const schedule = new ReconnectSchedule(1000, 10_000, () => 0);
    expect(schedule.elapsedMs(4500)).toBe(3500);
    expect(schedule.elapsedMs(500)).toBe(0);
  });
});
