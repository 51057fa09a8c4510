// What the page does at load from its URL (?name=, ?room=) and the saved name, the codes a player
// may type or link, and the matchmaking body and error line for each join.
import { describe, expect, it } from 'vitest';
import { matchmakeBodyOf, matchmakeErrorText, roomLink, roomTextOf } from '../src/game/lobby/joinAction.js';
import { pageStartOf, searchWithoutRoom } from '../src/game/lobby/pageStart.js';
import { loadName, NAME_KEY, saveName } from '../src/game/lobby/savedName.js';

const start = (search: string, saved?: string) => pageStartOf(new URLSearchParams(search), saved);

describe('pageStartOf', () => {
  it('shows the join screen with the saved name when the URL asks for nothing', () => {
    expect(start('', 'ann')).toEqual({ name: 'ann', autoJoin: undefined, code: '', error: undefined });
    expect(start('?e2e&latency=100')).toEqual({ name: '', autoJoin: undefined, code: '', error: undefined });
  });

  it('plays at once with ?name= (Quick play), the parameter winning over the saved name', () => {
    expect(start('?name=bob', 'ann')).toMatchObject({ name: 'bob', autoJoin: { kind: 'quick' } });
  });

  it('joins a ?room= code at once with ?name= or a saved name', () => {
    expect(start('?room=k7px3q&name=bob')).toMatchObject({ name: 'bob', autoJoin: { kind: 'code', code: 'k7px3q' } });
    expect(start('?room=K7PX-3Q', 'ann')).toMatchObject({ name: 'ann', autoJoin: { kind: 'code', code: 'K7PX-3Q' } });
  });

  it('opens the join screen with the code filled in when ?room= comes without any name', () => {
    expect(start('?room=K7PX3Q')).toEqual({ name: '', autoJoin: undefined, code: 'K7PX3Q', error: undefined });
  });

  it('says the link is broken, and joins nothing, when ?room= is not a code or id', () => {
    for (const search of ['?room=', '?room=%3Cscript%3E', `?room=${'A'.repeat(33)}`, '?room=a/b&name=x']) {
      const page = start(search, 'ann');
      expect(page.autoJoin, search).toBeUndefined();
      expect(page.error, search).toMatch(/link/);
    }
  });

  it('drops ?room= from the URL once used, keeping the other parameters', () => {
    expect(searchWithoutRoom('?room=K7PX3Q&e2e=&latency=100')).toBe('?e2e=&latency=100');
    expect(searchWithoutRoom('?room=K7PX3Q')).toBe('');
  });
});

describe('roomTextOf', () => {
  it('trims a typed code and keeps its spaces, hyphens and case for the server to normalise', () => {
    expect(roomTextOf('  k7px-3q ')).toBe('k7px-3q');
    expect(roomTextOf('K7 PX 3Q')).toBe('K7 PX 3Q');
  });

  it('refuses nothing, other characters, and overlong text', () => {
    for (const raw of [null, undefined, '', '   ', 'ab/cd', 'é', 'x'.repeat(33)])
      expect(roomTextOf(raw)).toBeUndefined();
  });
});

describe('matchmakeBodyOf', () => {
  it('asks joinOrCreate for Quick play, a private create, and a join by code or listed id', () => {
    expect(matchmakeBodyOf({ kind: 'quick' })).toEqual({ mode: 'joinOrCreate' });
    expect(matchmakeBodyOf({ kind: 'quick' }, 'arena')).toEqual({ mode: 'joinOrCreate', scenario: 'arena' });
    expect(matchmakeBodyOf({ kind: 'create' })).toEqual({ mode: 'create', private: true });
    expect(matchmakeBodyOf({ kind: 'code', code: 'k7px3q' })).toEqual({ mode: 'join', roomId: 'k7px3q' });
    expect(matchmakeBodyOf({ kind: 'room', roomId: 'abcdefgh12345678' })).toEqual({
      mode: 'join',
      roomId: 'abcdefgh12345678',
    });
  });
});

describe('matchmakeErrorText', () => {
  it("shows the server's message for its errors, and says when the server could not be reached", () => {
    expect(matchmakeErrorText({ ok: false, status: 409, error: 'room-full', message: 'room K7PX3Q is full' })).toBe(
      'room K7PX3Q is full',
    );
    expect(matchmakeErrorText({ ok: false, status: 0, error: 'network', message: 'Failed to fetch' })).toMatch(
      /could not reach the server \(Failed to fetch\)/i,
    );
  });
});

describe('roomLink', () => {
  it('is the page origin with ?room=', () => {
    expect(roomLink('http://127.0.0.1:8080', 'K7PX3Q')).toBe('http://127.0.0.1:8080/?room=K7PX3Q');
  });
});

describe('the saved name', () => {
  it('is kept under one key, and a storage that throws just forgets it', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => map.set(k, v) };
    saveName(storage, 'ann');
    expect(map.get(NAME_KEY)).toBe('ann');
    expect(loadName(storage)).toBe('ann');
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadName(broken)).toBeUndefined();
    expect(() => saveName(broken, 'ann')).not.toThrow();
  });
});
