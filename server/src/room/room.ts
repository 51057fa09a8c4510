// A room, as the rest of the server holds it: a façade over the room's parts. Created once per room;
// its methods are called per frame (receive), per tick (runTick), per second (expireSessions) and per
// scrape (figures). Where each thing happens:
//   roomState.ts    the tables and parts, built once      membership.ts  open, join, leave, reject
//   dispatch.ts     one client frame, per frame           tick.ts        systems, roster, snapshot
//   sessionSweep.ts timeouts, faults, shutdown            debugState.ts  the --debug-state messages
//   roomFigures.ts  counters and per-scrape sums          roomOptions.ts what a room is made with
//   captureRoom.ts  the state a handover carries          restoreRoom.ts a room rebuilt from it
import type { CloseCode } from '@tickwire/protocol';
import type { World } from 'ecsy';
import type { Logger } from '../log.js';
import type { ClientSocket, Session } from '../session/session.js';
import type { GameContext } from '../sim/combat/gameContext.js';
import type { RoomSnapshots } from '../snapshot/roomSnapshots.js';
import type { TickTimings } from '../stats/tickTimings.js';
import { captureRoom } from './captureRoom.js';
import type { ChatRelay } from './chatRelay.js';
import { chargeControlFrame, receive } from './dispatch.js';
import { leave, open } from './membership.js';
import { restoreInto } from './restoreRoom.js';
import { ackTotals, type ClientFigures, clientFigures, inputTotals, type RoomCounters } from './roomFigures.js';
import { type RoomOptions, type SettledRoomOptions, settleRoomOptions } from './roomOptions.js';
import { type JoinAdmission, type RoomHooks, RoomState, type SeatDoor } from './roomState.js';
import type { RoomStateV1 } from './roomStateFormat.js';
import type { Roster } from './roster.js';
import type { Scenario } from './scenario.js';
import type { SendTimes } from './sendTimes.js';
import { closeAfterFault, closeAll, expireSessions, fail } from './sessionSweep.js';
import { runTick, tickTimeAt } from './tick.js';

export type { ClientFigures, JoinAdmission, RoomCounters, RoomHooks, RoomOptions, SeatDoor };

export class Room {
  private readonly state: RoomState;
  /** What the room was made with, viewRadius settled (0 = everything): read by the interest code. */
  readonly options: SettledRoomOptions;
  readonly scenario: Scenario;
  readonly counters: RoomCounters;
  readonly snapshots: RoomSnapshots<Session>;
  readonly timings: TickTimings;
  /** What the combat systems share: tick, players by id, projectiles, lag history, events. */
  readonly game: GameContext;
  readonly roster: Roster;
  readonly chat: ChatRelay;
  /** The room's ecsy world: its entities and systems (tests register systems of their own on it). */
  readonly world: World;
  /** When each snapshot tick still in the ring was sent (acks become round-trip samples against it). */
  readonly sendTimes: SendTimes;

  constructor(
    options: RoomOptions,
    log: Logger,
    /**
     * The clock pongs are stamped with when their frame is written; the tick scheduler's clock.
     * Tick timings read it too, so it must be high-resolution (performance.now).
     */
    now: () => number = () => performance.now(),
    hooks: RoomHooks = {},
  ) {
    this.options = settleRoomOptions(options);
    const state = new RoomState(this.options, log, now, hooks);
    this.state = state;
    this.scenario = state.scenario;
    this.counters = state.counters;
    this.snapshots = state.snapshots;
    this.timings = state.timings;
    this.game = state.game;
    this.roster = state.roster;
    this.chat = state.chat;
    this.world = state.world;
    this.sendTimes = state.sendTimes;
  }

  /**
   * A room rebuilt from a handover state (restoreRoom.ts) with `state.options`: every player away
   * (it resumes here with its token within the grace, counted from `nowMs` for players that were
   * connected), the last tick state.tick, so the scheduler runs state.tick + 1 next. `hooks` must
   * carry the room's resume tokens (same room id and secret), or nobody can resume. Throws
   * RoomStateRefused when the state does not hold together.
   */
  static restore(state: RoomStateV1, log: Logger, now: () => number, hooks: RoomHooks, nowMs: number = now()): Room {
    const room = new Room(state.options, log, now, hooks);
    restoreInto(room.state, state, nowMs);
    return room;
  }

  /** The room's whole state between two ticks (captureRoom.ts); `nowMs`: the room's clock. */
  captureState(nowMs: number): RoomStateV1 {
    return captureRoom(this.state, nowMs);
  }

  /** The last tick run. */
  get tick(): number {
    return this.state.tick;
  }

  /**
   * A tick threw (see fail()): every player was closed with 1011, no tick runs again, and a HELLO
   * is refused with 1011. Only this room is affected; the process carries on.
   */
  get failed(): boolean {
    return this.state.failed;
  }

  get playerCount(): number {
    return this.state.players.size;
  }

  get sessionCount(): number {
    return this.state.sessions.size;
  }

  /** A socket opened: its session waits for HELLO. `addressKey`: its client's, undefined if exempt. */
  open(socket: ClientSocket, nowMs: number, addressKey?: string): Session {
    return open(this.state, socket, nowMs, addressKey);
  }

  /**
   * The socket is gone (closed by either side; `peerCode`: the close code it ended with, 1006 when
   * no close frame came). The player leaves, or after a drop is kept away for a resume (resume.ts).
   */
  disconnected(session: Session, peerCode: number): void {
    leave(this.state, session, peerCode);
  }

  /** Players away (connection dropped, kept for a resume); counted in playerCount too. */
  get awayCount(): number {
    return this.state.away.size;
  }

  /** One frame from a client. Bad frames close that client only; nothing here throws on input. */
  receive(session: Session, data: Uint8Array, isBinary: boolean, nowMs: number): void {
    receive(this.state, session, data, isBinary, nowMs);
  }

  /** A WebSocket control frame (ping) from a client: it counts towards the flood limit. */
  chargeControlFrame(session: Session, nowMs: number): void {
    chargeControlFrame(this.state, session, nowMs);
  }

  /** The server's clock in ticks (what pongs carry): the current tick plus the fraction since it was due. */
  tickTimeAt(nowMs: number): number {
    return tickTimeAt(this.state, nowMs);
  }

  /** Run tick number `tick` at `nowMs` (`dueMs`: when the schedule wanted it); see tick.ts. */
  runTick(tick: number, nowMs: number, dueMs = nowMs): void {
    runTick(this.state, tick, nowMs, dueMs);
  }

  /** Handshake and idle timeouts: one pass over the sessions; call once per second or so. */
  expireSessions(nowMs: number, onFault?: (error: unknown, session: Session) => void): void {
    expireSessions(this.state, nowMs, onFault);
  }

  /**
   * Close `session` with 1011 after a fault in its own handling, whatever state that left it in.
   * Never throws: returns the error if closing failed too (the session has left the room anyway).
   */
  closeAfterFault(session: Session, reason?: string): unknown {
    return closeAfterFault(this.state, session, reason);
  }

  /** A tick threw: no tick runs again, and every player is closed with 1011. Never throws. */
  fail(): void {
    fail(this.state);
  }

  /** Input totals including players still in the room. */
  inputTotals(): { droppedInputs: number; starvedTicks: number } {
    return inputTotals(this.state);
  }

  /** Per-player queue depths, round trips and clock offsets: one pass over the players, per scrape. */
  clientFigures(): ClientFigures {
    return clientFigures(this.state);
  }

  /** Acknowledgement health: mean ack round trip, and clients more than a second behind in acks. */
  ackTotals(): { meanRttMs: number | null; clientsNotApplying: number } {
    return ackTotals(this.state);
  }

  /** Close every session with `code` (shutdown). */
  closeAll(code: CloseCode, reason: string): void {
    closeAll(this.state, code, reason);
  }
}
