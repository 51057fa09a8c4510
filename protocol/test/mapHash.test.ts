// mapHash: FNV-1a 32 over the world's canonical description, pinned so a change is deliberate.
import { describe, expect, it } from 'vitest';
import { ARENA_MAP, ARENA_MAP_HASH, ARENA_RULES, fnv1a32, mapHash } from '../src/index.js';

describe('mapHash', () => {
  it('is FNV-1a 32 (the empty string hashes to the offset basis)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
  });
  it('gives the arena the value PROTOCOL.md states', () => {
    expect(ARENA_MAP_HASH).toBe(4192979290);
    expect(mapHash(ARENA_MAP.scenario, ARENA_MAP.rules)).toBe(ARENA_MAP_HASH);
  });
  it.each([
    ['width', { ...ARENA_RULES, width: 2047 }],
    ['height', { ...ARENA_RULES, height: 4096 }],
    ['speed', { ...ARENA_RULES, speed: 201 }],
  ])('changes when the %s changes', (_name, rules) => {
    expect(mapHash('arena', rules)).not.toBe(ARENA_MAP_HASH);
  });
  it('changes with the scenario name', () => {
    expect(mapHash('game', ARENA_RULES)).not.toBe(ARENA_MAP_HASH);
  });
});
