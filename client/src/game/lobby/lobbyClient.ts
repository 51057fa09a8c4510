// The page's live copy of the public room list: one /lobby WebSocket, a LobbyMirror fed by its text
// frames, "resync" when a numbered change was missed, and reconnection with backoff when the socket
// drops. Opened once per visit to the join screen; receive() runs once per lobby message. The socket
// and the timer are passed in, so tests drive both.
import { LOBBY_RESYNC, LobbyMirror, type LobbyRoom, parseLobbyMessage } from '@tickwire/protocol';

/** The part of a WebSocket the lobby uses: text frames only. The browser's WebSocket fits. */
export interface TextSocketLike {
  readonly readyState: number;
  send(text: string): void;
  close(code?: number, reason?: string): void;
  onmessage: { handle(event: { data: unknown }): void }['handle'] | null;
  onclose: { handle(event: unknown): void }['handle'] | null;
  onerror: { handle(event: unknown): void }['handle'] | null;
}

/** Run `fn` after `ms`; returns a function that cancels it. */
export type Schedule = (fn: () => void, ms: number) => () => void;

/** stopped: not wanted (the page is in a game); connecting: first socket; live: the list is current; reconnecting: the socket dropped, a retry is due. */
export type LobbyStatus = 'stopped' | 'connecting' | 'live' | 'reconnecting';

/**
 * Delay before reconnecting, doubling per failed attempt up to the maximum, and back to the first
 * once a full list arrives. @default 500 ms, at most 8000 ms
 */
export const FIRST_RETRY_MS = 500;
export const MAX_RETRY_MS = 8000;

const OPEN = 1;

export interface LobbyClientOptions {
  /** ws(s)://host/lobby */
  url: string;
  open(url: string): TextSocketLike;
  schedule: Schedule;
  /** The status or the list changed. */
  onChange(): void;
}

export class LobbyClient {
  readonly mirror = new LobbyMirror();
  status: LobbyStatus = 'stopped';
  /** Counted for the test hook and the console: frames that were not lobby messages, resyncs asked, sockets opened. */
  readonly counts = { badFrames: 0, resyncs: 0, sockets: 0 };
  /** The delay of the next reconnection, ms. */
  retryMs = FIRST_RETRY_MS;
  private socket: TextSocketLike | undefined;
  private cancelRetry: (() => void) | undefined;
  /** A "resync" is out: later change messages cannot apply until the full list comes, so do not ask again. */
  private resyncAsked = false;

  constructor(private readonly options: LobbyClientOptions) {}

  /** Public rooms as last told, oldest first (GET /rooms order); kept while reconnecting. */
  get rooms(): LobbyRoom[] {
    return [...this.mirror.rooms.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  start(): void {
    if (this.status !== 'stopped') return;
    this.connect('connecting');
  }

  /** Close the socket and cancel any retry; the list stays as it was. */
  stop(): void {
    this.status = 'stopped';
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) {
      socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000, 'left the lobby');
    }
  }

  private connect(status: 'connecting' | 'reconnecting'): void {
    this.cancelRetry = undefined;
    this.resyncAsked = false;
    this.setStatus(status);
    this.counts.sockets++;
    let socket: TextSocketLike;
    try {
      socket = this.options.open(this.options.url);
    } catch {
      // A URL the browser refuses outright: retry like a dropped socket.
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onmessage = (event) => this.receive(event.data);
    // An error is always followed by a close; the close retries.
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.retry();
    };
  }

  private retry(): void {
    this.setStatus('reconnecting');
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.cancelRetry = this.options.schedule(() => this.connect('reconnecting'), delay);
  }

  /** One text frame from the lobby socket. */
  receive(data: unknown): void {
    const message = parseLobbyMessage(data);
    if (message === undefined) {
      this.counts.badFrames++;
      this.askResync();
      return;
    }
    if (this.mirror.apply(message) === 'resync') {
      this.askResync();
      return;
    }
    if (message.type === 'rooms') {
      this.resyncAsked = false;
      this.retryMs = FIRST_RETRY_MS;
      this.status = 'live';
    }
    this.options.onChange();
  }

  private askResync(): void {
    if (this.resyncAsked || this.socket === undefined || this.socket.readyState !== OPEN) return;
    this.resyncAsked = true;
    this.counts.resyncs++;
    this.socket.send(LOBBY_RESYNC);
  }

  private setStatus(status: LobbyStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onChange();
  }
}
