// One client's session with a Tickwire server: handshake, input sending, snapshot receipt.
// Runs per received frame and per sent input; framework-free, shared by the browser and the bots.
import {
  ClientMessageId,
  type DebugState,
  DebugStateAssembler,
  decodeServerFrame,
  encodeClientMessage,
  eventTicksProblem,
  MAX_CHAT_LENGTH,
  MAX_SNAPSHOT_ENTITIES,
  newSnapshotHeaderState,
  type PlayersMessage,
  type Pong,
  PROTOCOL_VERSION,
  peekSnapshotTick,
  type RosterChangesMessage,
  type ServerChatMessage,
  ServerMessageId,
  SnapshotDecoder,
  type SnapshotMessage,
  type WelcomeMessage,
  type WorldBounds,
  WorldState,
} from '@tickwire/protocol';
import { AckSchedule } from './ackSchedule.js';
import { payloadBytes, SOCKET_OPEN, type SocketCloseEvent, type SocketLike } from './socketLike.js';

export type ConnectionState = 'connecting' | 'handshaking' | 'playing' | 'closed';

export interface ConnectionEvents {
  /** The server accepted the HELLO. `nowMs` is the caller's clock at receipt. */
  onWelcome?(welcome: WelcomeMessage, nowMs: number): void;
  /** A snapshot arrived and was applied: `world` is the server's state at `snapshot.tick`. */
  onSnapshot?(snapshot: SnapshotMessage, world: WorldState, nowMs: number): void;
  /** decodeSnapshots 'header' only: a SNAPSHOT for `tick` arrived; its body was not decoded. */
  onSnapshotHeader?(tick: number, nowMs: number): void;
  /** A snapshot carried the answer to one of this client's PINGs (for clock sync). */
  onPong?(pong: Pong, nowMs: number): void;
  /** The server answered requestDebugState() (only servers run with --debug-state do): all its pages, assembled. */
  onDebugState?(state: DebugState, nowMs: number): void;
  /** One page of the whole roster (PLAYERS), after WELCOME. */
  onPlayersMessage?(message: PlayersMessage, nowMs: number): void;
  /** What changed in the roster since the version before (ROSTER_CHANGES). */
  onRosterChangesMessage?(message: RosterChangesMessage, nowMs: number): void;
  /** A chat line (server CHAT): fromId 0 is a notice from the server. Text, never markup. */
  onChatMessage?(message: ServerChatMessage, nowMs: number): void;
  /** The socket closed; `code` is from PROTOCOL.md's close code table (1006: no close frame). */
  onClose?(event: SocketCloseEvent, nowMs: number): void;
  /** The server sent a frame this client could not decode; the connection is closed after it. */
  onProtocolError?(reason: string, nowMs: number): void;
}

export interface ConnectionOptions extends ConnectionEvents {
  name: string;
  /** The seat POST /matchmake issued for the room this socket names (sent in HELLO). */
  seat: string;
  /**
   * The resume token of the latest WELCOME, to take a player back after a drop (sent in HELLO; the
   * server then ignores the seat). '' or absent: a new player. @default ''
   */
  resumeToken?: string;
  /** Counters to add to (a resumed connection keeps counting where the dropped one stopped). @default fresh ones */
  stats?: ConnectionStats;
  /** The clock every event is stamped with, in milliseconds. Tests pass a fake one. */
  now: () => number;
  /**
   * 'full' decodes, validates and applies every snapshot. 'header' reads only each snapshot's tick
   * (to acknowledge it) and leaves the body undecoded: pure load whose own CPU does not grow with
   * the server's payload (bots with --load-only). No world, prediction or pongs then. @default 'full'
   */
  decodeSnapshots?: 'full' | 'header';
}

/** Counters a caller may read at any time; all cumulative since the socket was created. */
/** Counters at zero: a connection's own, or a client's over all its connections. */
export function emptyConnectionStats(): ConnectionStats {
  return {
    bytesReceived: 0,
    messagesReceived: 0,
    bytesSent: 0,
    messagesSent: 0,
    snapshotBytesReceived: 0,
    snapshotsApplied: 0,
    fullSnapshots: 0,
  };
}

export interface ConnectionStats {
  /** WebSocket message payload bytes received (no framing). */
  bytesReceived: number;
  messagesReceived: number;
  bytesSent: number;
  messagesSent: number;
  /** The part of bytesReceived that was SNAPSHOT messages: what a server's byte budget limits. */
  snapshotBytesReceived: number;
  /** Snapshots applied (with decodeSnapshots 'header': received and acknowledged). */
  snapshotsApplied: number;
  /** Snapshots that carried the whole world (baseAge 0): the first, and any after a lost baseline. */
  fullSnapshots: number;
}

export class Connection {
  state: ConnectionState = 'connecting';
  welcome: WelcomeMessage | undefined;
  /** The newest snapshot applied, undefined before the first (and always, when decoding headers only). */
  latestSnapshot: SnapshotMessage | undefined;
  /** Tick of the newest snapshot received: what inputs acknowledge; 0 before the first. */
  latestTick = 0;
  /** The world as of the newest snapshot applied (empty before the first). Replaced, not mutated, per snapshot. */
  world: WorldState = new WorldState(0, 0);
  /** The buffer the next snapshot is decoded into; swapped with `world` after each. */
  private spare: WorldState = new WorldState(0, 0);
  /** The world's edges in position quanta (WELCOME's size × positionScale); 0 × 0 before WELCOME. */
  bounds: WorldBounds = { maxX: 0, maxY: 0 };
  private decoder: SnapshotDecoder | undefined;
  /** What this connection's SNAPSHOT headers left: each header sends only what changed (PROTOCOL.md). */
  private readonly snapshotHeader = newSnapshotHeaderState();
  private hasWorld = false;
  /** DEBUG_STATE pages of a reply still arriving. */
  private readonly debugPages = new DebugStateAssembler();
  readonly stats: ConnectionStats;
  /** The caller's clock when the socket opened or last delivered a frame (for a silence timeout). */
  lastFrameMs: number;
  private nextSeq = 1;
  private nextPingId = 1;
  /** When to ACK: at least every 250 ms while snapshots arrive, unless an INPUT carried the ack; from WELCOME on. */
  private acks: AckSchedule | undefined;

  constructor(
    private readonly socket: SocketLike,
    private readonly options: ConnectionOptions,
  ) {
    this.stats = options.stats ?? emptyConnectionStats();
    this.lastFrameMs = options.now();
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.handleOpen();
    socket.onmessage = (event) => this.handleMessage(event.data);
    socket.onclose = (event) => this.handleClose(event);
    socket.onerror = () => {
      // The close event that always follows carries the code; nothing to add here.
    };
    if (socket.readyState === SOCKET_OPEN) this.handleOpen();
  }

  /** The seq the next input will carry. */
  get nextInputSeq(): number {
    return this.nextSeq;
  }

  /**
   * Send one input (see PROTOCOL.md, INPUT). Returns its seq, or 0 when not yet playing
   * (inputs before WELCOME would be a protocol error, so they are not sent). `aimAngle` must be in
   * [-π, π] and `viewTick` ≥ 0 (NetClient.sendInput makes them so).
   */
  sendInput(moveX: number, moveY: number, buttons = 0, tick = 0, aimAngle = 0, viewTick = 0): number {
    if (this.state !== 'playing' || this.socket.readyState !== SOCKET_OPEN) return 0;
    const seq = this.nextSeq++;
    this.acks?.sent(this.latestTick, this.options.now());
    this.send(
      encodeClientMessage({
        id: ClientMessageId.INPUT,
        seq,
        ackTick: this.latestTick,
        tick,
        moveX,
        moveY,
        buttons,
        aimAngle,
        viewTick,
      }),
    );
    return seq;
  }

  /**
   * Send a chat line (PROTOCOL.md, CHAT), cut to MAX_CHAT_LENGTH UTF-16 code units without splitting
   * a character. False when not playing or the line is empty.
   */
  sendChat(text: string): boolean {
    if (this.state !== 'playing' || this.socket.readyState !== SOCKET_OPEN || text.length === 0) return false;
    let line = text.slice(0, MAX_CHAT_LENGTH);
    // A high surrogate cut from its low one would be half a character.
    const last = line.charCodeAt(line.length - 1);
    if (text.length > MAX_CHAT_LENGTH && last >= 0xd800 && last <= 0xdbff) line = line.slice(0, -1);
    this.send(encodeClientMessage({ id: ClientMessageId.CHAT, text: line }));
    return true;
  }

  /** Send a PING stamped with `nowMs`; its pong arrives in a later snapshot (onPong). Returns its id. */
  sendPing(nowMs: number): number {
    if (this.state !== 'playing' || this.socket.readyState !== SOCKET_OPEN) return 0;
    const pingId = this.nextPingId++;
    this.send(encodeClientMessage({ id: ClientMessageId.PING, pingId, clientTimeMs: Math.max(0, nowMs) }));
    return pingId;
  }

  /** Ask the server to move this player by (dx, dy) quanta (a debug aid; refused unless allowed). */
  requestNudge(dx: number, dy: number): void {
    if (this.state !== 'playing' || this.socket.readyState !== SOCKET_OPEN) return;
    this.send(encodeClientMessage({ id: ClientMessageId.DEBUG_NUDGE, dx, dy }));
  }

  /** Ask for the server's authoritative state (a debug aid; refused unless the server allows it). */
  requestDebugState(): void {
    if (this.state !== 'playing' || this.socket.readyState !== SOCKET_OPEN) return;
    this.send(encodeClientMessage({ id: ClientMessageId.DEBUG_STATE_REQUEST }));
  }

  close(code = 1000, reason = ''): void {
    if (this.state === 'closed') return;
    this.socket.close(code, reason);
  }

  /**
   * Give this connection up without a leave: its socket's events are no longer heard (onClose is not
   * called), and the socket is closed without a code, which the server sees as 1005, not as a
   * consented 1000 (PROTOCOL.md, Reconnecting). For a link gone silent, whose close may never come.
   */
  abandon(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.socket.onopen = null;
    this.socket.onmessage = null;
    this.socket.onclose = null;
    this.socket.onerror = null;
    try {
      this.socket.close();
    } catch {
      // A socket still connecting may throw on close in some implementations: it is dropped anyway.
    }
  }

  private handleOpen(): void {
    if (this.state !== 'connecting') return;
    this.state = 'handshaking';
    this.lastFrameMs = this.options.now();
    const resumeToken = this.options.resumeToken ?? '';
    this.send(
      encodeClientMessage({
        id: ClientMessageId.HELLO,
        protocolVersion: PROTOCOL_VERSION,
        name: this.options.name,
        seat: this.options.seat,
        // Left out for a new player: the 4-element HELLO of a client that never resumes.
        ...(resumeToken === '' ? {} : { resumeToken }),
      }),
    );
  }

  private handleMessage(data: unknown): void {
    const now = this.options.now();
    this.lastFrameMs = now;
    const bytes = payloadBytes(data);
    if (bytes === undefined) return this.failProtocol('text frame from server', now);
    this.stats.bytesReceived += bytes.byteLength;
    this.stats.messagesReceived++;
    if (this.options.decodeSnapshots === 'header' && this.state === 'playing') {
      const tick = peekSnapshotTick(bytes, this.snapshotHeader.tick);
      if (tick !== undefined) {
        this.stats.snapshotBytesReceived += bytes.byteLength;
        return this.acknowledgeHeader(tick, now);
      }
    }
    const decoded = decodeServerFrame(bytes, this.snapshotHeader);
    if (!decoded.ok) return this.failProtocol(decoded.reason, now);
    const message = decoded.message;
    switch (message.id) {
      case ServerMessageId.WELCOME:
        if (this.state !== 'handshaking') return this.failProtocol('WELCOME twice', now);
        this.welcome = message;
        this.startWorld(message);
        this.state = 'playing';
        this.options.onWelcome?.(message, now);
        return;
      case ServerMessageId.SNAPSHOT:
        if (this.state !== 'playing') return this.failProtocol('SNAPSHOT before WELCOME', now);
        this.stats.snapshotBytesReceived += bytes.byteLength;
        return this.applySnapshot(message, now);
      case ServerMessageId.DEBUG_STATE: {
        if (this.state !== 'playing') return this.failProtocol('DEBUG_STATE before WELCOME', now);
        const page = this.debugPages.add(message);
        if (!page.ok) return this.failProtocol(page.reason, now);
        if (page.state) this.options.onDebugState?.(page.state, now);
        return;
      }
      case ServerMessageId.PLAYERS:
        if (this.state !== 'playing') return this.failProtocol('PLAYERS before WELCOME', now);
        this.options.onPlayersMessage?.(message, now);
        return;
      case ServerMessageId.ROSTER_CHANGES:
        if (this.state !== 'playing') return this.failProtocol('ROSTER_CHANGES before WELCOME', now);
        this.options.onRosterChangesMessage?.(message, now);
        return;
      case ServerMessageId.CHAT:
        if (this.state !== 'playing') return this.failProtocol('CHAT before WELCOME', now);
        this.options.onChatMessage?.(message, now);
        return;
    }
  }

  private startWorld(welcome: WelcomeMessage): void {
    this.acks = new AckSchedule(welcome.tickRate);
    const capacity = Math.min(MAX_SNAPSHOT_ENTITIES, welcome.maxEntityId + 1);
    this.world = new WorldState(capacity, welcome.maxEntityId);
    this.spare = new WorldState(capacity, welcome.maxEntityId);
    this.bounds = {
      maxX: welcome.worldWidth * welcome.positionScale,
      maxY: welcome.worldHeight * welcome.positionScale,
    };
    this.decoder = new SnapshotDecoder(welcome.maxEntityId, this.bounds);
  }

  /**
   * Entities of `world` a byte budget left as the server last sent them (PROTOCOL.md, Deferred
   * entities): 0 before the first snapshot and in 'header' mode, which keeps no world.
   */
  get deferredCount(): number {
    return this.decoder?.deferredCount ?? 0;
  }

  /** The tick of the state entity `id` holds while deferred, 0 when it is up to date (SnapshotDecoder.deferredSince). */
  deferredSince(id: number): number {
    return this.decoder?.deferredSince(id) ?? 0;
  }

  /** Baseline (the world as of the last snapshot) + delta → the world at this snapshot's tick. */
  private applySnapshot(snapshot: SnapshotMessage, now: number): void {
    const result = this.decoder!.apply(this.hasWorld ? this.world : undefined, snapshot, this.spare);
    if (!result.ok) return this.failProtocol(`snapshot ${snapshot.tick}: ${result.reason}`, now);
    const events = eventTicksProblem(snapshot);
    if (events !== undefined) return this.failProtocol(`snapshot ${snapshot.tick}: ${events}`, now);
    [this.world, this.spare] = [this.spare, this.world];
    this.hasWorld = true;
    this.latestSnapshot = snapshot;
    this.latestTick = snapshot.tick;
    this.stats.snapshotsApplied++;
    if (snapshot.baseAge === 0) this.stats.fullSnapshots++;
    this.acknowledge(now);
    const pong = snapshot.pong[0];
    if (pong !== undefined) this.options.onPong?.(pong, now);
    this.options.onSnapshot?.(snapshot, this.world, now);
  }

  /** decodeSnapshots 'header': the tick is all that is read, for the next input's ack. */
  private acknowledgeHeader(tick: number, now: number): void {
    if (tick <= this.latestTick) return this.failProtocol(`snapshot tick ${tick} not after ${this.latestTick}`, now);
    this.latestTick = tick;
    // A delta's tick is the held one plus its baseAge: the next peek starts from this one.
    this.snapshotHeader.tick = tick;
    this.stats.snapshotsApplied++;
    this.acknowledge(now);
    this.options.onSnapshotHeader?.(tick, now);
  }

  /**
   * After each snapshot, in the socket's message handler: an ACK of it when no INPUT or ACK has
   * carried a newer ack for 250 ms, or for 250 ms of server ticks (AckSchedule). The server skips, then closes (4009), a client whose acks lag,
   * and a hidden browser tab sends no INPUT: its frame loop stops, but its messages still arrive.
   */
  private acknowledge(now: number): void {
    const acks = this.acks;
    if (acks === undefined || !acks.due(this.latestTick, now) || this.socket.readyState !== SOCKET_OPEN) return;
    acks.sent(this.latestTick, now);
    this.send(encodeClientMessage({ id: ClientMessageId.ACK, ackTick: this.latestTick }));
  }

  private handleClose(event: SocketCloseEvent): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.options.onClose?.({ code: event.code, reason: event.reason }, this.options.now());
  }

  /**
   * A frame that breaks the protocol, found here or by the caller (a roster out of step): report it,
   * close 1002.
   */
  failProtocol(reason: string, now: number): void {
    this.options.onProtocolError?.(reason, now);
    this.close(1002, 'protocol error');
  }

  private send(bytes: Uint8Array): void {
    this.stats.bytesSent += bytes.byteLength;
    this.stats.messagesSent++;
    // The codec's output is always backed by a plain ArrayBuffer (never shared memory).
    this.socket.send(bytes as Uint8Array<ArrayBuffer>);
  }
}
