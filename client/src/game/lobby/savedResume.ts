// The page's resume token, kept in sessionStorage so a reload within the grace takes the same player
// back: written once per WELCOME (each carries a new token), read once per page load, cleared when
// the game ends for good. sessionStorage is per tab: a closed tab forgets it and the player's grace
// simply runs out on the server. Storage is passed in; whatever it holds is checked before use
// (another script of the origin, or an older page, may have written anything there).
import { MAX_NAME_LENGTH, MAX_RESUME_TOKEN_LENGTH } from '@tickwire/protocol';
import { MAX_ROOM_TEXT } from './joinAction.js';
import type { NameStorage } from './savedName.js';

/** The sessionStorage key. */
export const RESUME_KEY = 'tickwire.resume';

/** Longest wsUrl kept, characters: a matchmaking answer's URL is far shorter. */
const MAX_WS_URL_LENGTH = 2048;

export interface ResumeStorage extends NameStorage {
  removeItem(key: string): void;
}

/** What a reloaded page needs to take its player back, and to join afresh if it cannot. */
export interface SavedResume {
  /** The room the token names, and the game socket's address (the matchmaker's wsUrl). */
  roomId: string;
  wsUrl: string;
  /** The latest WELCOME's resume token. */
  token: string;
  /** The name the player joined with. */
  name: string;
  /** The room's scenario, for a fresh Quick play in the same one when the token has expired. */
  scenario?: string;
  /** The private room's code, for the room badge. */
  code?: string;
}

const text = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

/** The saved resume, or undefined when there is none or it is not one this page wrote. */
export function loadResume(storage: ResumeStorage | undefined): SavedResume | undefined {
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(RESUME_KEY);
  } catch {
    return undefined;
  }
  if (raw === null || raw === undefined || raw.length > 4 * MAX_WS_URL_LENGTH) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { roomId, wsUrl, token, name, scenario, code } = value as Record<string, unknown>;
  if (!text(roomId, MAX_ROOM_TEXT) || roomId.length === 0) return undefined;
  if (!text(token, MAX_RESUME_TOKEN_LENGTH) || token.length === 0) return undefined;
  if (!text(name, MAX_NAME_LENGTH) || !text(wsUrl, MAX_WS_URL_LENGTH) || !isSocketUrl(wsUrl)) return undefined;
  if (scenario !== undefined && !text(scenario, MAX_ROOM_TEXT)) return undefined;
  if (code !== undefined && !text(code, MAX_ROOM_TEXT)) return undefined;
  return {
    roomId,
    wsUrl,
    token,
    name,
    ...(scenario === undefined ? {} : { scenario }),
    ...(code === undefined ? {} : { code }),
  };
}

export function saveResume(storage: ResumeStorage | undefined, resume: SavedResume): void {
  try {
    storage?.setItem(RESUME_KEY, JSON.stringify(resume));
  } catch {
    // Without it a reload joins afresh: the player is lost, the page still works.
  }
}

/** Forget the token: the game ended for good (a leave, a refusal, the grace over). */
export function clearResume(storage: ResumeStorage | undefined): void {
  try {
    storage?.removeItem(RESUME_KEY);
  } catch {
    // A token left behind is refused by the server (4017 or 4020), which the page handles.
  }
}

function isSocketUrl(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'ws:' || protocol === 'wss:';
  } catch {
    return false;
  }
}
