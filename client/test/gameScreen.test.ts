// The page's state machine: lobby → joining → playing → ended(reason) → lobby, a refused join back to
// the lobby with the server's message, and events that do not fit the state ignored.
import { describe, expect, it } from 'vitest';
import { LOBBY, next, type Screen } from '../src/game/lobby/screen.js';
import { disconnectMessage } from '../src/game/model/closeMessage.js';

const closed = disconnectMessage(4016, 'room disposed');

describe('the join screen state machine', () => {
  it('goes lobby → joining → playing → ended(reason) → lobby, which shows the reason', () => {
    const joining = next(LOBBY, { type: 'join', action: { kind: 'quick' } });
    expect(joining).toEqual({ kind: 'joining', action: { kind: 'quick' } });
    const playing = next(joining, { type: 'seated', roomId: 'r1' });
    expect(playing).toEqual({ kind: 'playing', roomId: 'r1' });
    const ended = next(playing, { type: 'closed', reason: closed });
    expect(ended).toEqual({ kind: 'ended', roomId: 'r1', reason: closed });
    expect(next(ended, { type: 'back' })).toEqual({ kind: 'lobby', notice: closed });
  });

  it('keeps a private room’s code while playing in it', () => {
    const joining = next(LOBBY, { type: 'join', action: { kind: 'create' } });
    expect(next(joining, { type: 'seated', roomId: 'r2', code: 'K7PX3Q' })).toEqual({
      kind: 'playing',
      roomId: 'r2',
      code: 'K7PX3Q',
    });
  });

  it('goes lobby → playing at once when a reloaded page resumes its player (no matchmaking)', () => {
    expect(next(LOBBY, { type: 'resume', roomId: 'r3' })).toEqual({ kind: 'playing', roomId: 'r3' });
    expect(next(LOBBY, { type: 'resume', roomId: 'r4', code: 'K7PX3Q' })).toEqual({
      kind: 'playing',
      roomId: 'r4',
      code: 'K7PX3Q',
    });
  });

  it('returns to the lobby with the matchmaker’s message when the join is refused', () => {
    const joining = next({ kind: 'lobby', notice: closed }, { type: 'join', action: { kind: 'code', code: 'ZZZZZZ' } });
    expect(next(joining, { type: 'refused', error: 'no room with that code' })).toEqual({
      kind: 'lobby',
      error: 'no room with that code',
    });
  });

  it('ignores events that do not fit: a second join while joining, a late answer, a close in the lobby', () => {
    const joining = next(LOBBY, { type: 'join', action: { kind: 'quick' } });
    const cases: [Screen, Parameters<typeof next>[1]][] = [
      [joining, { type: 'join', action: { kind: 'create' } }],
      [LOBBY, { type: 'seated', roomId: 'late' }],
      [LOBBY, { type: 'refused', error: 'late' }],
      [LOBBY, { type: 'closed', reason: closed }],
      [LOBBY, { type: 'back' }],
      [joining, { type: 'closed', reason: closed }],
      [joining, { type: 'resume', roomId: 'r3' }],
      [
        { kind: 'playing', roomId: 'r1' },
        { type: 'resume', roomId: 'r3' },
      ],
    ];
    for (const [screen, event] of cases) expect(next(screen, event)).toBe(screen);
  });
});
