// Bench plumbing: a TCP relay between the Tickwire processes and redis-server that counts the
// commands clients send (each RESP array a client writes is one command, one round trip unless
// pipelined), by name. INFO commandstats cannot tell these apart: it also counts every command a
// Lua script runs. Made once per counting pass of bench:matchmake-redis; parses every client byte.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface RespCounter {
  port: number;
  /** Commands sent by every client since the start, by upper-case name. */
  counts(): Map<string, number>;
  close(): Promise<void>;
}

/** Relay 127.0.0.1:<port> to redis on `redisPort`, counting client commands. */
export function startRespCounter(redisPort: number): Promise<RespCounter> {
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: redisPort });
    sockets.add(client);
    sockets.add(upstream);
    const parser = new CommandParser((name) => counts.set(name, (counts.get(name) ?? 0) + 1));
    client.on('data', (chunk: Buffer) => {
      parser.push(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : 0,
        counts: () => new Map(counts),
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Reads RESP arrays of bulk strings (what clients send) from a byte stream; calls `onCommand` with each one's name. */
class CommandParser {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly onCommand: (name: string) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.command();
      if (end === undefined) return;
      this.buffer = this.buffer.subarray(end);
    }
  }

  /** The end offset of one whole command at the buffer's start (reported), or undefined while incomplete. */
  private command(): number | undefined {
    const buf = this.buffer;
    if (buf.length === 0) return undefined;
    let eol = buf.indexOf('\r\n');
    if (eol < 0) return undefined;
    if (buf[0] !== 0x2a) throw new Error('inline commands are not expected from node-redis');
    const n = Number(buf.toString('latin1', 1, eol));
    let at = eol + 2;
    let name = '';
    for (let i = 0; i < n; i++) {
      eol = buf.indexOf('\r\n', at);
      if (eol < 0) return undefined;
      const len = Number(buf.toString('latin1', at + 1, eol));
      if (buf.length < eol + 2 + len + 2) return undefined;
      if (i === 0) name = buf.toString('latin1', eol + 2, eol + 2 + len).toUpperCase();
      at = eol + 2 + len + 2;
    }
    this.onCommand(name);
    return at;
  }
}
