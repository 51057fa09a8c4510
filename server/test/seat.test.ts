// Seat tokens: signed claims that verify, and every kind of bad token refused with its reason, never a throw.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SEAT_TOKEN_CHARS, newSeatNonce, signSeat, verifySeat } from '../src/rooms/seat.js';
import { MIN_SEAT_SECRET_CHARS, seatSecretFrom } from '../src/rooms/seatSecret.js';

const secret = Buffer.from('a test secret of at least thirty-two characters');
const other = Buffer.from('another secret, also thirty-two characters long');
const claims = { room: 'r7Kx2mQpL9aB3cD4', exp: 1_000_015_000, nonce: 'AAECAwQFBgcICQoLDA0ODw' };

describe('seat tokens', () => {
  it('verifies a seat it signed, before its expiry, with the same claims', () => {
    const token = signSeat(secret, claims);
    expect(verifySeat(secret, token, 1_000_000_000)).toEqual({ ok: true, claims });
  });

  it('carries extra claims under ext, signed with the rest', () => {
    const ext = { url: 'http://10.0.0.5:8080', settings: { scenario: 'arena', maxPlayers: 8 } };
    const check = verifySeat(secret, signSeat(secret, { ...claims, ext }), 0);
    expect(check).toEqual({ ok: true, claims: { ...claims, ext } });
  });

  it('refuses an expired seat, from its expiry on', () => {
    const token = signSeat(secret, claims);
    expect(verifySeat(secret, token, claims.exp - 1).ok).toBe(true);
    expect(verifySeat(secret, token, claims.exp)).toEqual({ ok: false, refusal: 'expired' });
  });

  it('refuses a seat signed under another secret as a bad signature', () => {
    expect(verifySeat(secret, signSeat(other, claims), 0)).toEqual({ ok: false, refusal: 'bad-signature' });
  });

  it('refuses a forged seat whose claims were edited after signing', () => {
    const [, macPart] = signSeat(secret, claims).split('.');
    const edited = Buffer.from(JSON.stringify({ v: 1, ...claims, room: 'someOtherRoom123' })).toString('base64url');
    expect(verifySeat(secret, `${edited}.${macPart}`, 0)).toEqual({ ok: false, refusal: 'bad-signature' });
  });

  it('refuses a signed token of another format version as malformed', () => {
    // Only the holder of the secret can make one; the point is that v is read, not assumed.
    const body = Buffer.from(JSON.stringify({ v: 2, ...claims })).toString('base64url');
    const [good] = signSeat(secret, claims).split('.');
    expect(good).not.toBe(body);
    const mac = createHmac('sha256', secret).update(body).digest('base64url');
    expect(verifySeat(secret, `${body}.${mac}`, 0)).toEqual({ ok: false, refusal: 'malformed' });
  });

  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['no dot', 'abcdef'],
    ['a dot first', `.${'A'.repeat(43)}`],
    ['a short mac', 'abc.def'],
    ['non-base64url characters', `ab+c.${'A'.repeat(43)}`],
    ['over the length cap', `${'A'.repeat(MAX_SEAT_TOKEN_CHARS)}.${'A'.repeat(43)}`],
  ])('refuses a token that is %s as malformed', (_name, token) => {
    expect(verifySeat(secret, token, 0)).toEqual({ ok: false, refusal: 'malformed' });
  });

  it('never throws and never accepts, whatever string arrives', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 1200 }), (token) => {
        const check = verifySeat(secret, token, 0);
        expect(check.ok).toBe(false);
      }),
    );
  });

  it('draws nonces of 128 bits that differ', () => {
    const nonces = new Set(Array.from({ length: 1000 }, newSeatNonce));
    expect(nonces.size).toBe(1000);
    expect(Buffer.from([...nonces][0]!, 'base64url').length).toBe(16);
  });

  it('will not sign claims it would refuse to verify', () => {
    expect(() => signSeat(secret, { ...claims, room: 'has spaces' })).toThrow(RangeError);
    expect(() => signSeat(secret, { ...claims, ext: { blob: 'x'.repeat(600) } })).toThrow(RangeError);
  });
});

describe('seat secret', () => {
  it('takes TICKWIRE_SEAT_SECRET when it is long enough', () => {
    const text = 's'.repeat(MIN_SEAT_SECRET_CHARS);
    expect(seatSecretFrom({ TICKWIRE_SEAT_SECRET: text })).toEqual({ key: Buffer.from(text), source: 'env' });
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => seatSecretFrom({ TICKWIRE_SEAT_SECRET: 'short' })).toThrow(/TICKWIRE_SEAT_SECRET/);
  });

  it('draws a random 32-byte secret per start when unset', () => {
    const a = seatSecretFrom({});
    const b = seatSecretFrom({});
    expect(a.source).toBe('random');
    expect(a.key.length).toBe(32);
    expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(false);
  });
});
