// The rooms one process hosts: made on demand (by the matchmaker), ticked by the one room scheduler,
// checked once a second (handshake and idle timeouts, seats expiring, the lifecycle), and disposed
// when idle, failed or closed. Runs per room created, per join or leave, per second, per upgrade
// lookup. The lifecycle's rules are roomLifecycle.ts's; this file only feeds it events.
import { CloseCode, type LobbyRoom, movedReason } from '@tickwire/protocol';
import type { Faults } from '../faults.js';
import type { Logger } from '../log.js';
import { resumeTokens } from '../room/resumeTokens.js';
import { Room, type RoomHooks } from '../room/room.js';
import type { RoomOptions, ScenarioName } from '../room/roomOptions.js';
import type { JoinAdmission } from '../room/roomState.js';
import type { RoomStateV1 } from '../room/roomStateFormat.js';
import type { TickTimings } from '../stats/tickTimings.js';
import type { CreateOutcome, RoomSettings } from './matchmaker.js';
import { ProcessFigures } from './processFigures.js';
import type { BookedRoom, RoomBook } from './roomBook.js';
import { roomCreationRefusal } from './roomCapacity.js';
import { roomDoor } from './roomDoor.js';
import { createdRoom, nextRoomLife, type RoomEvent, type RoomLife } from './roomLifecycle.js';
import type { RoomScheduler } from './roomScheduler.js';

/** Why an idle room is disposed (its clients' close reason, and how the books unlist it). */
const IDLE_REASON = 'the room was idle';
/** Disposed room ids remembered so a late upgrade to one gets 410, not 404. @default 10 000 */
const GONE_REMEMBERED = 10_000;

/** Where public rooms' changes go (the /lobby endpoint). */
export interface LobbySink {
  roomAdded(room: LobbyRoom): void;
  roomRemoved(id: string): void;
  playersChanged(id: string, players: number): void;
}

export interface RoomHostOptions {
  /** What every room gets from the process's settings; scenario, maxPlayers and seed are per room. */
  base: Omit<RoomOptions, 'scenario' | 'maxPlayers' | 'seed'>;
  /** The process's seed (--seed); each room's spawn seed is derived from it and the room's number. */
  seed: number;
  maxRooms: number;
  roomIdleMs: number;
  /** Seat tables, occupancy and listing: in memory, or the cluster's (roomBook.ts). */
  book: RoomBook;
  scheduler: RoomScheduler;
  secret: Uint8Array;
  pooledTimings: TickTimings;
  admitJoin: JoinAdmission;
  faults: Faults;
  log: Logger;
  /** Monotonic ms (the scheduler's clock): sessions and the lifecycle. */
  now: () => number;
  /** Wall-clock ms since the epoch: seats and createdAt. */
  epochNow: () => number;
  lobby?: LobbySink;
}

export interface HostedRoom extends BookedRoom {
  readonly room: Room;
  readonly scenario: ScenarioName;
  life: RoomLife;
}

/** A room made for a record the cluster already holds (its createdAt and code), not a fresh one. */
export interface ListedAs {
  createdAt: number;
  code: string | undefined;
}

export type RoomLookup = { state: 'live'; room: Room } | { state: 'gone' } | { state: 'unknown' };

/** A room's spawn seed: the process seed and the room's number mixed (32-bit), so rooms spawn in different orders. */
export function roomSeed(processSeed: number, roomNumber: number): number {
  let h = (processSeed ^ Math.imul(roomNumber + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0 || 1;
}

export class RoomHost {
  readonly figures: ProcessFigures;
  /** No new rooms (SIGTERM drain, later issues); rooms already running go on. */
  draining = false;
  /** Rooms made and disposed since start. */
  readonly totals = { created: 0, disposed: 0, failed: 0 };
  private readonly rooms = new Map<string, HostedRoom>();
  private readonly gone = new Set<string>();
  private roomNumber = 0;

  constructor(private readonly options: RoomHostOptions) {
    this.figures = new ProcessFigures(options.pooledTimings, () => this.liveRooms());
  }

  get size(): number {
    return this.rooms.size;
  }

  /** The hosted rooms, oldest first. */
  hosted(): IterableIterator<HostedRoom> {
    return this.rooms.values();
  }

  /** Seats issued and neither used nor expired, over every hosted room: they hold places like players. */
  seatsOutstanding(): number {
    const epochMs = this.options.epochNow();
    let pending = 0;
    for (const id of this.rooms.keys()) pending += this.pendingSeats(id, epochMs);
    return pending;
  }

  /** Rooms with a player or a seat outstanding: what a drain waits for (processLifecycle.ts). */
  occupiedRooms(): number {
    const epochMs = this.options.epochNow();
    let occupied = 0;
    for (const hosted of this.rooms.values()) {
      if (hosted.room.playerCount > 0 || this.pendingSeats(hosted.id, epochMs) > 0) occupied++;
    }
    return occupied;
  }

  private pendingSeats(roomId: string, epochMs: number): number {
    return this.options.book.pending(roomId, epochMs);
  }

  private *liveRooms(): Generator<Room> {
    for (const hosted of this.rooms.values()) yield hosted.room;
  }

  /** What an upgrade to /ws/<roomId> finds. */
  lookup(roomId: string): RoomLookup {
    const hosted = this.rooms.get(roomId);
    if (hosted !== undefined && hosted.life.phase !== 'failed') return { state: 'live', room: hosted.room };
    return hosted !== undefined || this.gone.has(roomId) ? { state: 'gone' } : { state: 'unknown' };
  }

  /**
   * The cluster's directory kept a room this process disposed as idle (a seat for it was still out)
   * and placed it here again: its next socket makes it afresh instead of reading 410.
   */
  forgetGone(roomId: string): void {
    if (!this.rooms.has(roomId)) this.gone.delete(roomId);
  }

  /** The matchmaker's createRoom: make, schedule and start the lifecycle of a room, or say why not. */
  createRoom(settings: RoomSettings, listedAs?: ListedAs): CreateOutcome {
    const { options } = this;
    const refusal = roomCreationRefusal({
      rooms: this.rooms.size,
      maxRooms: options.maxRooms,
      // A room the cluster placed here before the drain has seats out: a seat is a promise.
      draining: this.draining && listedAs === undefined,
    });
    if (refusal !== undefined) return { ok: false, reason: refusal };
    const { id, maxPlayers, tickRate, snapshotRate, viewRadius } = settings;
    const scenario = settings.scenario as ScenarioName;
    const roomOptions: RoomOptions = {
      ...options.base,
      tickRate,
      snapshotRate,
      viewRadius,
      scenario,
      maxPlayers,
      seed: roomSeed(options.seed, this.roomNumber++),
      tickClockLeadMs: options.scheduler.earlyMs,
    };
    const room = new Room(roomOptions, options.log, options.now, this.hooksFor(id, maxPlayers));
    this.host(room, settings, listedAs, 0);
    options.log.info('room created', { roomId: id, scenario, maxPlayers, private: settings.private });
    return { ok: true, tickRate };
  }

  /** What every room of this process is built with: its door, its join rule, its tokens, its figures. */
  private hooksFor(id: string, maxPlayers: number): RoomHooks {
    const { options } = this;
    return {
      admitJoin: options.admitJoin,
      admitSeat: roomDoor({
        secret: options.secret,
        roomId: id,
        seats: () => options.book.seatsOf(id),
        maxPlayers,
        epochNow: options.epochNow,
      }),
      pooledTimings: options.pooledTimings,
      onPlayers: (players) => this.playersChanged(id, players),
      resumeTokens: resumeTokens({ secret: options.secret, roomId: id, epochNow: options.epochNow }),
    };
  }

  /** Book a room made here (or restored), schedule it from the tick after `lastTick`, and list it. */
  private host(room: Room, settings: RoomSettings, listedAs: ListedAs | undefined, lastTick: number): HostedRoom {
    const { options } = this;
    const { id, maxPlayers, tickRate, snapshotRate } = settings;
    const scenario = settings.scenario as ScenarioName;
    const hosted: HostedRoom = {
      id,
      room,
      scenario,
      maxPlayers,
      tickRate,
      snapshotRate,
      // What the room runs with (a moved room's from its state), whatever the settings said.
      viewRadius: room.options.viewRadius,
      private: settings.private,
      code: listedAs?.code,
      createdAt: listedAs?.createdAt ?? options.epochNow(),
      life: createdRoom(options.now()),
    };
    this.rooms.set(id, hosted);
    this.totals.created++;
    this.schedule(hosted, lastTick);
    if (!settings.private) {
      options.lobby?.roomAdded({ id, scenario, players: 0, maxPlayers, tickRate, createdAt: hosted.createdAt });
    }
    return hosted;
  }

  private schedule(hosted: HostedRoom, lastTick: number): void {
    const { room } = hosted;
    this.options.scheduler.add(
      { id: hosted.id, tick: (tick, startMs, dueMs) => room.runTick(tick, startMs, dueMs) },
      hosted.tickRate,
      lastTick,
    );
  }

  /**
   * A room moved here from a draining process (cluster/roomMover.ts): rebuilt from its state, run
   * from the tick after the one it stopped at. Its players are away until they resume here.
   */
  hostRestored(state: RoomStateV1, settings: RoomSettings, listedAs: ListedAs): HostedRoom {
    const { options } = this;
    const room = Room.restore(state, options.log, options.now, this.hooksFor(settings.id, settings.maxPlayers));
    const hosted = this.host(room, settings, listedAs, state.tick);
    // It arrives with players (away): the lifecycle hears of them now, not at its first change.
    this.advance(hosted, { type: 'occupancy', players: room.playerCount, pending: 0 });
    options.log.info('room moved in', { roomId: settings.id, tick: state.tick, players: room.playerCount });
    return hosted;
  }

  /** Stop ticking a room at a tick boundary (its state is being captured to move it). */
  pause(roomId: string): Room | undefined {
    const hosted = this.rooms.get(roomId);
    if (hosted === undefined || hosted.life.phase === 'failed') return undefined;
    this.options.scheduler.remove(roomId);
    return hosted.room;
  }

  /** Its move did not happen: tick it again from the tick after the last one it ran. */
  unpause(roomId: string): void {
    const hosted = this.rooms.get(roomId);
    if (hosted !== undefined) this.schedule(hosted, hosted.room.tick);
  }

  /**
   * Its move happened: the room lives elsewhere now; its clients get 4019 MOVED and resume there.
   * The close's reason is the room's new socket when known (movedReason), so they need not ask.
   */
  moveOut(roomId: string, newSocketUrl?: string): void {
    const hosted = this.rooms.get(roomId);
    if (hosted !== undefined) this.dispose(hosted, CloseCode.MOVED, movedReason(newSocketUrl));
  }

  /** A room's tick threw (the scheduler's onError): the room fails, and is disposed at the next check. */
  failRoom(roomId: string, error: unknown): void {
    const hosted = this.rooms.get(roomId);
    this.options.faults.record('tick', error, { roomId, tick: hosted?.room.tick });
    if (hosted === undefined || hosted.life.phase === 'failed') return;
    this.options.scheduler.remove(roomId);
    hosted.room.fail();
    this.totals.failed++;
    this.advance(hosted, { type: 'fail' });
    // Nobody is sent to it any more; its players were closed with 1011 by fail().
    this.unlist(hosted);
  }

  /** Once a second: every room's session timeouts, then its seats and lifecycle; disposes what is due. */
  check(): void {
    const { options } = this;
    const nowMs = options.now();
    const epochMs = options.epochNow();
    for (const hosted of [...this.rooms.values()]) {
      try {
        hosted.room.expireSessions(nowMs, (error, session) =>
          options.faults.record('timer', error, { roomId: hosted.id, connectionId: session.connectionId }),
        );
        const pending = this.pendingSeats(hosted.id, epochMs);
        this.advance(hosted, { type: 'occupancy', players: hosted.room.playerCount, pending });
        this.advance(hosted, { type: 'check' });
      } catch (error) {
        options.faults.record('timer', error, { roomId: hosted.id });
      }
    }
  }

  /** Close a room now (an operator's or a test's decision): its clients get 4016 ROOM_CLOSED. */
  closeRoom(roomId: string, reason = 'the room was closed'): boolean {
    const hosted = this.rooms.get(roomId);
    if (hosted === undefined) return false;
    this.dispose(hosted, CloseCode.ROOM_CLOSED, reason);
    return true;
  }

  /** Close every room's clients with `code` (shutdown); the rooms are disposed. */
  closeAll(code: CloseCode, reason: string): void {
    for (const hosted of [...this.rooms.values()]) this.dispose(hosted, code, reason);
  }

  private playersChanged(roomId: string, players: number): void {
    const hosted = this.rooms.get(roomId);
    if (hosted === undefined) return;
    const { book, epochNow, lobby } = this.options;
    book.occupancy(hosted, players);
    if (!hosted.private && hosted.life.phase !== 'failed') lobby?.playersChanged(roomId, players);
    this.advance(hosted, { type: 'occupancy', players, pending: this.pendingSeats(roomId, epochNow()) });
  }

  private advance(hosted: HostedRoom, event: RoomEvent): void {
    const before = hosted.life.phase;
    hosted.life = nextRoomLife(hosted.life, event, this.options.now(), this.options.roomIdleMs);
    if (hosted.life.phase === 'disposed' && before !== 'disposed') {
      const reason = before === 'failed' ? 'the room failed' : IDLE_REASON;
      this.dispose(hosted, CloseCode.ROOM_CLOSED, reason);
    }
  }

  /** Take a room out of the directory and the lobby (it stays hosted until disposed). */
  private unlist(hosted: HostedRoom, why: 'idle' | 'ended' = 'ended'): void {
    this.options.book.remove(hosted, why);
    if (!hosted.private) this.options.lobby?.roomRemoved(hosted.id);
  }

  private dispose(hosted: HostedRoom, code: CloseCode, reason: string): void {
    if (!this.rooms.delete(hosted.id)) return;
    hosted.life = nextRoomLife(hosted.life, { type: 'shutdown' }, this.options.now());
    // The books first, so a failure while closing its sockets below cannot leave a room listed
    // (and taking seats) that nothing hosts any more.
    this.options.scheduler.remove(hosted.id);
    this.unlist(hosted, reason === IDLE_REASON ? 'idle' : 'ended'); // a failed room was unlisted already; twice is harmless
    this.totals.disposed++;
    this.gone.add(hosted.id);
    if (this.gone.size > GONE_REMEMBERED) this.gone.delete(this.gone.values().next().value as string);
    // Sessions still open (waiting for HELLO, or players when an operator closes it) are told why.
    try {
      hosted.room.closeAll(code, reason);
    } catch (error) {
      this.options.faults.record('close', error, { roomId: hosted.id });
    }
    this.figures.retire(hosted.room);
    this.options.log.info('room disposed', { roomId: hosted.id, reason });
  }
}
