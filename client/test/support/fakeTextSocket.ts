// A text-frame socket and a manual timer for lobby tests: the test delivers the server's frames,
// drops the socket, and runs due timers itself. Per test.
import type { Schedule, TextSocketLike } from '../../src/game/lobby/lobbyClient.js';

export class FakeTextSocket implements TextSocketLike {
  readyState = 1;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: string[] = [];
  closedWith: number | undefined;

  constructor(readonly url: string) {}

  send(text: string): void {
    this.sent.push(text);
  }

  close(code = 1005): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  /** A server frame: an object is sent as its JSON text, a string as is. */
  deliver(message: object | string): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  /** The connection drops (the server went away, the network failed). */
  drop(): void {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({ code: 1006, reason: '' });
  }
}

/** A Schedule whose timers run only when the test advances the clock. */
export class ManualClock {
  now = 0;
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];

  readonly schedule: Schedule = (fn, ms) => {
    const timer = { at: this.now + ms, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };

  /** Timers waiting to run. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Move the clock forward by `ms`, running each timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.now = due.at;
      due.cancelled = true;
      due.fn();
    }
    this.now = until;
    this.timers = this.timers.filter((t) => !t.cancelled);
  }
}
