// Reads the per-room figures of GET /healthz (its `roomList` array, where the server gives one) and
// turns two reads into the window's per-room figures: once per sample while a profile runs. Read
// defensively: a field of another type or missing reads as null, a server without rooms as null.
import { getJson } from '../../bench/support.js';

/** p50/p99 in ms, null where the server gave none. */
export interface RoomPercentiles {
  p50: number | null;
  p99: number | null;
}

/** One room as /healthz describes it: figures cumulative or recent, as the server keeps them. */
export interface RoomReading {
  id: string;
  scenario: string | null;
  players: number | null;
  maxPlayers: number | null;
  tickRate: number | null;
  /** Ticks run since the room started. */
  ticks: number | null;
  latenessMs: RoomPercentiles;
  tickMs: RoomPercentiles;
}

/** One room over the window: ticks run in it (two reads apart), the rest as read at the window's end. */
export interface RoomFigures extends RoomReading {
  /** Ticks run within the window; null when the room is missing from the start read or has no tick count. */
  windowTicks: number | null;
}

/** How long one /healthz request may take before the read gives up (the run goes on). @default 5000 ms */
const HEALTH_TIMEOUT_MS = 5000;

/** The rooms /healthz lists, or null when it lists none (a server before rooms) or cannot be read. */
export async function readRooms(baseUrl: string, timeoutMs = HEALTH_TIMEOUT_MS): Promise<RoomReading[] | null> {
  try {
    const health = await Promise.race([
      getJson<unknown>(`${baseUrl}/healthz`),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return roomsOfHealth(health);
  } catch {
    return null;
  }
}

/**
 * The per-room rows of a /healthz answer: `roomList` (the server's; its `rooms` is the totals), or a
 * `rooms` array; entries without a string id are skipped.
 */
export function roomsOfHealth(health: unknown): RoomReading[] | null {
  if (!isRecord(health)) return null;
  const list = Array.isArray(health.roomList) ? health.roomList : Array.isArray(health.rooms) ? health.rooms : null;
  if (list === null) return null;
  const rooms: RoomReading[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.id !== 'string') continue;
    rooms.push({
      id: entry.id,
      scenario: typeof entry.scenario === 'string' ? entry.scenario : null,
      players: numberOrNull(entry.players),
      maxPlayers: numberOrNull(entry.maxPlayers),
      tickRate: numberOrNull(entry.tickRate),
      // The server names it `tick` (the room's tick number, which counts the ticks it ran); `ticks` also read.
      ticks: numberOrNull(entry.ticks ?? entry.tick),
      latenessMs: percentilesOf(entry.latenessMs),
      tickMs: percentilesOf(entry.tickMs),
    });
  }
  return rooms;
}

/** Each room of the end read, with the ticks it ran since the start read; rooms by id. */
export function roomWindow(start: readonly RoomReading[] | null, end: readonly RoomReading[]): RoomFigures[] {
  const before = new Map((start ?? []).map((room) => [room.id, room]));
  return end.map((room) => {
    const earlier = before.get(room.id)?.ticks;
    const windowTicks = room.ticks !== null && earlier !== undefined && earlier !== null ? room.ticks - earlier : null;
    return { ...room, windowTicks };
  });
}

/** `{p50, p99}` as given; anything else (a bare mean, nothing) gives nulls rather than a guess. */
function percentilesOf(value: unknown): RoomPercentiles {
  if (!isRecord(value)) return { p50: null, p99: null };
  return { p50: numberOrNull(value.p50), p99: numberOrNull(value.p99) };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
