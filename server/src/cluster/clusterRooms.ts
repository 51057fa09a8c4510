// A process's part in the cluster (--redis-url): its registration and heartbeat, its rooms' books
// in Redis (occupancy as absolute values on every change and with each heartbeat), the sweep of
// dead processes, and making a room placed on it when its first socket arrives. Made once per
// process; the heartbeat runs every --process-heartbeat-ms, reports per players change.
//
//   heartbeat ─► register (key + TTL) ─► report every hosted room ─► sweep the dead ─► return
//                handovers whose target died or whose deadline passed (roomMoves.ts)
//   Redis gone ─► calls fail fast; rooms tick on; the next heartbeat after it is back re-registers
//                 the process and re-lists its rooms (report-room writes the whole record)
import type { Faults } from '../faults.js';
import type { Logger } from '../log.js';
import { cpuShareMeter } from '../metrics/cpuShare.js';
import type { BookedRoom, RoomBook, SeatTable } from '../rooms/roomBook.js';
import type { RoomHost } from '../rooms/roomHost.js';
import type { ProcessRecord, RedisDirectory, RoomRecord } from './redisDirectory.js';
import { SEAT_MARGIN_MS } from './redisDirectory.js';
import { SeatLedger } from './seatLedger.js';

export interface ClusterRoomsOptions {
  directory: RedisDirectory;
  processId: string;
  /** The process's public URL (known once it listens). */
  publicUrl: () => string;
  heartbeatMs: number;
  ttlMs: number;
  maxRooms: number;
  maxTotalPlayers: number;
  seatTtlMs: number;
  log: Logger;
  faults: Faults;
  /** Wall-clock ms since the epoch (the process's start time in its record). */
  epochNow: () => number;
}

export type AdoptResult = 'hosted' | 'unknown' | 'elsewhere' | 'unavailable' | 'at-capacity';

export class ClusterRooms implements RoomBook {
  private host: RoomHost | undefined;
  private readonly ledgers = new Map<string, SeatLedger>();
  /** Rooms whose record must be written again (players changed, or a report failed). */
  private readonly dirty = new Map<string, BookedRoom>();
  private readonly writing = new Set<string>();
  private readonly adopting = new Map<string, Promise<AdoptResult>>();
  /** Rooms disposed here whose removal Redis has not confirmed yet. */
  private readonly removing = new Map<string, { room: BookedRoom; why: 'idle' | 'ended' }>();
  private readonly removingNow = new Set<string>();
  /** Rooms listed for this process at its last heartbeat (placed on it or hosted). */
  private listedRooms = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt: number;
  /** This process's CPU, a fraction of one core, since the heartbeat before (at least 200 ms apart). */
  private readonly cpuShare = cpuShareMeter(
    () => process.cpuUsage(),
    () => performance.now(),
    200,
  );
  /** The last heartbeat that reached Redis, performance.now() ms (for /healthz). */
  lastHeartbeatMs: number | undefined;
  /** Whether this start's first registration (after dropping a former life's rooms) is done. */
  private registered = false;

  constructor(private readonly options: ClusterRoomsOptions) {
    this.startedAt = options.epochNow();
    this.cpuShare(); // the first heartbeat reports the CPU used since the process began here
  }

  attach(host: RoomHost): void {
    this.host = host;
  }

  // ── RoomBook ──────────────────────────────────────────────────────────────
  seatsOf(roomId: string): SeatTable | undefined {
    return this.ledgers.get(roomId);
  }

  pending(roomId: string): number {
    return this.ledgers.get(roomId)?.pending ?? 0;
  }

  occupancy(room: BookedRoom): void {
    this.dirty.set(room.id, room);
    this.flush(room.id);
  }

  remove(room: BookedRoom, why: 'idle' | 'ended'): void {
    const had = this.ledgers.delete(room.id);
    this.dirty.delete(room.id);
    if (!had) return;
    // Kept until Redis has answered: each heartbeat tries again, so a room disposed while Redis was
    // away never stays listed (and taking seats) once it is back.
    this.removing.set(room.id, { room, why });
    this.tryRemove(room.id);
  }

  private tryRemove(roomId: string): void {
    const entry = this.removing.get(roomId);
    if (entry === undefined || this.removingNow.has(roomId)) return;
    this.removingNow.add(roomId);
    const { directory, processId, log } = this.options;
    directory
      .removeRoom(processId, record(entry.room), entry.why)
      .then(
        (answer) => {
          this.removing.delete(roomId);
          // Another process's seat was out for it: placed here again, so its holder gets a fresh room.
          if (answer === 'placed-again') this.host?.forgetGone(roomId);
        },
        (error: unknown) =>
          log.debug('room removal not written; the next heartbeat tries again', { roomId, error: String(error) }),
      )
      .finally(() => this.removingNow.delete(roomId));
  }

  // ── Lifecycle ─────────────────────────────────────────────────────────────
  start(): void {
    void this.heartbeat();
    this.timer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    this.timer.unref();
  }

  /**
   * Rooms placed on this process and not made yet (their first socket has not come), as of the last
   * heartbeat: a drain waits for them too, since their seats were promises.
   */
  get placedNotMade(): number {
    return Math.max(0, this.listedRooms - (this.host?.size ?? 0) - this.removing.size);
  }

  /** Redis came back, or the process started draining: register (and re-list everything) now rather than at the next beat. */
  beatNow(): void {
    void this.heartbeat();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.options.directory.unregister(this.options.processId);
    } catch (error) {
      this.options.log.warn('could not unregister from the directory (its key expires by itself)', {
        error: String(error),
      });
    }
  }

  /** A room moved here from another process: its books start now (a seat ledger, reports). */
  bookMovedIn(roomId: string): void {
    if (!this.ledgers.has(roomId)) this.ledgers.set(roomId, new SeatLedger(this.options.seatTtlMs + SEAT_MARGIN_MS));
  }

  /** A socket arrived for a room this process does not host: make it if the directory placed it here. */
  adopt(roomId: string): Promise<AdoptResult> {
    let pending = this.adopting.get(roomId);
    if (pending === undefined) {
      pending = this.adoptNow(roomId).finally(() => this.adopting.delete(roomId));
      this.adopting.set(roomId, pending);
    }
    return pending;
  }

  private async adoptNow(roomId: string): Promise<AdoptResult> {
    const host = this.host!;
    if (host.lookup(roomId).state === 'live') return 'hosted';
    let placed: Awaited<ReturnType<RedisDirectory['placedRoom']>>;
    try {
      placed = await this.options.directory.placedRoom(roomId);
    } catch {
      return 'unavailable';
    }
    if (placed === undefined) return 'unknown';
    if (placed.processId !== this.options.processId) return 'elsewhere';
    // Only a room placed and not yet made: a hosted record here is a former life's (or one being
    // removed), whose used seats this process does not know.
    if (placed.state !== 'placed' || this.removing.has(roomId)) return 'unknown';
    if (host.lookup(roomId).state !== 'unknown') return host.lookup(roomId).state === 'live' ? 'hosted' : 'unknown';
    this.ledgers.set(roomId, new SeatLedger(this.options.seatTtlMs + SEAT_MARGIN_MS));
    const made = host.createRoom(
      {
        id: roomId,
        scenario: placed.scenario,
        maxPlayers: placed.maxPlayers,
        tickRate: placed.tickRate,
        snapshotRate: placed.snapshotRate,
        viewRadius: placed.viewRadius,
        private: placed.private,
      },
      { createdAt: placed.createdAt, code: placed.code },
    );
    if (!made.ok) {
      this.ledgers.delete(roomId);
      return 'at-capacity';
    }
    const hosted = [...host.hosted()].find((h) => h.id === roomId);
    if (hosted !== undefined) this.occupancy(hosted);
    return 'hosted';
  }

  private async heartbeat(): Promise<void> {
    const { directory, processId, ttlMs, log, faults } = this.options;
    try {
      if (!this.registered) {
        const hosted = new Set([...(this.host?.hosted() ?? [])].map((h) => h.id));
        await directory.dropStaleRooms(processId, hosted);
        this.registered = true;
      }
      this.listedRooms = await directory.register(this.record(), ttlMs);
      this.lastHeartbeatMs = performance.now();
      for (const roomId of this.removing.keys()) this.tryRemove(roomId);
      for (const hosted of this.host?.hosted() ?? []) {
        if (this.ledgers.has(hosted.id)) this.dirty.set(hosted.id, hosted);
      }
      for (const roomId of [...this.dirty.keys()]) this.flush(roomId);
      await directory.sweep();
      await directory.moves.sweep();
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'RedisUnavailableError') {
        faults.record('timer', error, { processId });
      } else {
        log.debug('heartbeat not written', { error: error.message });
      }
    }
  }

  /** Write a room's record now, unless a write for it is in flight (then once more after it). */
  private flush(roomId: string): void {
    if (this.writing.has(roomId)) return;
    const room = this.dirty.get(roomId);
    const ledger = this.ledgers.get(roomId);
    if (room === undefined || ledger === undefined) return;
    this.dirty.delete(roomId);
    this.writing.add(roomId);
    const used = ledger.takeUsed();
    const players = this.playersOf(roomId);
    const { directory, processId, log } = this.options;
    const publicUrl = this.options.publicUrl();
    directory
      .reportRoom(processId, publicUrl, record(room), players, used)
      .then(
        (answer) => {
          if ('pending' in answer) ledger.reported(answer.pending);
          else
            log.warn('a room this process hosts is listed for another process', { roomId, other: answer.otherProcess });
        },
        () => {
          ledger.putBack(used);
          // The next heartbeat writes it, unless the room is gone meanwhile.
          if (this.ledgers.has(roomId)) this.dirty.set(roomId, room);
        },
      )
      .finally(() => {
        this.writing.delete(roomId);
        if (this.dirty.has(roomId)) this.flushLater(roomId);
      });
  }

  /** A change that came in while its room's write was in flight goes out right after it (not on a failure: the heartbeat retries). */
  private flushLater(roomId: string): void {
    queueMicrotask(() => this.flush(roomId));
  }

  private playersOf(roomId: string): number {
    const found = this.host?.lookup(roomId);
    return found?.state === 'live' ? found.room.playerCount : 0;
  }

  private record(): ProcessRecord {
    const host = this.host;
    return {
      id: this.options.processId,
      heartbeatMs: this.options.heartbeatMs,
      url: this.options.publicUrl(),
      rooms: host?.size ?? 0,
      players: host?.figures.playerCount ?? 0,
      cpu: this.cpuShare(),
      maxRooms: this.options.maxRooms,
      maxTotalPlayers: this.options.maxTotalPlayers,
      draining: host?.draining ?? false,
      startedAt: this.startedAt,
    };
  }
}

function record(room: BookedRoom): RoomRecord {
  return {
    id: room.id,
    scenario: room.scenario,
    maxPlayers: room.maxPlayers,
    tickRate: room.tickRate,
    snapshotRate: room.snapshotRate,
    viewRadius: room.viewRadius,
    private: room.private,
    code: room.code,
    createdAt: room.createdAt,
  };
}
