// A raw WebSocket client for integration tests: opens a room's socket with a seat (seats.ts), sends
// any bytes or text, decodes every server frame with the protocol's decoder, applies every snapshot
// to its own copy of the world and every roster frame to its own roster, and records it all. One per
// test socket; its handlers run per frame.
import {
  ClientMessageId,
  type DebugState,
  DebugStateAssembler,
  decodeServerFrame,
  encodeClientMessage,
  type InputMessage,
  newSnapshotHeaderState,
  PROTOCOL_VERSION,
  RosterBook,
  type ServerMessage,
  ServerMessageId,
  type SnapshotMessage,
  type WelcomeMessage,
} from '@tickwire/protocol';
import { type ClientOptions, WebSocket } from 'ws';
import { AckSchedule } from '../../client/src/net/ackSchedule.js';
import { EventLog, withTimeout } from './events.js';
import type { Ticket } from './seats.js';
import { type WorldObject, WorldTracker } from './world.js';

/** Default deadline of a wait for one event (a welcome, a snapshot, a close). @default 5000 ms */
export const EVENT_TIMEOUT_MS = 5000;

export interface CloseInfo {
  /** The close code received, 1006 when the connection ended without a close frame. */
  code: number;
  reason: string;
}

/** A snapshot, the world after applying it, and when it arrived (performance.now() of the test process). */
export interface SnapshotArrival {
  snapshot: SnapshotMessage;
  /** The client's reconstructed world at `snapshot.tick` (baseline + this delta), as a copy. */
  world: WorldObject;
  /** Payload bytes of the SNAPSHOT frame. */
  bytes: number;
  atMs: number;
}

/** A DEBUG_STATE reply and what the client held when it arrived, for comparing the two. */
export interface DebugStateArrival {
  /** The whole reply, its pages assembled. */
  message: DebugState;
  /** Tick of the newest snapshot the client had applied when the reply arrived (0 for none). */
  appliedTick: number;
  /** The client's reconstructed world at `appliedTick`, as a copy. */
  world: WorldObject;
  /** The ids of `world` held deferred by a byte budget (their state is older); known to the raw TestClient only. */
  deferred?: number[];
  atMs: number;
}

/** Where a test socket goes: a room's socket URL and the seat its HELLO carries (a Ticket, or one made up). */
export type Door = Pick<Ticket, 'wsUrl' | 'seat'>;

export class TestClient {
  readonly ws: WebSocket;
  /** The seat hello() sends unless told otherwise. */
  readonly seat: string;
  /** Every decoded server message, in order. */
  readonly messages = new EventLog<ServerMessage>();
  readonly snapshots = new EventLog<SnapshotArrival>();
  readonly debugStates = new EventLog<DebugStateArrival>();
  /** DEBUG_STATE pages of a reply still arriving. */
  private readonly debugPages = new DebugStateAssembler();
  /** Frames the decoder refused, and snapshots that did not apply to the world (a server bug if ever non-empty). */
  readonly undecodable: string[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<CloseInfo>;
  closeInfo: CloseInfo | undefined;
  welcome: WelcomeMessage | undefined;
  /** Applies every snapshot; its `world` is the newest one applied. Undefined before WELCOME. */
  tracker: WorldTracker | undefined;
  /** The roster: PLAYERS pages, then every ROSTER_CHANGES applied (problems go to `undecodable`). */
  readonly roster = new RosterBook();
  /** Payload bytes of the roster frames received (PLAYERS and ROSTER_CHANGES). */
  rosterBytes = 0;
  /**
   * Acknowledge from the message handler, on the net client's schedule (AckSchedule): a player that
   * never acks is skipped after two seconds and closed with 4009. A test that wants a client silent
   * (heartbeat tests) turns this off.
   */
  autoAck = true;
  private nextSeq = 1;
  /** What this connection's SNAPSHOT headers left (PROTOCOL.md, SNAPSHOT header). */
  private readonly snapshotHeader = newSnapshotHeaderState();
  /** Created at WELCOME (it needs the tick rate). */
  private acks: AckSchedule | undefined;

  constructor(door: Door, options: ClientOptions = {}) {
    this.seat = door.seat;
    this.ws = new WebSocket(door.wsUrl, { perMessageDeflate: false, ...options });
    this.ws.binaryType = 'nodebuffer';
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_request, response) => {
        reject(new Error(`upgrade refused with HTTP ${response.statusCode}`));
        this.ws.terminate();
      });
      this.ws.once('close', (code) => reject(new Error(`socket closed (${code}) before it opened`)));
    });
    // A refused upgrade is asserted through `opened` or tryUpgrade(); never leave it unhandled.
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString('utf8') };
        this.messages.end(`socket closed with ${code}`);
        this.snapshots.end(`socket closed with ${code}`);
        this.debugStates.end(`socket closed with ${code}`);
        resolve(this.closeInfo);
      });
    });
    // ws emits 'error' before 'close' on a reset connection; the close code tells the story.
    this.ws.on('error', () => {});
    this.ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
  }

  /** Open a room's socket and wait until the upgrade completed. */
  static async connect(door: Door, options: ClientOptions = {}): Promise<TestClient> {
    const client = new TestClient(door, options);
    await withTimeout(client.opened, EVENT_TIMEOUT_MS, `socket to ${door.wsUrl} to open`);
    return client;
  }

  /** Open, send HELLO with the door's seat and wait for WELCOME. */
  static async join(door: Door, name: string, options: ClientOptions = {}): Promise<TestClient> {
    const client = await TestClient.connect(door, options);
    client.hello(name);
    await client.waitWelcome();
    return client;
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.undecodable.push(`text frame: ${data.toString('utf8').slice(0, 80)}`);
      return;
    }
    const decoded = decodeServerFrame(data, this.snapshotHeader);
    if (!decoded.ok) {
      this.undecodable.push(decoded.reason);
      return;
    }
    const message = decoded.message;
    const atMs = performance.now();
    if (message.id === ServerMessageId.WELCOME) {
      this.welcome = message;
      this.tracker = new WorldTracker(message);
      this.acks = new AckSchedule(message.tickRate);
    }
    this.messages.push(message);
    if (message.id === ServerMessageId.PLAYERS || message.id === ServerMessageId.ROSTER_CHANGES) {
      this.rosterBytes += data.byteLength;
      const problem =
        message.id === ServerMessageId.PLAYERS ? this.roster.applyPage(message) : this.roster.applyChanges(message);
      if (problem !== undefined) this.undecodable.push(problem);
    } else if (message.id === ServerMessageId.SNAPSHOT) {
      const applied = this.tracker?.apply(message) ?? { ok: false, reason: 'before WELCOME' };
      if (!applied.ok) {
        this.undecodable.push(`snapshot ${message.tick}: ${applied.reason}`);
        return;
      }
      this.snapshots.push({ snapshot: message, world: this.tracker!.world.toObject(), bytes: data.byteLength, atMs });
      if (this.autoAck && this.acks?.due(message.tick, atMs)) this.ack(message.tick);
    } else if (message.id === ServerMessageId.DEBUG_STATE) {
      const page = this.debugPages.add(message);
      if (!page.ok) {
        this.undecodable.push(page.reason);
        return;
      }
      if (!page.state) return;
      this.debugStates.push({
        message: page.state,
        appliedTick: this.snapshots.last?.snapshot.tick ?? 0,
        world: this.snapshots.last?.world ?? {},
        deferred: this.tracker?.deferredIds() ?? [],
        atMs,
      });
    }
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  sendBytes(bytes: Uint8Array | readonly number[]): void {
    this.ws.send(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), { binary: true });
  }

  sendText(text: string): void {
    this.ws.send(text, { binary: false });
  }

  /** HELLO; with a `resumeToken` (a WELCOME's), a resume: the seat may then be ''. */
  hello(name: string, protocolVersion = PROTOCOL_VERSION, seat = this.seat, resumeToken = ''): void {
    this.sendBytes(encodeClientMessage({ id: ClientMessageId.HELLO, protocolVersion, name, seat, resumeToken }));
  }

  /**
   * Send INPUT with the next seq (or `fields.seq`), ackTick of the newest snapshot, tick 0 (no
   * estimate), no buttons, aim 0 and no view unless given; returns the seq.
   */
  input(fields: Partial<Omit<InputMessage, 'id'>> = {}): number {
    const seq = fields.seq ?? this.nextSeq;
    this.nextSeq = seq + 1;
    const ackTick = fields.ackTick ?? this.snapshots.last?.snapshot.tick ?? 0;
    this.acks?.sent(ackTick, performance.now());
    this.sendBytes(
      encodeClientMessage({
        id: ClientMessageId.INPUT,
        seq,
        ackTick,
        tick: fields.tick ?? 0,
        moveX: fields.moveX ?? 0,
        moveY: fields.moveY ?? 0,
        buttons: fields.buttons ?? 0,
        aimAngle: fields.aimAngle ?? 0,
        viewTick: fields.viewTick ?? 0,
      }),
    );
    return seq;
  }

  /** Send ACK [7, ackTick], by default of the newest snapshot applied. */
  ack(ackTick = this.snapshots.last?.snapshot.tick ?? 0): void {
    this.acks?.sent(ackTick, performance.now());
    this.sendBytes(encodeClientMessage({ id: ClientMessageId.ACK, ackTick }));
  }

  /** Send CHAT [6, text]. */
  chat(text: string): void {
    this.sendBytes(encodeClientMessage({ id: ClientMessageId.CHAT, text }));
  }

  /** Send PING [4, pingId, clientTimeMs]; the pong rides in a later snapshot. */
  ping(pingId: number, clientTimeMs: number): void {
    this.sendBytes(encodeClientMessage({ id: ClientMessageId.PING, pingId, clientTimeMs }));
  }

  /** Send DEBUG_NUDGE [5, dx, dy] (applied only by a server run with --debug-state true). */
  nudge(dx: number, dy: number): void {
    this.sendBytes(encodeClientMessage({ id: ClientMessageId.DEBUG_NUDGE, dx, dy }));
  }

  /** Send DEBUG_STATE_REQUEST [3] (answered only by a server run with --debug-state true). */
  requestDebugState(): void {
    this.sendBytes(encodeClientMessage({ id: ClientMessageId.DEBUG_STATE_REQUEST }));
  }

  async waitWelcome(timeoutMs = EVENT_TIMEOUT_MS): Promise<WelcomeMessage> {
    const message = await this.messages.find('WELCOME', timeoutMs, (m) => m.id === ServerMessageId.WELCOME);
    return message as WelcomeMessage;
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

  waitClosed(timeoutMs = EVENT_TIMEOUT_MS): Promise<CloseInfo> {
    return withTimeout(this.closed, timeoutMs, 'the socket to close');
  }

  /** Close with 1000 and wait for the close to complete. */
  async close(): Promise<CloseInfo> {
    if (this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.terminate();
    } else if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.close(1000, 'test done');
    }
    return this.waitClosed();
  }
}

/** What an upgrade attempt ended in: opened, or refused with an HTTP status. */
export type UpgradeOutcome = { opened: true } | { opened: false; status: number };

/** Try a WebSocket upgrade with extra options (e.g. an Origin header) and close it again if it opened. */
export async function tryUpgrade(url: string, options: ClientOptions = {}): Promise<UpgradeOutcome> {
  const ws = new WebSocket(url, { perMessageDeflate: false, ...options });
  ws.on('error', () => {});
  const outcome = await withTimeout(
    new Promise<UpgradeOutcome>((resolve, reject) => {
      ws.once('open', () => resolve({ opened: true }));
      ws.once('unexpected-response', (_request, response) => {
        resolve({ opened: false, status: response.statusCode ?? 0 });
        response.resume();
      });
      ws.once('close', (code) => reject(new Error(`socket closed (${code}) with neither an upgrade nor a refusal`)));
    }),
    EVENT_TIMEOUT_MS,
    `upgrade of ${url}`,
  );
  if (outcome.opened) {
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close(1000);
    await withTimeout(closed, EVENT_TIMEOUT_MS, 'the upgraded socket to close');
  } else {
    ws.terminate();
  }
  return outcome;
}
