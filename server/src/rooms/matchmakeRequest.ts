// What a POST /matchmake body may say, checked field by field. Runs once per matchmaking call, on a
// body the HTTP layer has already size-capped (4 KiB) and parsed as JSON: here it is still hostile.
// Unknown fields are ignored; known ones must have the right type.
import { MATCHMAKE_MODES, MAX_SNAPSHOT_ENTITIES, type MatchmakeMode } from '@tickwire/protocol';
import { allowsWholeView, type ScenarioName } from '../room/roomOptions.js';
import { isRoomId, normalizeRoomCode } from './roomCode.js';
import { MAX_SEAT_TOKEN_CHARS } from './seat.js';

export interface RequestRules {
  scenarios: readonly string[];
  defaultScenario: string;
  /** A room's size when the request names none (the process's --max-players). */
  defaultMaxPlayers: number;
  /** The largest size a request may ask for. */
  maxPlayersCeiling: number;
  /** A room's tick rate when the request names none, and the most it may name (the process's --tick-rate). */
  defaultTickRate: number;
  /** A room's snapshot rate when the request names none (--snapshot-rate; never above the room's tick rate). */
  defaultSnapshotRate: number;
  /** A room's viewRadius when the request names none, world units: --view-radius, else the scenario's default. */
  defaultViewRadius(scenario: ScenarioName): number;
  /** The largest viewRadius a create may name, world units (--max-view-radius). */
  maxViewRadius: number;
}

/**
 * Most players in a room whose clients are sent everything (viewRadius 0): players and their
 * projectiles must fit one SNAPSHOT. A bigger room needs a view radius (interest management).
 */
export const MAX_WHOLE_VIEW_PLAYERS = MAX_SNAPSHOT_ENTITIES;

/** The players of a room made with no maxPlayers named: --max-players, within MAX_WHOLE_VIEW_PLAYERS for a whole view. */
export function defaultPlayersOf(rules: Pick<RequestRules, 'defaultMaxPlayers'>, viewRadius: number): number {
  return viewRadius === 0 ? Math.min(rules.defaultMaxPlayers, MAX_WHOLE_VIEW_PLAYERS) : rules.defaultMaxPlayers;
}

/** The slowest tick rate a room may run at (config.ts's lower bound for --tick-rate). */
const MIN_TICK_RATE = 10;

/** A caller's id for one request, the same on its retries: 8–64 of A–Z a–z 0–9 _ -. */
const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

export type MatchmakeRequest =
  /** joinOrCreate: rooms of this scenario and tick rate (and size, when given); a room it makes has the default snapshot rate. */
  (
    | {
        mode: 'joinOrCreate';
        scenario: string;
        maxPlayers: number | undefined;
        tickRate: number;
        snapshotRate: number;
        viewRadius: number;
      }
    | {
        mode: 'create';
        scenario: string;
        maxPlayers: number;
        private: boolean;
        tickRate: number;
        snapshotRate: number;
        viewRadius: number;
      }
    | { mode: 'join'; roomId: string; code: undefined }
    | { mode: 'join'; roomId: undefined; code: string }
    /** resume: where the token's room is now; the token itself is checked by the room at HELLO. */
    | { mode: 'resume'; resumeToken: string }
  ) & {
    /** Retries of one request carry the same id and get the same answer (room and seat), never a second room. */
    requestId: string | undefined;
  };

export type ParsedRequest = { ok: true; request: MatchmakeRequest } | { ok: false; message: string };

function refuse(message: string): ParsedRequest {
  return { ok: false, message };
}

export function parseMatchmakeRequest(body: unknown, rules: RequestRules): ParsedRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse('the body must be a JSON object');
  const fields = body as Record<string, unknown>;
  if (typeof fields.mode !== 'string' || !(MATCHMAKE_MODES as readonly string[]).includes(fields.mode)) {
    return refuse(`mode must be one of ${MATCHMAKE_MODES.join(', ')}`);
  }
  const mode = fields.mode as MatchmakeMode;
  const scenario = fields.scenario ?? rules.defaultScenario;
  if (typeof scenario !== 'string' || !rules.scenarios.includes(scenario)) {
    return refuse(`scenario must be one of ${rules.scenarios.join(', ')}`);
  }
  const maxPlayers = fields.maxPlayers;
  if (
    maxPlayers !== undefined &&
    (!Number.isInteger(maxPlayers) || (maxPlayers as number) < 1 || (maxPlayers as number) > rules.maxPlayersCeiling)
  ) {
    return refuse(`maxPlayers must be an integer from 1 to ${rules.maxPlayersCeiling}`);
  }
  const isPrivate = fields.private;
  if (isPrivate !== undefined && typeof isPrivate !== 'boolean') return refuse('private must be true or false');
  const maxTickRate = rules.defaultTickRate;
  const tickRate = fields.tickRate ?? maxTickRate;
  if (!Number.isInteger(tickRate) || (tickRate as number) < MIN_TICK_RATE || (tickRate as number) > maxTickRate) {
    return refuse(`tickRate must be an integer from ${MIN_TICK_RATE} to ${maxTickRate}`);
  }
  const snapshotRate = fields.snapshotRate ?? Math.min(rules.defaultSnapshotRate, tickRate as number);
  if (
    !Number.isInteger(snapshotRate) ||
    (snapshotRate as number) < 1 ||
    (snapshotRate as number) > (tickRate as number)
  ) {
    return refuse(`snapshotRate must be an integer from 1 to the room's tickRate (${tickRate})`);
  }
  const viewRadius = fields.viewRadius ?? rules.defaultViewRadius(scenario as ScenarioName);
  if (!Number.isInteger(viewRadius) || (viewRadius as number) < 0 || (viewRadius as number) > rules.maxViewRadius) {
    return refuse(`viewRadius must be an integer from 0 to ${rules.maxViewRadius} (world units; 0 = everything)`);
  }
  // 0 in a world room would send every client the whole world: only the small worlds allow it.
  if (fields.viewRadius === 0 && !allowsWholeView(scenario as ScenarioName)) {
    return refuse(
      `viewRadius 0 (everything) is not allowed in a ${scenario} room: ask for 1 to ${rules.maxViewRadius}`,
    );
  }
  if ((viewRadius as number) === 0 && maxPlayers !== undefined && (maxPlayers as number) > MAX_WHOLE_VIEW_PLAYERS) {
    return refuse(
      `maxPlayers above ${MAX_WHOLE_VIEW_PLAYERS} needs a view radius: a room that sends everyone everything must fit one snapshot`,
    );
  }
  const rates = {
    tickRate: tickRate as number,
    snapshotRate: snapshotRate as number,
    viewRadius: viewRadius as number,
  };
  const requestId = fields.requestId;
  if (requestId !== undefined && (typeof requestId !== 'string' || !REQUEST_ID.test(requestId))) {
    return refuse('requestId must be 8 to 64 characters of A-Z a-z 0-9 _ -');
  }

  if (mode === 'resume') {
    const token = fields.resumeToken;
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_SEAT_TOKEN_CHARS) {
      return refuse(`resume needs a resumeToken (the latest WELCOME's, at most ${MAX_SEAT_TOKEN_CHARS} characters)`);
    }
    return { ok: true, request: { mode, resumeToken: token, requestId } };
  }
  if (mode === 'join') {
    const target = fields.roomId;
    if (typeof target !== 'string') return refuse('join needs a roomId (a room id or a 6-character code)');
    if (isRoomId(target)) return { ok: true, request: { mode, roomId: target, code: undefined, requestId } };
    const code = normalizeRoomCode(target);
    if (code === undefined) return refuse('roomId is neither a room id nor a room code');
    return { ok: true, request: { mode, roomId: undefined, code, requestId } };
  }
  if (fields.roomId !== undefined) return refuse(`${mode} takes no roomId`);
  if (mode === 'joinOrCreate') {
    if (isPrivate === true) return refuse('joinOrCreate only joins public rooms; use create for a private one');
    if (fields.snapshotRate !== undefined) return refuse('joinOrCreate takes no snapshotRate; use create');
    if (fields.viewRadius !== undefined) return refuse('joinOrCreate takes no viewRadius; use create');
    return { ok: true, request: { mode, scenario, maxPlayers: maxPlayers as number | undefined, ...rates, requestId } };
  }
  return {
    ok: true,
    request: {
      mode,
      scenario,
      maxPlayers: (maxPlayers as number | undefined) ?? defaultPlayersOf(rules, viewRadius as number),
      private: isPrivate ?? false,
      ...rates,
      requestId,
    },
  };
}
