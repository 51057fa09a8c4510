// DirectFrameReader in front of the real ws, on loopback sockets: a server with it and a server
// without it are sent the same bytes by a raw TCP client, and must see the same messages, pings,
// pongs, errors and close codes, in the same order. Streams mix small binary frames with text,
// control, fragmented, large and malformed frames, cut into pieces written one event-loop turn apart.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { readFramesDirectly } from '../src/transport/directFrameReader.js';
import { until } from './support/until.js';

const MAX_PAYLOAD = 512;

interface LoggingServer {
  http: Server;
  port: number;
  /** The next connection's log, complete once ws has emitted 'close'. */
  nextLog(): Promise<string[]>;
  /** Connections the reader was put in front of, and the messages it delivered itself. */
  directConnections: number;
  directMessages: number;
  /** The newest connection's WebSocket and its log so far. */
  latest: { ws: WebSocket; log: string[] } | undefined;
}

/** A ws server built as the transport builds it, logging every event of each connection. */
async function loggingServer(direct: boolean, allowSynchronousEvents = true): Promise<LoggingServer> {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD,
    perMessageDeflate: false,
    clientTracking: false,
    skipUTF8Validation: true,
    allowSynchronousEvents,
  });
  const waiting: ((log: string[]) => void)[] = [];
  const http = createServer();
  const server: LoggingServer = {
    http,
    port: 0,
    directConnections: 0,
    directMessages: 0,
    latest: undefined,
    nextLog: () => new Promise((resolve) => waiting.push(resolve)),
  };
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const log: string[] = [];
      const message = (data: Buffer, isBinary: boolean) =>
        log.push(`${isBinary ? 'binary' : 'text'} ${data.toString('hex')}`);
      server.latest = { ws, log };
      const onBinary = (target: LoggingServer, payload: Buffer) => {
        target.directMessages++;
        message(payload, true);
      };
      if (direct && readFramesDirectly(ws, onBinary, server, MAX_PAYLOAD)) server.directConnections++;
      ws.on('message', (data, isBinary) => message(data as Buffer, isBinary));
      ws.on('ping', (data) => log.push(`ping ${data.toString('hex')}`));
      ws.on('pong', (data) => log.push(`pong ${data.toString('hex')}`));
      ws.on('error', (error: Error & { code?: string }) => log.push(`error ${error.code}`));
      ws.on('close', (code) => {
        log.push(`close ${code}`);
        waiting.shift()?.(log);
      });
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  server.port = (http.address() as AddressInfo).port;
  return server;
}

/** A raw TCP client past the WebSocket handshake. */
async function rawClient(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await once(socket, 'connect');
  socket.write(
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  let response = '';
  while (!response.includes('\r\n\r\n')) response += ((await once(socket, 'data')) as Buffer[])[0]!.toString('latin1');
  expect(response.startsWith('HTTP/1.1 101')).toBe(true);
  socket.on('data', () => {}); // the server's frames (pongs, its close) are not looked at
  socket.on('error', () => {}); // the server may reset a connection it refused
  return socket;
}

/** One masked frame. `length` overrides the written length form: 7, 16 or 64 bits. */
function frame(
  first: number,
  payload: readonly number[],
  options: { masked?: boolean; form?: 16 | 64 } = {},
): number[] {
  const masked = options.masked ?? true;
  const mask = [0x37, 0xfa, 0x21, 0x3d];
  const length = payload.length;
  const maskBit = masked ? 0x80 : 0;
  const head =
    options.form === 64
      ? [first, maskBit | 127, 0, 0, 0, 0, 0, 0, length >>> 8, length & 0xff]
      : options.form === 16 || length > 125
        ? [first, maskBit | 126, length >>> 8, length & 0xff]
        : [first, maskBit | length];
  return masked ? [...head, ...mask, ...payload.map((byte, i) => byte ^ mask[i & 3]!)] : [...head, ...payload];
}

const CLOSE_NORMAL = frame(0x88, [0x03, 0xe8]);

/** Send `stream` cut at `cuts`, then a close frame, then end; resolve with the server's log. */
async function exchange(server: LoggingServer, stream: readonly number[], cuts: readonly number[]): Promise<string[]> {
  const log = server.nextLog();
  const socket = await rawClient(server.port);
  const bytes = Uint8Array.from([...stream, ...CLOSE_NORMAL]);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point <= from) continue;
    if (!socket.destroyed) socket.write(bytes.subarray(from, point));
    from = point;
    await new Promise((resolve) => setImmediate(resolve));
  }
  socket.end();
  return log;
}

const small = (...payload: number[]) => frame(0x82, payload);

const scripted: [string, number[]][] = [
  ['small binary frames', [...small(1, 2, 3), ...small(), ...small(...Array.from({ length: 125 }, (_, i) => i))]],
  ['a text frame between binary ones', [...small(1), ...frame(0x81, [0x68, 0x69]), ...small(2)]],
  ['a ping and a pong between binary frames', [...small(1), ...frame(0x89, [7]), ...frame(0x8a, [8]), ...small(2)]],
  [
    'a 126-byte and a 64-bit-length binary frame',
    [...frame(0x82, Array(126).fill(5)), ...frame(0x82, [9, 9], { form: 64 }), ...small(3)],
  ],
  [
    'a fragmented binary message with a ping inside',
    [...frame(0x02, [1, 2]), ...frame(0x89, [4]), ...frame(0x00, [3]), ...frame(0x80, [4]), ...small(5)],
  ],
  ['a new small binary frame inside a fragmented message (1002)', [...frame(0x02, [1]), ...small(2), ...small(3)]],
  ['an unmasked small binary frame (1002)', [...small(1), ...frame(0x82, [2], { masked: false }), ...small(3)]],
  ['an RSV bit (1002)', [...small(1), ...frame(0xc2, [2]), ...small(3)]],
  ['a frame over maxPayload (1009)', [...small(1), ...frame(0x82, Array(MAX_PAYLOAD + 1).fill(1)), ...small(3)]],
  ['a close frame, then more frames', [...small(1), ...frame(0x88, [0x0f, 0xa0]), ...small(2)]],
];

describe('DirectFrameReader in front of ws', () => {
  let direct: LoggingServer;
  let plain: LoggingServer;

  beforeAll(async () => {
    direct = await loggingServer(true);
    plain = await loggingServer(false);
  });

  afterAll(() => {
    direct.http.close();
    plain.http.close();
  });

  it.each(scripted)('%s: the same events as ws alone, whole and cut byte by byte', async (_, stream) => {
    const whole = await exchange(plain, stream, []);
    expect(await exchange(direct, stream, [])).toEqual(whole);
    const everyByte = Array.from({ length: stream.length }, (_, i) => i + 1);
    expect(await exchange(direct, stream, everyByte)).toEqual(await exchange(plain, stream, everyByte));
    expect(whole.at(-1)).toMatch(/^close /);
  });

  it('random streams: the same events as ws alone (150 runs)', async () => {
    const frameArb = fc.oneof(
      { weight: 6, arbitrary: fc.array(fc.nat(255), { maxLength: 40 }).map((payload) => small(...payload)) },
      { weight: 1, arbitrary: fc.array(fc.nat(255), { minLength: 1, maxLength: 10 }).map((p) => frame(0x81, p)) },
      { weight: 1, arbitrary: fc.array(fc.nat(255), { maxLength: 10 }).map((p) => frame(0x89, p)) },
      { weight: 1, arbitrary: fc.array(fc.nat(255), { minLength: 126, maxLength: 200 }).map((p) => frame(0x82, p)) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.array(fc.nat(255), { maxLength: 8 }), fc.array(fc.nat(255), { maxLength: 8 }))
          .map(([a, b]) => [...frame(0x02, a), ...frame(0x8a, [1]), ...frame(0x80, b)]),
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(frameArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(10_000), { maxLength: 12 }),
        async (frames, cuts) => {
          const stream = frames.flat();
          expect(await exchange(direct, stream, cuts)).toEqual(await exchange(plain, stream, cuts));
        },
      ),
      { numRuns: 150 },
    );
    // Every connection of the direct server had the reader in front of ws, and it read frames itself.
    expect(direct.directConnections).toBeGreaterThan(150);
    expect(direct.directMessages).toBeGreaterThan(150);
  });

  it('a socket closed while paused: its last bytes still go through the reader, as ws alone reads them', async () => {
    const second = small(...Array.from({ length: 11 }, (_, i) => 0x40 + i));
    const logs: string[][] = [];
    for (const server of [plain, direct]) {
      const log = server.nextLog();
      const socket = await rawClient(server.port);
      // The first frame whole and the start of the second; then the server pauses the socket, the
      // rest arrives and stays buffered, and the connection is torn down.
      socket.write(Uint8Array.from([...small(1, 2, 3), ...second.slice(0, 3)]));
      await until(() => server.latest?.log.includes('binary 010203') === true);
      const ws = server.latest!.ws;
      ws.pause();
      socket.write(Uint8Array.from(second.slice(3)));
      const tcp = (ws as unknown as { _socket: { readableLength: number } })._socket;
      await until(() => tcp.readableLength > 0);
      ws.terminate();
      logs.push(await log);
      socket.destroy();
    }
    expect(logs[0]).toEqual(['binary 010203', 'binary 404142434445464748494a', 'close 1006']);
    expect(logs[1]).toEqual(logs[0]);
  });

  it('is not put in front of a ws that emits messages later than it reads them', async () => {
    const deferred = await loggingServer(true, false);
    const stream = [...small(1), ...frame(0x81, [0x68]), ...small(2)];
    const log = await exchange(deferred, stream, []);
    deferred.http.close();
    expect(deferred.directConnections).toBe(0);
    expect(log).toEqual(await exchange(plain, stream, []));
  });
});
