// One raw TCP connection of the socket fuzzer: writes any bytes, reads the server's HTTP status line
// and, after a 101, its WebSocket frames (binary messages and the close code). No WebSocket
// library on this side, so nothing refuses to send what a hostile client sends. One per
// connection the fuzzer opens; the parser runs per TCP chunk received.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** What one connection ended with, for the per-class tally. */
export type Outcome =
  | { kind: 'http'; status: number }
  | { kind: 'close'; code: number }
  /** The server ended or reset the connection with no status line, or no close frame after the upgrade. */
  | { kind: 'dropped' }
  /** Still open when the fuzzer stopped waiting (it then closed the connection itself). */
  | { kind: 'open' };

const HEADER_END = Buffer.from('\r\n\r\n');

export class RawConnection {
  /** HTTP status of the response, once its status line arrived. */
  status: number | undefined;
  /** The server's close code (1005 for a close frame without one), once its close frame arrived. */
  closeCode: number | undefined;
  /** Binary WebSocket messages from the server, in order (after a 101). */
  readonly messages: Uint8Array[] = [];
  ended = false;
  private readonly socket: Socket;
  private pending: Buffer = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // Resets and refusals are outcomes here, not failures of the fuzzer.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  /** Connect to 127.0.0.1:port; rejects if the connection is refused (a dead server). */
  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Write bytes unless the connection is gone; false when it is. */
  write(bytes: Uint8Array): boolean {
    if (this.ended || this.socket.destroyed) return false;
    this.socket.write(bytes);
    return true;
  }

  /** A plain WebSocket upgrade request for `path` (RFC 6455 §4.1), as a browser would send it. */
  static upgradeRequest(path: string, port: number): Buffer {
    const key = randomBytes(16).toString('base64');
    return Buffer.from(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  }

  /** Resolve once `done()` holds or the connection ended (true if `done()` held), or false after `timeoutMs`. */
  until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    if (this.ended) return Promise.resolve(false);
    return new Promise((resolve) => {
      const check = () => {
        if (!done() && !this.ended) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(done());
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(done());
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** How this connection ended, as far as the server said. */
  outcome(): Outcome {
    if (this.closeCode !== undefined) return { kind: 'close', code: this.closeCode };
    if (this.status !== undefined && this.status !== 101) return { kind: 'http', status: this.status };
    return this.ended ? { kind: 'dropped' } : { kind: 'open' };
  }

  /** Close from this side at once (no close handshake: a hostile client does not wait). */
  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.status === undefined) {
      const end = this.pending.indexOf(HEADER_END);
      if (end === -1) {
        // A status line is all this needs; keep at most a few KB of a response that never ends its header.
        if (this.pending.length > 8192) this.pending = this.pending.subarray(0, 8192);
        return;
      }
      const match = /^HTTP\/\d\.\d (\d{3})/.exec(this.pending.subarray(0, end).toString('latin1'));
      this.status = match === null ? 0 : Number(match[1]);
      this.pending = this.status === 101 ? this.pending.subarray(end + HEADER_END.length) : Buffer.alloc(0);
    }
    if (this.status === 101) this.readFrames();
    else this.pending = Buffer.alloc(0);
    this.wake();
  }

  /** Server frames are unmasked (RFC 6455 §5.1); keep binary payloads and the close code. */
  private readFrames(): void {
    let bytes = this.pending;
    while (bytes.length >= 2) {
      const opcode = bytes[0]! & 0x0f;
      const length7 = bytes[1]! & 0x7f;
      const header = 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0);
      if (bytes.length < header) break;
      const length =
        length7 < 126 ? length7 : length7 === 126 ? bytes.readUInt16BE(2) : Number(bytes.readBigUInt64BE(2));
      if (bytes.length < header + length) break;
      const payload = bytes.subarray(header, header + length);
      if (opcode === 0x2) this.messages.push(Uint8Array.from(payload));
      if (opcode === 0x8) this.closeCode ??= payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      bytes = bytes.subarray(header + length);
    }
    this.pending = bytes;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
