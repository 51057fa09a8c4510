// Notes when each server frame comes off the real socket, before a simulated link delays it, so a
// test knows every frame's simulated one-way age exactly. Created once per client; runs per frame.
import type { SocketCloseEvent, SocketLike, SocketMessageEvent } from '../../client/src/net/socketLike.js';

type Handler<E> = ((event: E) => void) | null;

/** A SocketLike that forwards everything to `inner` and records performance.now() per message received. */
export class TimedSocket implements SocketLike {
  /** performance.now() at which message i (0-based, in order) arrived from `inner` (and earlier sockets sharing it). */
  readonly arrivalsMs: number[];
  onopen: Handler<unknown> = null;
  onmessage: Handler<SocketMessageEvent> = null;
  onclose: Handler<SocketCloseEvent> = null;
  onerror: Handler<unknown> = null;

  /** `arrivalsMs`: the list to append to, shared with the sockets a reconnecting client had before. */
  constructor(
    private readonly inner: SocketLike,
    arrivalsMs: number[] = [],
  ) {
    this.arrivalsMs = arrivalsMs;
    inner.onopen = (event) => this.onopen?.(event);
    inner.onerror = (event) => this.onerror?.(event);
    inner.onclose = (event) => this.onclose?.(event);
    inner.onmessage = (event) => {
      this.arrivalsMs.push(performance.now());
      this.onmessage?.(event);
    };
  }

  get binaryType(): string {
    return this.inner.binaryType;
  }
  set binaryType(type: string) {
    this.inner.binaryType = type;
  }

  get readyState(): number {
    return this.inner.readyState;
  }

  send(data: Uint8Array<ArrayBuffer>): void {
    this.inner.send(data);
  }

  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }
}
