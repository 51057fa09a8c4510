// The HTTP API for finding a room: what POST /matchmake takes and answers, and GET /rooms. Types and
// the error table only; read once per call by the server (http/matchmakeRoute.ts) and by every
// client that joins (the page, the bots, the profiler, the tests). PROTOCOL.md "Matchmaking" is the
// prose of this file.
import type { LobbyRoom } from './lobby.js';

export const MATCHMAKE_PATH = '/matchmake';
export const ROOMS_PATH = '/rooms';
export const LOBBY_PATH = '/lobby';
/** The game socket of a room is at `${ROOM_WS_PREFIX}${roomId}`. */
export const ROOM_WS_PREFIX = '/ws/';

/** A room's socket on the process whose public URL (http or https) is `processUrl`. */
export function roomSocketUrl(processUrl: string, roomId: string): string {
  return `${processUrl.replace(/^http/, 'ws')}${ROOM_WS_PREFIX}${roomId}`;
}
/** Largest POST /matchmake body accepted, bytes (413 above). */
export const MAX_MATCHMAKE_BODY_BYTES = 4096;

export const MATCHMAKE_MODES = ['joinOrCreate', 'create', 'join', 'resume'] as const;
export type MatchmakeMode = (typeof MATCHMAKE_MODES)[number];

/** The body of POST /matchmake (JSON, content-type application/json). */
export interface MatchmakeBody {
  mode: MatchmakeMode;
  /** 'game', 'arena' or 'world'; the server's --scenario when absent. */
  scenario?: string;
  /** join: a room id (16 chars) or a private room's 6-character code. */
  roomId?: string;
  /** joinOrCreate: only rooms of this size; create: the room's size. The server's --max-players when absent. */
  maxPlayers?: number;
  /** create only: a room GET /rooms does not list, joined by id or code. */
  private?: boolean;
  /** create: the room's tick rate, 10 to the server's --tick-rate (its default); joinOrCreate: only rooms of this rate. */
  tickRate?: number;
  /** create only: the room's snapshot rate, 1 to its tickRate; the server's --snapshot-rate when absent (capped at tickRate). */
  snapshotRate?: number;
  /**
   * create only: how far each client sees, world units, 0 to the server's --max-view-radius; 0 =
   * everything, refused in a world room. The server's --view-radius (else the scenario's) when absent.
   */
  viewRadius?: number;
  /**
   * Any mode: the caller's id for this request, 8–64 of A-Z a-z 0-9 _ -, sent again unchanged on a
   * retry. A retry within the seat's lifetime gets the first answer (same room, same seat), so a
   * create that timed out on the way back and was retried never makes a second room.
   */
  requestId?: string;
  /**
   * resume only (and required there): the resume token of the client's latest WELCOME. The answer
   * names where the token's room is now (its process may have changed: a room moved on a drain);
   * its `seat` is '' and the client sends the token in HELLO instead.
   */
  resumeToken?: string;
}

/** 200 OK. */
export interface MatchmakeAnswer {
  roomId: string;
  /** Where to open the game socket, e.g. ws://127.0.0.1:8080/ws/<roomId>. */
  wsUrl: string;
  /** The signed seat to send in HELLO. */
  seat: string;
  /** When the seat stops being valid, ms since the epoch. */
  expiresAt: number;
  /** create with private: true only: the room's short code to share. */
  code?: string;
}

/** Every matchmaking error code and its HTTP status: the one table the server and PROTOCOL.md follow. */
export const MATCHMAKE_ERRORS = {
  'bad-request': 400,
  forbidden: 403,
  'no-such-room': 404,
  /** Any method but POST (and the OPTIONS preflight); the answer carries `allow: POST, OPTIONS`. */
  'method-not-allowed': 405,
  'room-full': 409,
  'body-too-large': 413,
  'unsupported-media-type': 415,
  'too-many-requests': 429,
  'at-capacity': 503,
  draining: 503,
  /** The cluster's directory (Redis) cannot be reached now; rooms already running play on. */
  unavailable: 503,
} as const;
export type MatchmakeError = keyof typeof MATCHMAKE_ERRORS;

/** Any non-200 answer of POST /matchmake. */
export interface MatchmakeErrorBody {
  error: MatchmakeError;
  message: string;
}

/** The process that hosts a room, in a cluster (--redis-url): its id and public URL. */
export interface HostingProcess {
  id: string;
  url: string;
}

/**
 * GET /rooms: public rooms, oldest first, each with its viewRadius (world units, 0 = everything);
 * with --redis-url each also names its `process`.
 */
export interface RoomsAnswer {
  rooms: (LobbyRoom & { viewRadius: number; process?: HostingProcess })[];
}
