// What a player asks the join screen for, and the POST /matchmake body and error line for it. Runs
// once per click (Quick play, Create private room, Join by code, a listed room) or per ?room= link.
import type { MatchmakeBody } from '@tickwire/protocol';
import type { MatchmakeOutcome } from '../../net/matchmake.js';

export type JoinAction =
  /** Quick play: the fullest public room with a free seat, or a new one. */
  | { kind: 'quick' }
  /** Create private room: a room only its code or id finds; the answer carries the code. */
  | { kind: 'create' }
  /** Join by code, or a ?room= link: a private room's code or any room's id, as typed. */
  | { kind: 'code'; code: string }
  /** A room clicked in the live list. */
  | { kind: 'room'; roomId: string };

/** Longest code or id the page sends, characters (ids are 16; a typed code may carry spaces and hyphens). */
export const MAX_ROOM_TEXT = 32;

/** Letters, digits, and the spaces, hyphens and underscores people type into codes. */
const ROOM_TEXT = /^[A-Za-z0-9 _-]+$/;

/** A typed or linked code/id, trimmed, or undefined when it cannot be one (empty, too long, other characters). */
export function roomTextOf(raw: string | null | undefined): string | undefined {
  const text = raw?.trim() ?? '';
  if (text.length === 0 || text.length > MAX_ROOM_TEXT || !ROOM_TEXT.test(text)) return undefined;
  return text;
}

/** The body of POST /matchmake for `action`; the server normalises a code's case, spaces and hyphens. */
export function matchmakeBodyOf(action: JoinAction, scenario?: string): MatchmakeBody {
  const withScenario = scenario === undefined ? {} : { scenario };
  switch (action.kind) {
    case 'quick':
      return { mode: 'joinOrCreate', ...withScenario };
    case 'create':
      return { mode: 'create', private: true, ...withScenario };
    case 'code':
      return { mode: 'join', roomId: action.code };
    case 'room':
      return { mode: 'join', roomId: action.roomId };
  }
}

/** The join screen's line for a failed matchmaking call: the server's own message when it gave one. */
export function matchmakeErrorText(outcome: Extract<MatchmakeOutcome, { ok: false }>): string {
  if (outcome.error === 'network') return `Could not reach the server (${outcome.message}).`;
  if (outcome.error === 'bad-answer') return `The server gave an answer this page cannot read (${outcome.message}).`;
  return outcome.message;
}

/** The share link of a room: this page's origin with ?room=, which joins it directly. */
export function roomLink(origin: string, codeOrId: string): string {
  return `${origin}/?room=${encodeURIComponent(codeOrId)}`;
}
