// What the page does when it loads, from its URL and the name it saved last time; runs once per
// page load. ?name= joins at once (Quick play); ?room=CODE_OR_ID joins that room at once when a
// name is known (?name= or saved), else opens the join screen with the code filled in.
import { type JoinAction, roomTextOf } from './joinAction.js';

export interface PageStart {
  /** The name to prefill and join with: ?name=, else the saved one, else empty. */
  name: string;
  /** Join without showing the join screen; undefined shows it. */
  autoJoin: JoinAction | undefined;
  /** The Join by code field's text: the ?room= code or id. */
  code: string;
  /** The join screen's error line when ?room= is not a code or id. */
  error: string | undefined;
}

export function pageStartOf(params: URLSearchParams, savedName: string | undefined): PageStart {
  const nameParam = params.get('name');
  const name = nameParam ?? savedName ?? '';
  const knowsName = nameParam !== null || name.length > 0;
  const rawRoom = params.get('room');
  const room = roomTextOf(rawRoom);
  if (rawRoom !== null && room === undefined) {
    return {
      name,
      autoJoin: undefined,
      code: '',
      error: 'The link names no room this page can join: ask for a fresh link or code.',
    };
  }
  if (room !== undefined) {
    return { name, autoJoin: knowsName ? { kind: 'code', code: room } : undefined, code: room, error: undefined };
  }
  return { name, autoJoin: nameParam !== null ? { kind: 'quick' } : undefined, code: '', error: undefined };
}

/** The URL's query without ?room=, so a reload after the game does not rejoin a room that may be gone. */
export function searchWithoutRoom(search: string): string {
  const params = new URLSearchParams(search);
  params.delete('room');
  const rest = params.toString();
  return rest.length > 0 ? `?${rest}` : '';
}
