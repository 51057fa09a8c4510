// The cluster's room directory on Redis: placement, seats, listings and process registrations, each
// check-then-act step one Lua script (lua/*.lua). Made once per process with --redis-url; its
// methods run per matchmaking call, per /rooms listing, per room report and per heartbeat.
//
// Round trips per call (the bench prints them): joinOrCreate into an open room 2 (read the shape's
// index, reserve), creating one 3 (read, reserve finds none, place); join by id 2 (read the room's
// shape, reserve), by code 3; create 1. A 'retry' (the index changed between read and script) adds 2.
import type { HostingProcess, LobbyRoom } from '@tickwire/protocol';
import type { Logger } from '../log.js';
import { DEFAULT_VIEW_RADIUS, type ScenarioName } from '../room/roomOptions.js';
import type { RoomShape } from '../rooms/matchmaker.js';
import { loadScripts, type ScriptName } from './luaScripts.js';
import { KEYS } from './redisKeys.js';
import type { RedisArgument, RedisLink } from './redisLink.js';
import { RoomMoves } from './roomMoves.js';

/** How much longer Redis holds a seat's place than the seat is valid, so no clock skew overfills a room. @default 2000 ms */
export const SEAT_MARGIN_MS = 2000;
/** Fullest open rooms read per joinOrCreate round: more offered means fewer rounds lost to racing calls. @default 8 */
const CANDIDATES = 8;
/**
 * Rounds of read-then-reserve one call may go through when other calls keep changing the index.
 * A round is lost only to another call that reserved or placed meanwhile, so every lost round is
 * someone else's progress; 500 concurrent calls need far fewer. @default 1 000
 */
const MAX_ROUNDS = 1000;

/** A seat the directory granted: where it is, and what to sign. */
export interface Grant {
  roomId: string;
  processId: string;
  processUrl: string;
  nonce: string;
  /** When the seat stops being valid, epoch ms by the Redis clock. */
  expiresAtMs: number;
  createdAt: number;
  code?: string;
}

/** The seat being asked for: its nonce, the caller's requestId (retries), and its lifetime. */
export interface SeatAsk {
  nonce: string;
  requestId: string | undefined;
  ttlMs: number;
}

/** A room to place: its id, shape and privacy (a private one with its code). */
export interface RoomToPlace {
  id: string;
  shape: RoomShape;
  private: boolean;
  code: string | undefined;
}

export type GrantResult =
  | { ok: true; grant: Grant }
  | {
      ok: false;
      reason: 'no-such-room' | 'room-full' | 'at-capacity' | 'draining' | 'code-taken' | 'id-taken' | 'late';
    };

interface ScriptAnswer {
  status: string;
  room?: string;
  pid?: string;
  url?: string;
  nonce?: string;
  exp?: number;
  createdAt?: number;
  code?: string;
  pending?: number;
}

/** A room as the directory lists it (GET /rooms with `process`, /lobby). */
export type ClusterRoom = LobbyRoom & { viewRadius: number; process: HostingProcess };

/** A hosted room's record, as its process reports it. */
export interface RoomRecord extends RoomShape {
  id: string;
  private: boolean;
  code: string | undefined;
  createdAt: number;
}

export interface ProcessRecord {
  id: string;
  /** Its --process-heartbeat-ms: it stays fresh (new rooms and seats go to it) for 2.5 of them. */
  heartbeatMs: number;
  url: string;
  rooms: number;
  players: number;
  cpu: number;
  maxRooms: number;
  maxTotalPlayers: number;
  draining: boolean;
  startedAt: number;
}

export interface ProcessListing extends ProcessRecord {
  /** When it stops counting as alive unless it beats again, epoch ms by the Redis clock. */
  aliveUntil: number;
  /** When its last heartbeat reached Redis, epoch ms by the Redis clock. */
  seenAt: number;
}

export class RedisDirectory {
  private readonly scripts = loadScripts();
  /** Rooms moving between processes (a drain's handovers): begin, claim, abort, sweep. */
  readonly moves: RoomMoves;

  constructor(
    private readonly link: RedisLink,
    private readonly log: Logger,
    /** How much longer Redis holds a seat's place than the seat is valid (tests shorten it). */
    private readonly marginMs = SEAT_MARGIN_MS,
  ) {
    this.moves = new RoomMoves(link, log);
  }

  private run<T>(name: ScriptName, keys: readonly string[], args: readonly RedisArgument[]): Promise<T> {
    return this.link.run<T>(this.scripts[name], keys, args);
  }

  private async runJson(
    name: ScriptName,
    keys: readonly string[],
    args: readonly RedisArgument[],
  ): Promise<ScriptAnswer> {
    return JSON.parse(await this.run<string>(name, keys, args)) as ScriptAnswer;
  }

  /** Process ids in tw:procs (alive or not yet swept): the placement candidates. One round trip. */
  processIds(): Promise<string[]> {
    return this.link.call<string[]>(['ZRANGE', KEYS.procs, 0, -1]);
  }

  /** A seat in the fullest open room of this shape, or a new room placed for it. */
  async joinOrCreate(shape: RoomShape, newId: () => string, seat: SeatAsk): Promise<GrantResult> {
    const index = KEYS.open(shape);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const candidates = await this.link.call<string[]>([
        'ZRANGE',
        index,
        1,
        '+inf',
        'BYSCORE',
        'LIMIT',
        0,
        CANDIDATES,
      ]);
      const reserved = await this.reserve(index, candidates, seat, 'joinable');
      if (reserved.status === 'retry') continue;
      if (reserved.status === 'ok') return granted(reserved);
      const placed = await this.place({ id: newId(), shape, private: false, code: undefined }, seat, 'joinable');
      if (placed.status === 'retry') continue;
      return placed.status === 'ok' ? granted(placed) : refused(placed.status);
    }
    return { ok: false, reason: 'at-capacity' };
  }

  /** A new room placed on the least-loaded process, with the creator's seat. */
  async create(room: RoomToPlace, seat: SeatAsk): Promise<GrantResult> {
    const placed = await this.place(room, seat, 'create');
    return placed.status === 'ok' ? granted(placed) : refused(placed.status);
  }

  /** A seat in a room named by id. */
  async join(roomId: string, seat: SeatAsk): Promise<GrantResult> {
    const [scenario, tickRate, maxPlayers] = await this.link.call<(string | null)[]>([
      'HMGET',
      KEYS.room(roomId),
      'scenario',
      'tickRate',
      'maxPlayers',
    ]);
    if (scenario === null || tickRate === null || maxPlayers === null) {
      // No record: a retry of a join that was answered (then lost) still gets its seat.
      if (seat.requestId === undefined) return { ok: false, reason: 'no-such-room' };
    }
    const index = KEYS.open({ scenario: scenario ?? '', tickRate: Number(tickRate), maxPlayers: Number(maxPlayers) });
    const answer = await this.reserve(index, [roomId], seat, 'join');
    return answer.status === 'ok' ? granted(answer) : refused(answer.status);
  }

  /** The process a room is on now (its record's url), or undefined when no such room is listed. One round trip. */
  async roomProcess(roomId: string): Promise<{ id: string; url: string } | undefined> {
    const [id, url] = await this.link.call<(string | null)[]>(['HMGET', KEYS.room(roomId), 'proc', 'url']);
    return id == null || url == null ? undefined : { id, url };
  }

  /** The room id a private room's code names, if any. */
  async roomOfCode(code: string): Promise<string | undefined> {
    return (await this.link.call<string | null>(['GET', KEYS.code(code)])) ?? undefined;
  }

  /** Give back a seat whose answer never reached its caller. */
  async release(roomId: string, nonce: string): Promise<void> {
    await this.link.call(['ZREM', KEYS.seats(roomId), nonce]);
  }

  private reserve(
    index: string,
    candidates: readonly string[],
    seat: SeatAsk,
    mode: 'join' | 'joinable',
  ): Promise<ScriptAnswer> {
    const keys = [KEYS.procs, KEYS.draining, KEYS.placed, KEYS.request(seat.requestId), index, KEYS.fresh];
    for (const rid of candidates) keys.push(KEYS.room(rid), KEYS.seats(rid));
    const args = [seat.nonce, seat.ttlMs, this.marginMs, seat.requestId ?? '', mode, ...candidates];
    return this.runJson('reserve-seat', keys, args);
  }

  /** Place a room; a refusal read from a cached process list is asked once more with a fresh one. */
  private async place(room: RoomToPlace, seat: SeatAsk, mode: 'create' | 'joinable'): Promise<ScriptAnswer> {
    const answer = await this.placeWith(room, seat, mode);
    if ((answer.status !== 'at-capacity' && answer.status !== 'draining') || this.pidCache === undefined) return answer;
    this.pidCache = undefined; // a process that registered in the last second may take it
    return this.placeWith(room, seat, mode);
  }

  private async placeWith(room: RoomToPlace, seat: SeatAsk, mode: 'create' | 'joinable'): Promise<ScriptAnswer> {
    const { id, shape, code } = room;
    const pids = await this.processIdsCached();
    const keys = [KEYS.procs, KEYS.draining, KEYS.placed, KEYS.request(seat.requestId), KEYS.open(shape), KEYS.public];
    keys.push(KEYS.room(id), KEYS.seats(id), KEYS.code(code), KEYS.fresh);
    for (const pid of pids) keys.push(KEYS.proc(pid), KEYS.procRooms(pid));
    const settings = [id, shape.scenario, shape.maxPlayers, shape.tickRate, shape.snapshotRate];
    const ask = [room.private ? '1' : '0', code ?? '', seat.nonce, seat.ttlMs, this.marginMs, seat.requestId ?? ''];
    return this.runJson('place-room', keys, [...settings, ...ask, mode, shape.viewRadius, KEYS.lobbyChannel, ...pids]);
  }

  private pidCache: { pids: string[]; readAtMs: number } | undefined;
  /** The process list, read at most once per second per process (a new process gets rooms within a second). */
  private async processIdsCached(): Promise<string[]> {
    const now = performance.now();
    if (this.pidCache === undefined || now - this.pidCache.readAtMs > 1000) {
      const pids = await this.processIds();
      // An empty list is not kept: the first process registers a moment after it starts listening.
      this.pidCache = pids.length === 0 ? undefined : { pids, readAtMs: now };
      return pids;
    }
    return this.pidCache.pids;
  }

  /** The heartbeat: this process's registration, with its TTL pushed forward. Returns the rooms listed for it. */
  async register(record: ProcessRecord, ttlMs: number): Promise<number> {
    return this.run<number>(
      'register-process-5',
      [KEYS.proc(record.id), KEYS.procs, KEYS.draining, KEYS.procRooms(record.id), KEYS.fresh],
      [
        record.id,
        ttlMs,
        record.url,
        record.rooms,
        record.players,
        record.cpu.toFixed(3),
        record.maxRooms,
        record.maxTotalPlayers,
        record.draining ? '1' : '0',
        record.startedAt,
        record.heartbeatMs,
      ],
    );
  }

  /** Leave the cluster (clean exit); false if rooms are still listed for this process. */
  async unregister(pid: string): Promise<boolean> {
    const left = await this.run<number>(
      'unregister-process-5',
      [KEYS.proc(pid), KEYS.procs, KEYS.draining, KEYS.procRooms(pid), KEYS.fresh],
      [pid],
    );
    return left === 0;
  }

  /** A hosted room's settings and players (absolute), with the seats used since the last report. Returns its pending seats. */
  async reportRoom(
    pid: string,
    url: string,
    room: RoomRecord,
    players: number,
    used: readonly string[],
  ): Promise<{ pending: number } | { otherProcess: string }> {
    const answer = await this.runJson('report-room-7', roomKeys(pid, room), [
      room.id,
      pid,
      url,
      room.scenario,
      room.maxPlayers,
      room.tickRate,
      room.snapshotRate,
      room.private ? '1' : '0',
      room.code ?? '',
      room.createdAt,
      players,
      KEYS.lobbyChannel,
      room.viewRadius,
      ...used,
    ]);
    return answer.status === 'ok' ? { pending: answer.pending ?? 0 } : { otherProcess: answer.pid ?? '' };
  }

  /**
   * Unlist one of this process's rooms. An idle one Redis still holds a live seat for is placed on
   * this process again instead ('placed-again'): its seat's holder gets a fresh room, not 410.
   */
  async removeRoom(
    pid: string,
    room: RoomRecord,
    why: 'idle' | 'ended',
  ): Promise<'removed' | 'placed-again' | 'not-ours'> {
    const answer = await this.run<number>(
      'remove-room-8',
      [...roomKeys(pid, room), KEYS.draining],
      [room.id, pid, KEYS.lobbyChannel, why],
    );
    return answer === 2 ? 'placed-again' : answer === 1 ? 'removed' : 'not-ours';
  }

  /**
   * Unlist the rooms listed for `pid` that it does not host: a process restarted under the same
   * --process-id finds its former life's rooms (and rooms placed on it then) and drops them before
   * it registers. Once per start; O(its listed rooms).
   */
  async dropStaleRooms(pid: string, hosted: ReadonlySet<string>): Promise<number> {
    const listed = await this.link.call<string[]>(['SMEMBERS', KEYS.procRooms(pid)]);
    const stale = listed.filter((id) => !hosted.has(id));
    await Promise.all(
      stale.map(async (id) => {
        const [scenario, tickRate, maxPlayers, code] = await this.link.call<(string | null)[]>([
          'HMGET',
          KEYS.room(id),
          'scenario',
          'tickRate',
          'maxPlayers',
          'code',
        ]);
        await this.removeRoom(
          pid,
          {
            id,
            scenario: scenario ?? '',
            tickRate: Number(tickRate),
            maxPlayers: Number(maxPlayers),
            snapshotRate: 0,
            viewRadius: 0,
            private: false,
            code: code === null || code === '' ? undefined : code,
            createdAt: 0,
          },
          'ended',
        );
      }),
    );
    if (stale.length > 0) this.log.info("dropped rooms of this process id's former life", { rooms: stale.length });
    return stale.length;
  }

  /** A room placed on a process, as its record says (the process makes it when its first seat arrives). */
  async placedRoom(roomId: string): Promise<(RoomRecord & { processId: string; state: string }) | undefined> {
    const fields = await this.link.call<string[]>(['HGETALL', KEYS.room(roomId)]);
    const record = pairs(fields);
    if (record.proc === undefined || record.scenario === undefined) return undefined;
    return {
      id: roomId,
      processId: record.proc,
      state: record.state ?? '',
      scenario: record.scenario,
      maxPlayers: Number(record.maxPlayers),
      tickRate: Number(record.tickRate),
      snapshotRate: Number(record.snapshotRate),
      viewRadius: viewRadiusOfRecord(record.scenario, record.viewRadius),
      private: record.private === '1',
      code: record.code === '' ? undefined : record.code,
      createdAt: Number(record.createdAt),
    };
  }

  /** Public rooms whose process is alive, oldest first: GET /rooms and the lobby's full list. Two round trips. */
  async listPublic(): Promise<ClusterRoom[]> {
    const [ids, procs, time] = await Promise.all([
      this.link.call<string[]>(['ZRANGE', KEYS.public, 0, -1]),
      this.link.call<string[]>(['ZRANGE', KEYS.procs, 0, -1, 'WITHSCORES']),
      this.link.call<string[]>(['TIME']),
    ]);
    const nowMs = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
    const alive = new Set<string>();
    for (let i = 0; i + 1 < procs.length; i += 2) if (Number(procs[i + 1]) >= nowMs) alive.add(procs[i]!);
    const fields = ['proc', 'url', 'scenario', 'players', 'maxPlayers', 'tickRate', 'createdAt', 'viewRadius'];
    const rows = await Promise.all(
      ids.map((id) => this.link.call<(string | null)[]>(['HMGET', KEYS.room(id), ...fields])),
    );
    const rooms: ClusterRoom[] = [];
    rows.forEach((row, i) => {
      const [proc, url, scenario, players, maxPlayers, tickRate, createdAt, viewRadius] = row;
      if (proc == null || url == null || scenario == null || !alive.has(proc)) return;
      rooms.push({
        id: ids[i]!,
        scenario,
        players: Number(players),
        maxPlayers: Number(maxPlayers),
        tickRate: Number(tickRate),
        createdAt: Number(createdAt),
        viewRadius: viewRadiusOfRecord(scenario, viewRadius ?? undefined),
        process: { id: proc, url },
      });
    });
    return rooms;
  }

  /** Every registered process that is still alive, for the dashboard and /healthz. */
  async listProcesses(): Promise<ProcessListing[]> {
    const procs = await this.link.call<string[]>(['ZRANGE', KEYS.procs, 0, -1, 'WITHSCORES']);
    const listing: ProcessListing[] = [];
    const rows = await Promise.all(
      procs.filter((_, i) => i % 2 === 0).map((pid) => this.link.call<string[]>(['HGETALL', KEYS.proc(pid)])),
    );
    rows.forEach((row, i) => {
      const record = pairs(row);
      if (record.id === undefined) return; // its key expired: not alive
      listing.push({
        id: record.id,
        url: record.url ?? '',
        rooms: Number(record.rooms),
        players: Number(record.players),
        cpu: Number(record.cpu),
        maxRooms: Number(record.maxRooms),
        maxTotalPlayers: Number(record.maxTotalPlayers),
        draining: record.draining === '1',
        startedAt: Number(record.startedAt),
        heartbeatMs: Number(record.heartbeatMs),
        aliveUntil: Number(procs[2 * i + 1]),
        seenAt: Number(record.seenAt),
      });
    });
    return listing;
  }

  /**
   * The sweep: drop the rooms of processes whose heartbeat lapsed and placed rooms nobody took,
   * then forget those processes. Two to four round trips when something expired, one otherwise.
   */
  async sweep(): Promise<{ processes: number; rooms: number }> {
    const found = JSON.parse(await this.run<string>('find-expired-2', [KEYS.procs, KEYS.placed], [])) as {
      dead: string[] | Record<string, never>;
      placed: string[] | Record<string, never>;
    };
    // cjson encodes an empty Lua table as {}.
    const dead = Array.isArray(found.dead) ? found.dead : [];
    const placed = Array.isArray(found.placed) ? found.placed : [];
    if (dead.length === 0 && placed.length === 0) return { processes: 0, rooms: 0 };
    const roomsOfDead = await Promise.all(
      dead.map((pid) => this.link.call<string[]>(['SMEMBERS', KEYS.procRooms(pid)])),
    );
    const targets: { rid: string; why: 'dead' | 'placed'; owner: string | undefined }[] = [];
    dead.forEach((pid, j) => {
      for (const rid of roomsOfDead[j]!) targets.push({ rid, why: 'dead', owner: pid });
    });
    for (const rid of placed) targets.push({ rid, why: 'placed', owner: undefined });
    const shapes = await Promise.all(
      targets.map((t) =>
        this.link.call<(string | null)[]>([
          'HMGET',
          KEYS.room(t.rid),
          'scenario',
          'tickRate',
          'maxPlayers',
          'code',
          'proc',
        ]),
      ),
    );
    const keys = [
      KEYS.procs,
      KEYS.public,
      KEYS.placed,
      KEYS.draining,
      KEYS.fresh,
      ...dead.map((pid) => KEYS.procRooms(pid)),
    ];
    const args: RedisArgument[] = [KEYS.lobbyChannel, dead.length, ...dead];
    targets.forEach((t, i) => {
      const [scenario, tickRate, maxPlayers, code, proc] = shapes[i]!;
      const owner = t.owner ?? proc ?? '';
      keys.push(
        KEYS.room(t.rid),
        KEYS.seats(t.rid),
        KEYS.open({ scenario: scenario ?? '', tickRate: Number(tickRate), maxPlayers: Number(maxPlayers) }),
        KEYS.code(code === null || code === '' ? undefined : code),
        KEYS.procRooms(owner),
      );
      args.push(t.rid, t.why);
    });
    const result = JSON.parse(await this.run<string>('drop-expired', keys, args)) as {
      processes: number;
      rooms: number;
    };
    if (result.processes > 0 || result.rooms > 0)
      this.log.info('swept the directory', { ...result, deadProcesses: dead });
    return result;
  }
}

function roomKeys(pid: string, room: RoomRecord): string[] {
  return [
    KEYS.room(room.id),
    KEYS.seats(room.id),
    KEYS.open(room),
    KEYS.public,
    KEYS.placed,
    KEYS.procRooms(pid),
    KEYS.code(room.code),
  ];
}

function granted(answer: ScriptAnswer): GrantResult {
  const grant: Grant = {
    roomId: answer.room!,
    processId: answer.pid!,
    processUrl: answer.url!,
    nonce: answer.nonce!,
    expiresAtMs: answer.exp!,
    createdAt: answer.createdAt ?? 0,
  };
  if (answer.code !== undefined) grant.code = answer.code;
  return { ok: true, grant };
}

function refused(status: string): GrantResult {
  switch (status) {
    case 'full':
      return { ok: false, reason: 'room-full' };
    case 'none':
      return { ok: false, reason: 'no-such-room' };
    case 'draining':
    case 'late':
    case 'at-capacity':
    case 'code-taken':
    case 'id-taken':
      return { ok: false, reason: status };
    default:
      return { ok: false, reason: 'at-capacity' };
  }
}

function pairs(fields: readonly string[]): Record<string, string | undefined> {
  const record: Record<string, string | undefined> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1];
  return record;
}

/** A room record's viewRadius; one written before the option existed has the scenario's default, as that process ran it. */
function viewRadiusOfRecord(scenario: string, field: string | undefined): number {
  return field === undefined ? (DEFAULT_VIEW_RADIUS[scenario as ScenarioName] ?? 0) : Number(field);
}
