// Asks a Tickwire server for a seat: POST /matchmake, then the answer checked. Runs once per join,
// in the page, the bots, the profiler and the tests. `fetch` is passed in (tests give a fake one).
import {
  MATCHMAKE_PATH,
  type MatchmakeAnswer,
  type MatchmakeBody,
  type MatchmakeError,
  ROOMS_PATH,
  type RoomsAnswer,
} from '@tickwire/protocol';

export type MatchmakeOutcome =
  | ({ ok: true } & MatchmakeAnswer)
  /** `status` 0: no answer at all (the server is down, the network failed). */
  | { ok: false; status: number; error: MatchmakeError | 'network' | 'bad-answer'; message: string };

type Fetch = typeof globalThis.fetch;

/** `httpUrl`: the server's base URL (http://host:port), with or without a trailing slash. */
export async function matchmake(
  httpUrl: string,
  body: MatchmakeBody,
  fetchImpl: Fetch = globalThis.fetch,
): Promise<MatchmakeOutcome> {
  let response: Response;
  try {
    response = await fetchImpl(new URL(MATCHMAKE_PATH, httpUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    return { ok: false, status: 0, error: 'network', message: error instanceof Error ? error.message : String(error) };
  }
  let answer: unknown;
  try {
    answer = await response.json();
  } catch {
    return { ok: false, status: response.status, error: 'bad-answer', message: `HTTP ${response.status}, not JSON` };
  }
  if (typeof answer !== 'object' || answer === null) {
    return { ok: false, status: response.status, error: 'bad-answer', message: `HTTP ${response.status}` };
  }
  const fields = answer as Record<string, unknown>;
  if (!response.ok) {
    const error = typeof fields.error === 'string' ? (fields.error as MatchmakeError) : 'bad-answer';
    const message = typeof fields.message === 'string' ? fields.message : `HTTP ${response.status}`;
    return { ok: false, status: response.status, error, message };
  }
  const { roomId, wsUrl, seat, expiresAt, code } = fields;
  if (typeof roomId !== 'string' || typeof wsUrl !== 'string' || typeof seat !== 'string') {
    return { ok: false, status: response.status, error: 'bad-answer', message: 'answer without roomId, wsUrl or seat' };
  }
  if (typeof expiresAt !== 'number') {
    return { ok: false, status: response.status, error: 'bad-answer', message: 'answer without expiresAt' };
  }
  return { ok: true, roomId, wsUrl, seat, expiresAt, ...(typeof code === 'string' ? { code } : {}) };
}

/** GET /rooms: the public rooms, oldest first. Throws on a network failure or a non-200 answer. */
export async function listRooms(httpUrl: string, fetchImpl: Fetch = globalThis.fetch): Promise<RoomsAnswer> {
  const response = await fetchImpl(new URL(ROOMS_PATH, httpUrl));
  if (!response.ok) throw new Error(`GET ${ROOMS_PATH}: HTTP ${response.status}`);
  return (await response.json()) as RoomsAnswer;
}

/** The server's http(s) base URL for a ws(s) URL or an http(s) one: scheme swapped, path dropped. */
export function httpBaseOf(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === 'ws:') parsed.protocol = 'http:';
  else if (parsed.protocol === 'wss:') parsed.protocol = 'https:';
  return `${parsed.protocol}//${parsed.host}`;
}
