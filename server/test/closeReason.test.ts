// Close reasons: whatever text a close is given, the frame's reason fits RFC 6455's 123 bytes, and
// the 183-byte frame that once stopped the process now closes just its own connection.
import { CloseCode, closeReason, decodeClientFrame, MAX_CLOSE_REASON_BYTES } from '@tickwire/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeRoom } from './support/fakeRoom.js';

/** "€" × 60 as a MessagePack str 8, then one trailing byte: 183 bytes, valid MessagePack and one too many. */
const EURO_FRAME = (() => {
  const text = Buffer.from('€'.repeat(60));
  return Uint8Array.from([0xd9, text.length, ...text, 0x00]);
})();

describe('closeReason', () => {
  it('keeps a short plain reason as it is', () => {
    expect(closeReason('room full (256 players)')).toBe('room full (256 players)');
  });

  it('cuts a long non-ASCII reason at a code point boundary, within 123 UTF-8 bytes, with an ellipsis', () => {
    const reason = closeReason('€'.repeat(100));
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(reason.endsWith('…')).toBe(true);
    expect(reason.slice(0, -1)).toBe('€'.repeat(reason.length - 1));
  });

  it('replaces control characters and lone surrogates', () => {
    expect(closeReason('a\u0000b\nc\u0085')).toBe('a b c ');
    expect(closeReason('x\ud800y')).toBe('x\ufffdy');
  });

  it('fits any text into a close frame', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        expect(Buffer.byteLength(closeReason(text))).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});

describe('a frame whose decoding error once quoted the value', () => {
  it('is refused with a reason that does not quote it', () => {
    expect(EURO_FRAME.length).toBe(183);
    const decoded = decodeClientFrame(EURO_FRAME);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.code).toBe(CloseCode.UNDECODABLE);
    expect(decoded.reason).not.toContain('€');
    expect(decoded.reason).toBe('not one MessagePack value: bytes left over after the first value');
  });

  it('closes only its own connection with 4001, before HELLO and while playing', () => {
    const t = makeRoom();
    const honest = t.connect('honest');
    const before = t.openOnly();
    expect(() => t.send(before.session, EURO_FRAME)).not.toThrow();
    expect(before.socket.closed?.code).toBe(CloseCode.UNDECODABLE);
    const playing = t.connect('playing');
    expect(() => t.send(playing.session, EURO_FRAME)).not.toThrow();
    expect(playing.socket.closed?.code).toBe(CloseCode.UNDECODABLE);
    t.ticks(2);
    expect(honest.socket.closed).toBeUndefined();
    expect(honest.socket.snapshots().length).toBe(2);
    expect(t.room.playerCount).toBe(1);
  });
});
