// An honest player for integration tests: the client's own Connection over the bots' ws socket,
// sending inputs on a timer like a real client. One per simulated player; runs per snapshot and per input.
import type { SnapshotMessage, WelcomeMessage } from '@tickwire/protocol';
import { openWsSocket } from '../../client/src/bot/wsSocket.js';
import { Connection } from '../../client/src/net/index.js';
import { EventLog, withTimeout } from './events.js';
import { type CloseInfo, EVENT_TIMEOUT_MS, type SnapshotArrival } from './testClient.js';

/** A real client sends one input per rendered frame; the arena bots send one every 33 ms. */
export const INPUT_INTERVAL_MS = 33;

export class Player {
  readonly connection: Connection;
  readonly snapshots = new EventLog<SnapshotArrival>();
  readonly welcomed: Promise<WelcomeMessage>;
  readonly closed: Promise<CloseInfo>;
  closeInfo: CloseInfo | undefined;
  /** Server frames the client's decoder refused (a server bug if ever non-empty). */
  readonly protocolErrors: string[] = [];
  /** seq of the newest input sent, 0 before the first. */
  lastSentSeq = 0;
  private inputTimer: NodeJS.Timeout | undefined;

  constructor(url: string, name: string) {
    let welcomed!: (welcome: WelcomeMessage) => void;
    let closed!: (info: CloseInfo) => void;
    this.welcomed = new Promise((resolve) => {
      welcomed = resolve;
    });
    this.closed = new Promise((resolve) => {
      closed = resolve;
    });
    this.connection = new Connection(openWsSocket(url), {
      name,
      now: () => performance.now(),
      onWelcome: (welcome) => welcomed(welcome),
      onSnapshot: (snapshot, nowMs) => this.snapshots.push({ snapshot, atMs: nowMs }),
      onProtocolError: (reason) => this.protocolErrors.push(reason),
      onClose: (event) => {
        this.stopInputs();
        this.closeInfo = { code: event.code, reason: event.reason };
        this.snapshots.end(`player ${name} closed with ${event.code}`);
        closed(this.closeInfo);
      },
    });
  }

  /** Connect, say HELLO, and wait for WELCOME. */
  static async join(url: string, name: string): Promise<Player> {
    const player = new Player(url, name);
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

  /** The next snapshot to arrive (after this call) that matches `predicate`. */
  async nextSnapshot(
    predicate: (snapshot: SnapshotMessage) => boolean = () => true,
    timeoutMs = EVENT_TIMEOUT_MS,
    what = 'the next snapshot',
  ): Promise<SnapshotMessage> {
    return (await this.snapshots.next(what, timeoutMs, (arrival) => predicate(arrival.snapshot))).snapshot;
  }

  /** Stop sending, close with 1000 and wait for the close to complete. */
  async close(): Promise<CloseInfo> {
    this.stopInputs();
    this.connection.close(1000, 'test done');
    return withTimeout(this.closed, EVENT_TIMEOUT_MS, 'the player to close');
  }
}
