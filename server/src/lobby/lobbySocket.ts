// The /lobby WebSocket: pushes the public room list to viewers, whole on connect, then numbered
// changes at most one message per 250 ms (rooms/lobbyFeed.ts decides what and when). Runs per
// upgrade, per viewer frame, once per change message (one timer) and per heartbeat (every 30 s).
// PROTOCOL.md "Lobby".
//
//   roomAdded / roomRemoved / playersChanged ─► feed records ─► one timer at feed.dueAtMs()
//        └─► fires: feed.flush(now) ─► one JSON text, sent to every viewer ─► re-armed if still due
//
// A viewer only listens. It may send the text "resync" (answered with the whole list); anything
// else, a binary frame or more than 4 frames in a second closes it with 1008. Frames over 64
// bytes are closed by ws with 1009 before they reach this file.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, LOBBY_RESYNC, type LobbyRoom } from '@tickwire/protocol';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Refusals } from '../http/refusals.js';
import type { Logger } from '../log.js';
import { LobbyFeed } from '../rooms/lobbyFeed.js';
import { isOriginAllowed } from '../transport/originCheck.js';
import { refuseUpgrade, type UpgradeHandler } from '../transport/wsTransport.js';

/**
 * Viewers connected at once; more are refused with 503. Each address also counts its viewers against
 * --max-connections-per-ip, so filling this takes 128 addresses at the defaults. @default 2048
 */
export const MAX_LOBBY_VIEWERS = 2048;
/** How long close() waits for viewers to answer the close frame before cutting them off. @default 1000 ms */
const LOBBY_CLOSE_GRACE_MS = 1000;
/** Between two heartbeats; a viewer that has not answered the last ping by the next is dropped. @default 30 000 ms */
export const LOBBY_HEARTBEAT_MS = 30_000;
/** Largest frame a viewer may send ("resync" is 6 bytes); ws closes a larger one with 1009. @default 64 bytes */
export const LOBBY_MAX_FRAME_BYTES = 64;
/** Frames (messages, pings, pongs) a viewer may send within any one second before 1008. @default 4 */
export const LOBBY_MAX_FRAMES_PER_SECOND = 4;
/**
 * A viewer whose socket holds more unsent bytes than this misses change messages until it drains;
 * it then sees a gap in the numbers and asks for the list again, so nothing is lost for good.
 * @default 256 KiB
 */
const LOBBY_BACKLOG_BYTES = 256 * 1024;

export interface LobbyTimers {
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface LobbyEndpointDeps {
  /** --allowed-origins: the game socket's rule (transport/originCheck.ts). */
  allowedOrigins: readonly string[];
  log: Logger;
  /** Where upgrade refusals (403, 503) are counted, by status. */
  refusals?: Refusals;
  /** Ms, monotonic is fine: only spacing is measured. */
  now(): number;
  /** Real timers (unref'd) when absent; tests drive fake ones. */
  timers?: LobbyTimers;
  /** @default MAX_LOBBY_VIEWERS */
  maxViewers?: number;
}

interface Viewer {
  /** Answered the last ping (or sent anything) since the heartbeat before. */
  alive: boolean;
  /** When its last frames arrived, oldest first, at most LOBBY_MAX_FRAMES_PER_SECOND of them. */
  readonly frameTimes: number[];
}

const realTimers: LobbyTimers = {
  // Unref'd: a lobby with viewers must not keep a process alive that is otherwise done.
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class LobbyEndpoint {
  private readonly feed = new LobbyFeed();
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: LOBBY_MAX_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private readonly viewerSockets = new Map<WebSocket, Viewer>();
  private readonly timers: LobbyTimers;
  private readonly maxViewers: number;
  private flushTimer: unknown;
  private heartbeatTimer: unknown;
  /** The snapshot as sent, until the next change message makes it stale. */
  private snapshotText: string | undefined;
  private closed = false;

  constructor(private readonly deps: LobbyEndpointDeps) {
    this.timers = deps.timers ?? realTimers;
    this.maxViewers = deps.maxViewers ?? MAX_LOBBY_VIEWERS;
  }

  /** For the path /lobby, after the checks every upgrade passes (Host, per-address connections). */
  readonly upgrade: UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { allowedOrigins, log, refusals } = this.deps;
    if (!isOriginAllowed(req.headers.origin, req.headers.host, allowedOrigins)) {
      log.info('refused lobby origin', { origin: req.headers.origin });
      return refuseUpgrade(socket, 403, 'Forbidden', refusals);
    }
    if (this.closed || this.viewerSockets.size >= this.maxViewers) {
      return refuseUpgrade(socket, 503, 'Service Unavailable', refusals);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  };

  get viewers(): number {
    return this.viewerSockets.size;
  }

  roomAdded(room: LobbyRoom): void {
    this.feed.roomAdded(room);
    this.schedule();
  }

  roomRemoved(id: string): void {
    this.feed.roomRemoved(id);
    this.schedule();
  }

  playersChanged(id: string, players: number): void {
    this.feed.playersChanged(id, players);
    this.schedule();
  }

  /** The whole list from the cluster's directory (after Redis came back): viewers get the difference. */
  replaceAll(rooms: readonly LobbyRoom[]): void {
    this.feed.replaceAll(rooms);
    this.schedule();
  }

  /** Close every viewer with 1001 and stop both timers; later upgrades get 503. */
  close(): void {
    this.closed = true;
    this.stopTimer('flushTimer');
    this.stopTimer('heartbeatTimer');
    const viewers = [...this.viewerSockets.keys()];
    for (const ws of viewers) ws.close(CloseCode.SERVER_SHUTDOWN, 'server shutting down');
    // A viewer that does not answer the close frame is cut off after the grace, as game sockets are.
    setTimeout(() => {
      for (const ws of viewers) ws.terminate();
    }, LOBBY_CLOSE_GRACE_MS).unref();
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    const viewer: Viewer = { alive: true, frameTimes: [] };
    this.viewerSockets.set(ws, viewer);
    if (this.heartbeatTimer === undefined) this.armHeartbeat();
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(ws, viewer, data, isBinary));
    ws.on('ping', () => this.charge(ws, viewer));
    // Only an answered ping proves the viewer reads: a viewer that just sends frames is not alive.
    ws.on('pong', () => {
      if (this.charge(ws, viewer)) viewer.alive = true;
    });
    ws.on('close', () => {
      this.viewerSockets.delete(ws);
      if (this.viewerSockets.size === 0) this.stopTimer('heartbeatTimer');
    });
    // ws closes the socket itself after a protocol error (1009 oversized, 1007, 1002).
    ws.on('error', () => {});
    ws.send(this.snapshot());
  }

  private onMessage(ws: WebSocket, viewer: Viewer, data: RawData, isBinary: boolean): void {
    if (!this.charge(ws, viewer)) return;
    if (!isBinary && (data as Buffer).toString() === LOBBY_RESYNC) {
      // A viewer that asks for lists faster than it reads them gets none until it has read them.
      if (ws.bufferedAmount <= LOBBY_BACKLOG_BYTES) ws.send(this.snapshot());
      return;
    }
    ws.close(CloseCode.POLICY_VIOLATION, `the lobby takes only the text "${LOBBY_RESYNC}"`);
  }

  /** Count a frame from `viewer`: false (and the viewer closed) when it is one too many for a second. */
  private charge(ws: WebSocket, viewer: Viewer): boolean {
    if (ws.readyState !== ws.OPEN) return false;
    const nowMs = this.deps.now();
    const times = viewer.frameTimes;
    if (times.length === LOBBY_MAX_FRAMES_PER_SECOND && nowMs - times[0]! < 1000) {
      ws.close(CloseCode.POLICY_VIOLATION, `more than ${LOBBY_MAX_FRAMES_PER_SECOND} frames in a second`);
      return false;
    }
    times.push(nowMs);
    if (times.length > LOBBY_MAX_FRAMES_PER_SECOND) times.shift();
    return true;
  }

  private snapshot(): string {
    this.snapshotText ??= JSON.stringify(this.feed.snapshot());
    return this.snapshotText;
  }

  /** Aim the one flush timer at the feed's due time, unless it is already armed or nothing waits. */
  private schedule(): void {
    if (this.flushTimer !== undefined || this.closed) return;
    const due = this.feed.dueAtMs();
    if (due === undefined) return;
    this.flushTimer = this.timers.setTimer(() => this.flush(), Math.max(0, due - this.deps.now()));
  }

  private flush(): void {
    this.flushTimer = undefined;
    const message = this.feed.flush(this.deps.now());
    if (message !== undefined) {
      this.snapshotText = undefined;
      const text = JSON.stringify(message);
      for (const ws of this.viewerSockets.keys()) {
        if (ws.readyState === ws.OPEN && ws.bufferedAmount <= LOBBY_BACKLOG_BYTES) ws.send(text);
      }
    }
    // A timer that fired a little early finds the message not yet due: aim again.
    this.schedule();
  }

  private armHeartbeat(): void {
    this.heartbeatTimer = this.timers.setTimer(() => {
      for (const [ws, viewer] of this.viewerSockets) {
        if (!viewer.alive) {
          this.deps.log.info('lobby heartbeat timeout');
          ws.terminate();
          continue;
        }
        viewer.alive = false;
        ws.ping();
      }
      this.armHeartbeat();
    }, LOBBY_HEARTBEAT_MS);
  }

  private stopTimer(which: 'flushTimer' | 'heartbeatTimer'): void {
    if (this[which] === undefined) return;
    this.timers.clearTimer(this[which]);
    this[which] = undefined;
  }
}
