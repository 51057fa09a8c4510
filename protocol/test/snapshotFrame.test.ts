// Shared-body SNAPSHOT frames: assembling a header onto the once-encoded players list gives the
// same bytes as encoding the whole message, at every MessagePack integer width.
import { decode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assembleSnapshotFrame,
  decodeServerFrame,
  encodeClientMessage,
  encodeServerMessage,
  encodeSnapshotPlayers,
  ServerMessageId,
  type SnapshotPlayer,
} from '../src/index.js';

/** The last value of each MessagePack unsigned width: fixint, uint 8, uint 16, and their first successors. */
const WIDTH_BOUNDARIES = [0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1];

const playerArbitrary: fc.Arbitrary<SnapshotPlayer> = fc.record({
  id: fc.integer({ min: 0, max: 65535 }),
  x: fc.integer({ min: 0, max: 65535 }),
  y: fc.integer({ min: 0, max: 65535 }),
  vx: fc.integer({ min: -32768, max: 32767 }),
  vy: fc.integer({ min: -32768, max: 32767 }),
  angle: fc.integer({ min: 0, max: 255 }),
  hp: fc.integer({ min: 0, max: 65535 }),
});

function players(count: number): SnapshotPlayer[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i,
    x: (i * 977) % 32769,
    y: (i * 131) % 32769,
    vx: i % 2 === 0 ? 107 : -75,
    vy: i % 3 === 0 ? 0 : -75,
    angle: (i * 32) % 256,
    hp: 100,
  }));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

describe('assembleSnapshotFrame', () => {
  for (const count of [0, 1, 200]) {
    it(`is byte-identical to encodeServerMessage for ${count} players at every tick × seq width boundary`, () => {
      const list = players(count);
      const body = encodeSnapshotPlayers(list);
      for (const tick of WIDTH_BOUNDARIES) {
        for (const lastInputSeq of WIDTH_BOUNDARIES) {
          const whole = encodeServerMessage({ id: ServerMessageId.SNAPSHOT, tick, lastInputSeq, players: list });
          expect(toHex(assembleSnapshotFrame(tick, lastInputSeq, body)), `tick ${tick}, seq ${lastInputSeq}`).toBe(
            toHex(whole),
          );
        }
      }
    });
  }

  it('is byte-identical to encodeServerMessage for any tick, seq and 0..200 players (property)', () => {
    const tickArbitrary = fc.oneof(fc.constantFrom(...WIDTH_BOUNDARIES), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
    fc.assert(
      fc.property(tickArbitrary, tickArbitrary, fc.array(playerArbitrary, { maxLength: 200 }), (tick, seq, list) => {
        const assembled = assembleSnapshotFrame(tick, seq, encodeSnapshotPlayers(list));
        const whole = encodeServerMessage({ id: ServerMessageId.SNAPSHOT, tick, lastInputSeq: seq, players: list });
        expect(toHex(assembled)).toBe(toHex(whole));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes with decodeServerFrame and with @msgpack/msgpack', () => {
    const list = players(3);
    const frame = assembleSnapshotFrame(70000, 300, encodeSnapshotPlayers(list));
    expect(decodeServerFrame(frame)).toEqual({
      ok: true,
      message: { id: ServerMessageId.SNAPSHOT, tick: 70000, lastInputSeq: 300, players: list },
    });
    expect(decode(frame)).toEqual([65, 70000, 300, list.map((p) => [p.id, p.x, p.y, p.vx, p.vy, p.angle, p.hp])]);
  });

  it('gives each client its own frame from one shared body, leaving the body untouched', () => {
    const body = encodeSnapshotPlayers(players(5));
    const before = toHex(body);
    const a = assembleSnapshotFrame(10, 1, body);
    const b = assembleSnapshotFrame(10, 2, body);
    expect(toHex(a)).not.toBe(toHex(b));
    a.fill(0);
    expect(toHex(b.subarray(b.length - body.length))).toBe(before);
    expect(toHex(body)).toBe(before);
  });

  it('keeps a players body intact while later messages are encoded (msgpackr reuses its buffer)', () => {
    const body = encodeSnapshotPlayers(players(50));
    const before = toHex(body);
    for (let i = 0; i < 5000; i++) {
      encodeClientMessage({ id: 1, protocolVersion: 1, name: 'x'.repeat(i % 17) });
      encodeSnapshotPlayers(players(i % 7));
    }
    expect(toHex(body)).toBe(before);
  });
});
