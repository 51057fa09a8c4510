// sendBinaryFrame through ClientWebSocket on loopback sockets, read by a ws client: frames written
// straight to the descriptor and frames the stream queues arrive whole and in order, a slow client's
// remainder and later frames wait behind what the stream holds, ws's own writes keep their place, and a destroyed socket's
// descriptor is never written to again.
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, Socket as NetSocket, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { handleOf, MAX_FRAME_HEADER_BYTES, NO_FD, socketFd, socketOf } from '../src/transport/rawFrame.js';
import { ClientWebSocket } from '../src/transport/wsClientSocket.js';
import { until } from './support/until.js';

interface Pair {
  server: ClientWebSocket;
  client: WebSocket;
  /** Every message the client received, in order: binary as hex, text as `text:…`. */
  received: string[];
}

const open: { http: Server; wss: WebSocketServer; clients: WebSocket[] }[] = [];

afterEach(async () => {
  for (const { http, wss, clients } of open.splice(0)) {
    for (const client of clients) client.terminate();
    wss.close();
    http.close();
    await once(http, 'close');
  }
});

/** A ws server built with ClientWebSocket, as the transport builds it, and `count` connected clients. */
async function connectPairs(count: number): Promise<Pair[]> {
  const wss = new WebSocketServer<typeof ClientWebSocket>({
    noServer: true,
    perMessageDeflate: false,
    WebSocket: ClientWebSocket,
  });
  const http = createServer();
  const accepted: ClientWebSocket[] = [];
  http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => accepted.push(ws)));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const entry = { http, wss, clients: [] as WebSocket[] };
  open.push(entry);
  const pairs: Pair[] = [];
  for (let i = 0; i < count; i++) {
    const client = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false, maxPayload: 64 << 20 });
    entry.clients.push(client);
    const received: string[] = [];
    client.on('message', (data: Buffer, isBinary) => received.push(isBinary ? data.toString('hex') : `text:${data}`));
    await once(client, 'open');
    while (accepted.length <= i) await new Promise((resolve) => setImmediate(resolve));
    pairs.push({ server: accepted[i]!, client, received });
  }
  return pairs;
}

/** A payload of `length` bytes counting up from `seed`, in a buffer with header room before it. */
function staged(length: number, seed: number): { buffer: Uint8Array; start: number; end: number; hex: string } {
  const buffer = new Uint8Array(MAX_FRAME_HEADER_BYTES + length);
  for (let i = 0; i < length; i++) buffer[MAX_FRAME_HEADER_BYTES + i] = (seed + i) & 0xff;
  const hex = Buffer.from(buffer.subarray(MAX_FRAME_HEADER_BYTES)).toString('hex');
  return { buffer, start: MAX_FRAME_HEADER_BYTES, end: buffer.length, hex };
}

function tcpOf(ws: WebSocket): Socket {
  return socketOf(ws) as Socket;
}

describe('socketFd', () => {
  it('is the descriptor of a connected TCP socket, and NO_FD for a TLS socket over one, or a socket without a handle', async () => {
    const [pair] = await connectPairs(1);
    const tcp = tcpOf(pair!.server);
    expect(socketFd(tcp)).toBeGreaterThanOrEqual(0);
    expect(socketFd(new NetSocket())).toBe(NO_FD);
    // A TLS socket's handle reports the TCP descriptor underneath, which carries the encrypted stream.
    const tls = new TLSSocket(tcp);
    expect((handleOf(tls) as { fd?: number }).fd).toBe(socketFd(tcp));
    expect(socketFd(tls)).toBe(NO_FD);
    tls.destroy(); // and the TCP socket under it, so the server can close
  });
});

describe('sendBinaryFrame through ClientWebSocket', () => {
  it('writes frames of every header size to the descriptor, not the stream, and they arrive in order', async () => {
    const [pair] = await connectPairs(1);
    const { server, received } = pair!;
    const socket = tcpOf(server);
    const streamBytesBefore = socket.bytesWritten;
    // Together under a loopback socket's smallest send buffer, so the kernel takes each whole.
    const sizes = [0, 1, 125, 126, 127, 65_535, 65_536];
    const frames = sizes.map((size, i) => staged(size, i));
    for (const f of frames) server.sendWithHeadroom(f.buffer, f.start, f.end);
    await until(() => received.length === frames.length);
    expect(received).toEqual(frames.map((f) => f.hex));
    // Nothing went through the Writable stream: the kernel took every frame whole, directly.
    expect(socket.bytesWritten).toBe(streamBytesBefore);
  });

  it('queues what a slow client’s full socket does not take, and the rest of its frames behind it, in order', async () => {
    const [pair] = await connectPairs(1);
    const { server, client, received } = pair!;
    const socket = tcpOf(server);
    const streamBytesBefore = socket.bytesWritten;
    tcpOf(client).pause();
    const frames: ReturnType<typeof staged>[] = [];
    // Send 256 KiB frames until the kernel's buffers are full and the stream holds the rest.
    while (socket.writableLength === 0 && frames.length < 400) {
      const f = staged(256 * 1024, frames.length);
      frames.push(f);
      server.sendWithHeadroom(f.buffer, f.start, f.end);
    }
    expect(socket.writableLength).toBeGreaterThan(0);
    // Frames sent while the stream holds bytes go behind them; ws's own text message too.
    for (let i = 0; i < 3; i++) {
      const f = staged(1000, 500 + i);
      frames.push(f);
      server.sendWithHeadroom(f.buffer, f.start, f.end);
    }
    server.send('after');
    tcpOf(client).resume();
    await until(() => received.length === frames.length + 1);
    expect(received).toEqual([...frames.map((f) => f.hex), 'text:after']);
    expect(socket.bytesWritten).toBeGreaterThan(streamBytesBefore);
  });

  it('keeps ws’s own frames (ping, text) in their place between direct ones', async () => {
    const [pair] = await connectPairs(1);
    const { server, client, received } = pair!;
    const events: string[] = [];
    client.on('ping', () => events.push(`ping at ${received.length}`));
    const a = staged(10, 1);
    const b = staged(10, 2);
    server.sendWithHeadroom(a.buffer, a.start, a.end);
    server.ping();
    server.send('middle');
    server.sendWithHeadroom(b.buffer, b.start, b.end);
    await until(() => received.length === 3);
    expect(received).toEqual([a.hex, 'text:middle', b.hex]);
    expect(events).toEqual(['ping at 1']);
  });

  it('puts a frame behind bytes the stream holds though the kernel has room (a corked socket)', async () => {
    const [pair] = await connectPairs(1);
    const { server, received } = pair!;
    const socket = tcpOf(server);
    const f = staged(10, 3);
    socket.cork();
    server.send('first');
    expect(socket.writableLength).toBeGreaterThan(0);
    server.sendWithHeadroom(f.buffer, f.start, f.end);
    socket.uncork();
    await until(() => received.length === 2);
    expect(received).toEqual(['text:first', f.hex]);
  });

  it('never writes to a destroyed socket’s descriptor, which a file opened next takes', async () => {
    const [pair] = await connectPairs(1);
    // destroy() closes the descriptor at once; ws hears of it only later, so it still says OPEN.
    expect(await bytesReachingReusedFd(pair!, (socket) => socket.destroy())).toBe(0);
  });

  it('never writes to the descriptor once the socket lost the handle it came from, though still writable', async () => {
    const [pair] = await connectPairs(1);
    // As child_process's send(socket) does: the socket drops its handle, and the handle closes later.
    const written = await bytesReachingReusedFd(pair!, (socket) => {
      const holder = socket as unknown as { _handle: { close(): void } | null };
      const handle = holder._handle!;
      holder._handle = null;
      handle.close();
      expect(socket.writable).toBe(true);
    });
    expect(written).toBe(0);
  });
});

/**
 * Bytes that a send after `closeFd` (which must close the server socket's descriptor) writes into a
 * file opened right after it with the same descriptor number.
 */
async function bytesReachingReusedFd(pair: Pair, closeFd: (socket: Socket) => void): Promise<number> {
  const { server, received } = pair;
  const warm = staged(4, 9);
  server.sendWithHeadroom(warm.buffer, warm.start, warm.end); // reads and keeps its fd
  await until(() => received.length === 1);
  const socket = tcpOf(server);
  socket.on('error', () => {}); // a send without a handle errors the socket
  const fd = socketFd(socket);
  const dir = mkdtempSync(join(tmpdir(), 'tickwire-rawframe-'));
  const path = join(dir, 'reused');
  const opened: number[] = [];
  try {
    closeFd(socket);
    // POSIX gives the lowest free number; open until the file has the socket's (another thread
    // may take or free a lower one meanwhile).
    while (opened.length < 64 && opened.at(-1) !== fd) opened.push(openSync(path, 'w'));
    expect(opened.at(-1)).toBe(fd);
    expect(server.readyState).toBe(WebSocket.OPEN);
    const f = staged(4, 1);
    server.sendWithHeadroom(f.buffer, f.start, f.end);
    return readFileSync(path).length;
  } finally {
    for (const file of opened) closeSync(file);
    rmSync(dir, { recursive: true, force: true });
  }
}
