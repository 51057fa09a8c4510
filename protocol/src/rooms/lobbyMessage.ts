// Reads one /lobby text frame into a LobbyMessage (lobby.ts), or undefined when it is not one; runs once per
// lobby message on a client (the page). The server is trusted no more than any peer: every field is checked,
// so a bad frame costs a resync, never a broken list or an exception in the page.
import type { LobbyChange, LobbyMessage, LobbyRoom } from './lobby.js';

/** Longest room id or scenario name kept, characters; longer ones make the frame invalid. */
const MAX_TEXT = 64;
/** Most rooms or changes in one frame (a process holds at most 1024 rooms by its caps, with room to spare). */
const MAX_ITEMS = 4096;

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT;

function roomOf(value: unknown): LobbyRoom | undefined {
  if (!isObject(value)) return undefined;
  const { id, scenario, players, maxPlayers, tickRate, createdAt } = value;
  if (!isText(id) || !isText(scenario) || !isCount(players) || !isCount(maxPlayers)) return undefined;
  if (!isCount(tickRate) || !isCount(createdAt)) return undefined;
  return { id, scenario, players, maxPlayers, tickRate, createdAt };
}

function changeOf(value: unknown): LobbyChange | undefined {
  if (!isObject(value)) return undefined;
  if (value.op === 'add') {
    const room = roomOf(value.room);
    return room === undefined ? undefined : { op: 'add', room };
  }
  if (value.op === 'remove') return isText(value.id) ? { op: 'remove', id: value.id } : undefined;
  if (value.op === 'players') {
    return isText(value.id) && isCount(value.players)
      ? { op: 'players', id: value.id, players: value.players }
      : undefined;
  }
  return undefined;
}

/** Each item of `items` through `read`; undefined if any is invalid or there are too many. */
function allOf<T>(items: unknown, read: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(items) || items.length > MAX_ITEMS) return undefined;
  const out: T[] = [];
  for (const item of items) {
    const value = read(item);
    if (value === undefined) return undefined;
    out.push(value);
  }
  return out;
}

export function parseLobbyMessage(data: unknown): LobbyMessage | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isCount(value.seq)) return undefined;
  if (value.type === 'rooms') {
    const rooms = allOf(value.rooms, roomOf);
    return rooms === undefined ? undefined : { type: 'rooms', seq: value.seq, rooms };
  }
  if (value.type === 'changes') {
    const changes = allOf(value.changes, changeOf);
    return changes === undefined ? undefined : { type: 'changes', seq: value.seq, changes };
  }
  return undefined;
}
