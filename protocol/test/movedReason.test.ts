// 4019 MOVED's reason: the room's new socket when it fits in a close frame, read back by the client.
import { describe, expect, it } from 'vitest';
import { closeReasonBytes, MAX_CLOSE_REASON_BYTES } from '../src/closeReason.js';
import { MOVED_REASON_TEXT, movedAddress, movedReason } from '../src/movedReason.js';
import { roomSocketUrl } from '../src/rooms/matchmakeApi.js';

describe('movedReason', () => {
  it('is the room socket on the taking process, which the client reads back as the same address', () => {
    const url = roomSocketUrl('http://10.0.0.5:8080', 'r-7Kq2');
    expect(url).toBe('ws://10.0.0.5:8080/ws/r-7Kq2');
    expect(movedReason(url)).toBe(url);
    expect(movedAddress(movedReason(url))).toBe(url);
    expect(roomSocketUrl('https://eu.example.com', 'a')).toBe('wss://eu.example.com/ws/a');
  });

  it('is the plain text when the address is unknown, not a ws URL, or longer than a close frame holds', () => {
    const long = roomSocketUrl(`http://${'h'.repeat(MAX_CLOSE_REASON_BYTES)}.example.com`, 'r');
    expect(closeReasonBytes(long)).toBeGreaterThan(MAX_CLOSE_REASON_BYTES);
    for (const wsUrl of [undefined, long, 'http://a/ws/r', 'not a url'])
      expect(movedReason(wsUrl)).toBe(MOVED_REASON_TEXT);
    expect(closeReasonBytes(MOVED_REASON_TEXT)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
  });

  it('reads no address from a reason that is not a ws:// or wss:// URL', () => {
    for (const reason of [
      MOVED_REASON_TEXT,
      '',
      'http://a/ws/r',
      'javascript:alert(1)',
      'ws://',
      'ws://user@host/ws/r',
    ]) {
      expect(movedAddress(reason)).toBeUndefined();
    }
    expect(movedAddress('wss://eu.example.com/ws/a')).toBe('wss://eu.example.com/ws/a');
  });
});
