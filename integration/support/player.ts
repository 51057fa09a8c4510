// An honest player for integration tests: the client's own Connection (and its delta decoding) over
// the bots' ws socket, in the room of a seat from seats.ts, sending inputs on a timer like a real
// client. One per simulated player; runs per snapshot and per input.
import type { SnapshotMessage, WelcomeMessage } from '@tickwire/protocol';
import { openWsSocket } from '../../client/src/bot/wsSocket.js';
import { Connection } from '../../client/src/net/index.js';
import { EventLog, withTimeout } from './events.js';
import type { Ticket } from './seats.js';
import { type CloseInfo, type DebugStateArrival, EVENT_TIMEOUT_MS, type SnapshotArrival } from './testClient.js';
import type { WorldObject } from './world.js';

/** A real client sends one input per rendered frame; the arena bots send one every 33 ms. */
export const INPUT_INTERVAL_MS = 33;

export class Player {
  readonly connection: Connection;
  readonly snapshots = new EventLog<SnapshotArrival>();
  readonly debugStates = new EventLog<DebugStateArrival>();
  readonly welcomed: Promise<WelcomeMessage>;
  readonly closed: Promise<CloseInfo>;
  closeInfo: CloseInfo | undefined;
  /** Server frames the client's decoder refused (a server bug if ever non-empty). */
  readonly protocolErrors: string[] = [];
  /** seq of the newest input sent, 0 before the first. */
  lastSentSeq = 0;
  private inputTimer: NodeJS.Timeout | undefined;
  /** connection.stats.bytesReceived after the previous message, to size each snapshot frame. */
  private bytesSeen = 0;

  constructor(ticket: Ticket, name: string) {
    let welcomed!: (welcome: WelcomeMessage) => void;
    let closed!: (info: CloseInfo) => void;
    this.welcomed = new Promise((resolve) => {
      welcomed = resolve;
    });
    this.closed = new Promise((resolve) => {
      closed = resolve;
    });
    this.connection = new Connection(openWsSocket(ticket.wsUrl), {
      name,
      seat: ticket.seat,
      now: () => performance.now(),
      onWelcome: (welcome) => {
        this.bytesSeen = this.connection.stats.bytesReceived;
        welcomed(welcome);
      },
      // `world` is reused by the connection for a later snapshot: keep a copy.
      onSnapshot: (snapshot, world, nowMs) => {
        const bytes = this.connection.stats.bytesReceived - this.bytesSeen;
        this.bytesSeen = this.connection.stats.bytesReceived;
        this.snapshots.push({ snapshot, world: world.toObject(), bytes, atMs: nowMs });
      },
      onDebugState: (message, nowMs) => {
        this.bytesSeen = this.connection.stats.bytesReceived;
        this.debugStates.push({
          message,
          appliedTick: this.connection.latestSnapshot?.tick ?? 0,
          world: this.connection.world.toObject(),
          atMs: nowMs,
        });
      },
      onProtocolError: (reason) => this.protocolErrors.push(reason),
      onClose: (event) => {
        this.stopInputs();
        this.closeInfo = { code: event.code, reason: event.reason };
        this.snapshots.end(`player ${name} closed with ${event.code}`);
        this.debugStates.end(`player ${name} closed with ${event.code}`);
        closed(this.closeInfo);
      },
    });
  }

  /** Connect to the ticket's room, say HELLO with its seat, and wait for WELCOME. */
  static async join(ticket: Ticket, name: string): Promise<Player> {
    const player = new Player(ticket, name);
    await withTimeout(
      Promise.race([
        player.welcomed,
        player.closed.then((info) => Promise.reject(new Error(`${name} closed with ${info.code} before WELCOME`))),
      ]),
      EVENT_TIMEOUT_MS,
      `WELCOME for ${name}`,
    );
    return player;
  }

  get playerId(): number {
    return this.connection.welcome?.playerId ?? 0;
  }

  /** Send one input now; returns its seq. */
  send(moveX: number, moveY: number): number {
    const seq = this.connection.sendInput(moveX, moveY);
    if (seq > 0) this.lastSentSeq = seq;
    return seq;
  }

  /** Send (moveX, moveY) every INPUT_INTERVAL_MS from now until stopInputs() or the close. */
  startInputs(moveX: number, moveY: number): void {
    this.stopInputs();
    this.send(moveX, moveY);
    this.inputTimer = setInterval(() => this.send(moveX, moveY), INPUT_INTERVAL_MS);
  }

  stopInputs(): void {
    clearInterval(this.inputTimer);
    this.inputTimer = undefined;
  }

  /** The next snapshot to arrive (after this call) whose message and world match `predicate`. */
  async nextSnapshot(
    predicate: (snapshot: SnapshotMessage, world: WorldObject) => boolean = () => true,
    timeoutMs = EVENT_TIMEOUT_MS,
    what = 'the next snapshot',
  ): Promise<SnapshotMessage> {
    return (await this.snapshots.next(what, timeoutMs, (arrival) => predicate(arrival.snapshot, arrival.world)))
      .snapshot;
  }

  /** The world of the newest snapshot applied (empty before the first). */
  get world(): WorldObject {
    return this.snapshots.last?.world ?? {};
  }

  /** Send DEBUG_STATE_REQUEST and wait for the next DEBUG_STATE (a server run with --debug-state true answers). */
  requestDebugState(timeoutMs = EVENT_TIMEOUT_MS): Promise<DebugStateArrival> {
    const reply = this.debugStates.next('DEBUG_STATE', timeoutMs);
    this.connection.requestDebugState();
    return reply;
  }

  /** Stop sending, close with 1000 and wait for the close to complete. */
  async close(): Promise<CloseInfo> {
    this.stopInputs();
    this.connection.close(1000, 'test done');
    return withTimeout(this.closed, EVENT_TIMEOUT_MS, 'the player to close');
  }
}
