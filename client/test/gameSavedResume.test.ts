// The page's saved resume token in a fake sessionStorage: kept as written, forgotten on clear, and
// anything else found under its key (edited, truncated, another shape, not a ws:// address) ignored.
import { MAX_RESUME_TOKEN_LENGTH } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import {
  clearResume,
  loadResume,
  RESUME_KEY,
  type ResumeStorage,
  type SavedResume,
  saveResume,
} from '../src/game/lobby/savedResume.js';

class FakeStorage implements ResumeStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const SAVED: SavedResume = {
  roomId: 'r1',
  wsUrl: 'wss://play.example/ws/r1',
  token: 'tok',
  name: 'ann',
  code: 'K7PX3Q',
};

describe('the saved resume', () => {
  it('reads back what was saved, and nothing after a clear', () => {
    const storage = new FakeStorage();
    expect(loadResume(storage)).toBeUndefined();
    saveResume(storage, SAVED);
    expect(loadResume(storage)).toEqual(SAVED);
    saveResume(storage, { ...SAVED, token: 'tok-2', scenario: 'arena' });
    expect(loadResume(storage)).toEqual({ ...SAVED, token: 'tok-2', scenario: 'arena' });
    clearResume(storage);
    expect(loadResume(storage)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"roomId":'],
    ['not an object', '"tok"'],
    ['no token', JSON.stringify({ ...SAVED, token: '' })],
    [
      'a token longer than any server sends',
      JSON.stringify({ ...SAVED, token: 'x'.repeat(MAX_RESUME_TOKEN_LENGTH + 1) }),
    ],
    ['an http address', JSON.stringify({ ...SAVED, wsUrl: 'http://play.example/ws/r1' })],
    ['a javascript: address', JSON.stringify({ ...SAVED, wsUrl: 'javascript:alert(1)' })],
    ['a room id of another type', JSON.stringify({ ...SAVED, roomId: 7 })],
    ['a name longer than HELLO allows', JSON.stringify({ ...SAVED, name: 'n'.repeat(40) })],
  ])('ignores %s', (_what, raw) => {
    const storage = new FakeStorage();
    storage.setItem(RESUME_KEY, raw);
    expect(loadResume(storage)).toBeUndefined();
  });

  it('carries on without storage, or with one that throws', () => {
    const throwing: ResumeStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    for (const storage of [undefined, throwing]) {
      expect(() => saveResume(storage, SAVED)).not.toThrow();
      expect(loadResume(storage)).toBeUndefined();
      expect(() => clearResume(storage)).not.toThrow();
    }
  });
});
