// POST /matchmake and GET /rooms on the real server process: two joinOrCreate calls land in one room
// whose socket admits the seat; the HTTP refusals (Host, Origin, media type, size, JSON, rate) make
// no room; the rate is counted per X-Forwarded-For address behind a trusted proxy.
import { request } from 'node:http';
import type { MatchmakeAnswer, RoomsAnswer } from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from './support/events.js';
import { type ServerProcess, startServer } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS, TestClient } from './support/testClient.js';

/** Calls per address per minute for this server: small, so the limit is reached in a few calls. */
const RATE = 3;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(
  server: ServerProcess,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return withTimeout(
    new Promise<Reply>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(options.body);
    }),
    EVENT_TIMEOUT_MS,
    `${options.method ?? 'GET'} ${path}`,
  );
}

/** POST /matchmake as a caller at `address` (the server trusts 127.0.0.1 as a proxy). */
const matchmake = (server: ServerProcess, address: string, body: string, headers: Record<string, string> = {}) =>
  http(server, '/matchmake', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...headers },
  });

const rooms = async (server: ServerProcess) => (JSON.parse((await http(server, '/rooms')).body) as RoomsAnswer).rooms;

describe('POST /matchmake on the real server', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer(['--matchmake-rate', String(RATE), '--trust-proxy', '127.0.0.1']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('puts two joinOrCreate callers in one room whose socket admits the seat, and lists the room', async () => {
    const first = await matchmake(server, '203.0.113.1', '{"mode":"joinOrCreate","maxPlayers":4}');
    const second = await matchmake(server, '203.0.113.2', '{"mode":"joinOrCreate","maxPlayers":4}');
    expect([first.status, second.status]).toEqual([200, 200]);
    const a = JSON.parse(first.body) as MatchmakeAnswer;
    const b = JSON.parse(second.body) as MatchmakeAnswer;
    expect(b.roomId).toBe(a.roomId);
    expect(a.wsUrl).toBe(`ws://127.0.0.1:${server.port}/ws/${a.roomId}`);
    expect(a.seat).not.toBe(b.seat);

    const player = await TestClient.connect(a);
    player.hello('first', undefined, a.seat);
    await player.waitWelcome();
    const listed = await rooms(server);
    expect(listed.find((room) => room.id === a.roomId)).toMatchObject({ scenario: 'arena', maxPlayers: 4 });
    await player.close();
  });

  it('makes no room for a call refused over HTTP: foreign Host, foreign Origin, media type, size, not JSON', async () => {
    const before = (await rooms(server)).length;
    const body = '{"mode":"create"}';
    const refused = [
      await matchmake(server, '203.0.113.10', body, { host: 'evil.test', origin: 'http://evil.test' }),
      await matchmake(server, '203.0.113.11', body, { origin: 'https://evil.example' }),
      await matchmake(server, '203.0.113.12', body, { 'content-type': 'text/plain' }),
      await matchmake(server, '203.0.113.13', body.padEnd(4097, ' ')),
      await matchmake(server, '203.0.113.14', '{"mode":'),
      await http(server, '/matchmake', { method: 'GET' }),
    ].map((reply) => reply.status);
    expect(refused).toEqual([421, 403, 415, 413, 400, 405]);
    expect((await rooms(server)).length).toBe(before);
  });

  it("answers its own page's preflight with the CORS headers", async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const reply = await http(server, '/matchmake', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe(origin);
    expect(reply.headers['access-control-allow-methods']).toBe('POST');
  });

  it('limits each forwarded address to the rate, with retry-after, and not its neighbours', async () => {
    for (let i = 0; i < RATE; i++) expect((await matchmake(server, '198.51.100.7', 'nope')).status).toBe(400);
    const limited = await matchmake(server, '198.51.100.7', 'nope');
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toMatchObject({ error: 'too-many-requests' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await matchmake(server, '198.51.100.8', 'nope')).status).toBe(400);
  });
});
