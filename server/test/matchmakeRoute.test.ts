// POST /matchmake's HTTP rules on a real node:http server (127.0.0.1, port 0) with a fake matchmaker
// and a driven clock: statuses, the CORS preflight, the Origin rule, the 4 KiB cap, the rate.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { MATCHMAKE_ERRORS, MAX_MATCHMAKE_BODY_BYTES, type MatchmakeError } from '@tickwire/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createMatchmakeRoute, type MatchmakeRouteDeps } from '../src/http/matchmakeRoute.js';
import { Refusals } from '../src/http/refusals.js';
import { silentLogger } from '../src/log.js';
import type { MatchmakeResult } from '../src/rooms/matchmaker.js';

const ROOM_ID = 'abcdefghijkmnpqr';
const START_MS = 1_700_000_000_000;

interface Call {
  body: unknown;
  addressKey: string | undefined;
  nowMs: number;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(overrides: Partial<MatchmakeRouteDeps> = {}) {
  const calls: Call[] = [];
  const faults: unknown[] = [];
  const clock = { nowMs: START_MS };
  const refusals = new Refusals();
  const route = createMatchmakeRoute({
    allowedOrigins: [],
    ratePerMinute: 0,
    trustProxy: new Set(),
    async matchmake(body, addressKey, nowMs): Promise<MatchmakeResult> {
      calls.push({ body, addressKey, nowMs });
      return { ok: true, roomId: ROOM_ID, seat: 'signed-seat', expiresAt: nowMs + 15_000, nonce: 'n1' };
    },
    wsUrlOf: (roomId, req: IncomingMessage) => `ws://${req.headers.host}/ws/${roomId}`,
    now: () => clock.nowMs,
    log: silentLogger,
    refusals,
    fault: (error) => faults.push(error),
    ...overrides,
  });
  const server = createServer((req, res) => route(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, calls, faults, clock, refusals };
}

function call(
  port: number,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  const { method = 'POST', body } = options;
  const headers = { 'content-type': 'application/json', ...options.headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/matchmake', method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const post = (port: number, body: unknown, headers: Record<string, string> = {}) =>
  call(port, { body: JSON.stringify(body), headers });

/** Send `head` (and then `chunks`) on a raw socket; resolve with what came back once the server closed. */
function raw(port: number, head: string, chunks: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (data) => {
      text += data.toString();
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(head);
    for (const chunk of chunks) socket.write(chunk);
  });
}

function errorOf(reply: Reply): string {
  return (JSON.parse(reply.body) as { error: string }).error;
}

function accessControlHeaders(headers: IncomingHttpHeaders): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-'));
}

describe('POST /matchmake', () => {
  it('answers 200 with the room, its socket URL, the seat and its expiry, passing the body to the matchmaker', async () => {
    const { port, calls } = await serve();
    const reply = await post(port, { mode: 'joinOrCreate', scenario: 'arena' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(reply.body)).toEqual({
      roomId: ROOM_ID,
      wsUrl: `ws://127.0.0.1:${port}/ws/${ROOM_ID}`,
      seat: 'signed-seat',
      expiresAt: START_MS + 15_000,
    });
    expect(calls).toEqual([
      { body: { mode: 'joinOrCreate', scenario: 'arena' }, addressKey: undefined, nowMs: START_MS },
    ]);
  });

  it("passes a private room's code on", async () => {
    const { port } = await serve({
      matchmake: async () => ({ ok: true, roomId: ROOM_ID, seat: 's', expiresAt: 1, code: 'K7M2QX', nonce: 'n1' }),
    });
    expect(JSON.parse((await post(port, { mode: 'create', private: true })).body)).toMatchObject({ code: 'K7M2QX' });
  });

  for (const [error, status] of Object.entries(MATCHMAKE_ERRORS)) {
    it(`answers the matchmaker's ${error} with ${status} and its JSON error`, async () => {
      const { port, refusals } = await serve({
        matchmake: async () => ({ ok: false, error: error as MatchmakeError, message: `because ${error}` }),
      });
      const reply = await post(port, { mode: 'join', roomId: ROOM_ID });
      expect(reply.status).toBe(status);
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(reply.body)).toEqual({ error, message: `because ${error}` });
      expect(refusals.byStatus).toEqual({ [status]: 1 });
    });
  }

  it('answers 500 and reports the fault when the matchmaker fails, and serves the next call', async () => {
    let fail = true;
    const { port, faults, refusals } = await serve({
      matchmake: async () => {
        if (fail) throw new Error('directory down');
        return { ok: true, roomId: ROOM_ID, seat: 's', expiresAt: 1, nonce: 'n1' };
      },
    });
    expect((await post(port, { mode: 'joinOrCreate' })).status).toBe(500);
    expect(faults).toHaveLength(1);
    expect(String(faults[0])).toContain('directory down');
    expect(refusals.byStatus).toEqual({ 500: 1 });
    fail = false;
    expect((await post(port, { mode: 'joinOrCreate' })).status).toBe(200);
  });

  it('refuses any method but POST and OPTIONS with 405 and an Allow header', async () => {
    const { port, calls } = await serve();
    for (const method of ['GET', 'PUT', 'DELETE', 'HEAD']) {
      const reply = await call(port, { method });
      expect(reply.status, method).toBe(405);
      expect(reply.headers.allow).toBe('POST, OPTIONS');
      if (method !== 'HEAD') expect(errorOf(reply)).toBe('method-not-allowed');
    }
    expect(calls).toEqual([]);
  });

  it('refuses a body that is not application/json with 415, and takes any case and parameters', async () => {
    const { port, calls } = await serve();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', '']) {
      const reply = await call(port, { body: '{"mode":"joinOrCreate"}', headers: { 'content-type': type } });
      expect(reply.status, type).toBe(415);
      expect(errorOf(reply)).toBe('unsupported-media-type');
    }
    expect(calls).toEqual([]);
    const ok = await call(port, {
      body: '{"mode":"joinOrCreate"}',
      headers: { 'content-type': 'Application/JSON; charset=UTF-8' },
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const { port, calls } = await serve();
    for (const body of ['{nope', '', 'mode=joinOrCreate']) {
      const reply = await call(port, { body });
      expect(reply.status, body).toBe(400);
      expect(errorOf(reply)).toBe('bad-request');
    }
    expect(calls).toEqual([]);
  });

  it('takes a body of exactly 4096 bytes and refuses 4097 with 413', async () => {
    const { port, calls } = await serve();
    const json = '{"mode":"joinOrCreate"}';
    const exact = json.padEnd(MAX_MATCHMAKE_BODY_BYTES, ' ');
    expect(Buffer.byteLength(exact)).toBe(4096);
    expect((await call(port, { body: exact })).status).toBe(200);
    const over = await call(port, { body: `${exact} ` });
    expect(over.status).toBe(413);
    expect(errorOf(over)).toBe('body-too-large');
    expect(calls).toHaveLength(1);
  });

  it('refuses a declared Content-Length over the cap at once, without waiting for the body', async () => {
    const { port, calls } = await serve();
    const text = await raw(
      port,
      'POST /matchmake HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n',
    );
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(calls).toEqual([]);
  });

  it('refuses a chunked body once it passes the cap, and closes the connection', async () => {
    const { port, calls, refusals } = await serve();
    const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;
    // Never terminated: the server must answer on the count alone.
    const text = await raw(
      port,
      'POST /matchmake HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      [chunk(`{"mode":"joinOrCreate","pad":"${'x'.repeat(3000)}`), chunk('y'.repeat(1100))],
    );
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toContain('"error":"body-too-large"');
    expect(calls).toEqual([]);
    expect(refusals.byStatus).toEqual({ 413: 1 });
  });
});

describe('POST /matchmake from browser pages (Origin)', () => {
  it('refuses a foreign Origin with 403 before reading the body, and without CORS headers', async () => {
    const { port, calls } = await serve();
    // The body is announced and never sent: the answer cannot have waited for it.
    const text = await raw(
      port,
      'POST /matchmake HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n',
    );
    expect(text).toMatch(/^HTTP\/1\.1 403 /);
    expect(text).toContain('"error":"forbidden"');
    expect(text.toLowerCase()).not.toContain('access-control-');
    expect(calls).toEqual([]);
  });

  it('lets its own page and listed origins in, with access-control-allow-origin and vary on every answer', async () => {
    const { port } = await serve({
      allowedOrigins: ['https://game.example'],
      matchmake: async () => ({ ok: false, error: 'room-full', message: 'full' }),
    });
    for (const origin of [`http://127.0.0.1:${port}`, 'https://game.example']) {
      const reply = await post(port, { mode: 'join', roomId: ROOM_ID }, { origin });
      expect(reply.status, origin).toBe(409);
      expect(reply.headers['access-control-allow-origin']).toBe(origin);
      expect(reply.headers.vary).toBe('origin');
    }
    const unsupported = await call(port, {
      body: '{}',
      headers: { origin: 'https://game.example', 'content-type': 'text/plain' },
    });
    expect(unsupported.status).toBe(415);
    expect(unsupported.headers['access-control-allow-origin']).toBe('https://game.example');
  });

  it('serves callers without an Origin (bots, curl) with no CORS headers', async () => {
    const { port } = await serve();
    const reply = await post(port, { mode: 'joinOrCreate' });
    expect(reply.status).toBe(200);
    expect(accessControlHeaders(reply.headers)).toEqual([]);
  });

  it('answers an allowed preflight with 204 and the CORS headers, a refused one with 403 and none', async () => {
    const { port, calls } = await serve({ allowedOrigins: ['https://game.example'] });
    const preflight = (origin: string) =>
      call(port, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('https://game.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers).toMatchObject({
      'access-control-allow-origin': 'https://game.example',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
      vary: 'origin',
    });
    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(accessControlHeaders(refused.headers)).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('POST /matchmake rate per address', () => {
  const viaProxy = (address: string) => ({ 'x-forwarded-for': address });

  it('admits a burst of the rate, answers 429 with retry-after, and admits again once a token is back', async () => {
    const { port, clock, calls } = await serve({ ratePerMinute: 3, trustProxy: new Set(['127.0.0.1']) });
    for (let i = 0; i < 3; i++)
      expect((await post(port, { mode: 'joinOrCreate' }, viaProxy('203.0.113.7'))).status).toBe(200);
    const refused = await post(port, { mode: 'joinOrCreate' }, viaProxy('203.0.113.7'));
    expect(refused.status).toBe(429);
    expect(errorOf(refused)).toBe('too-many-requests');
    // 3 a minute: one token every 20 s.
    expect(refused.headers['retry-after']).toBe('20');
    expect((await post(port, { mode: 'joinOrCreate' }, viaProxy('203.0.113.8'))).status).toBe(200);
    clock.nowMs += 19_999;
    expect((await post(port, { mode: 'joinOrCreate' }, viaProxy('203.0.113.7'))).status).toBe(429);
    clock.nowMs += 1;
    expect((await post(port, { mode: 'joinOrCreate' }, viaProxy('203.0.113.7'))).status).toBe(200);
    expect(calls.map((c) => c.addressKey)).toEqual([
      '203.0.113.7',
      '203.0.113.7',
      '203.0.113.7',
      '203.0.113.8',
      '203.0.113.7',
    ]);
  });

  it('counts calls the body would refuse, so a caller over its rate cannot keep the server parsing', async () => {
    const { port } = await serve({ ratePerMinute: 1, trustProxy: new Set(['127.0.0.1']) });
    expect((await call(port, { body: '{nope', headers: viaProxy('203.0.113.7') })).status).toBe(400);
    expect((await call(port, { body: '{nope', headers: viaProxy('203.0.113.7') })).status).toBe(429);
  });

  it('exempts a loopback caller when no proxy is trusted, and limits it once --trust-proxy is set', async () => {
    const open = await serve({ ratePerMinute: 1 });
    for (let i = 0; i < 5; i++) expect((await post(open.port, { mode: 'joinOrCreate' })).status).toBe(200);
    expect(open.calls.every((c) => c.addressKey === undefined)).toBe(true);
    // A forged X-Forwarded-For from an untrusted peer is not believed either.
    expect((await post(open.port, { mode: 'joinOrCreate' }, viaProxy('203.0.113.7'))).status).toBe(200);

    const proxied = await serve({ ratePerMinute: 1, trustProxy: new Set(['10.0.0.1']) });
    expect((await post(proxied.port, { mode: 'joinOrCreate' })).status).toBe(200);
    expect((await post(proxied.port, { mode: 'joinOrCreate' })).status).toBe(429);
    expect(proxied.calls.map((c) => c.addressKey)).toEqual(['127.0.0.1']);
  });
});

describe('an answer that cannot be delivered', () => {
  it('gives its seat back when the caller hung up before the answer was ready', async () => {
    let ready!: () => void;
    const released: [string, string][] = [];
    const { port } = await serve({
      matchmake: async () => {
        await new Promise<void>((resolve) => {
          ready = resolve;
        });
        return { ok: true, roomId: ROOM_ID, seat: 's', expiresAt: 1, nonce: 'gone-caller' };
      },
      release: async (roomId, nonce) => {
        released.push([roomId, nonce]);
      },
    });
    const socket = connect(port, '127.0.0.1');
    const body = JSON.stringify({ mode: 'joinOrCreate' });
    socket.write(
      `POST /matchmake HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    );
    await until(() => ready !== undefined);
    socket.destroy();
    // The server has seen the hang-up once it holds no connection.
    await untilAsync(async () => (await openConnections()) === 0);
    ready();
    await until(() => released.length > 0);
    expect(released).toEqual([[ROOM_ID, 'gone-caller']]);
  });

  it('keeps the seat of an answer that was delivered', async () => {
    const released: string[] = [];
    const { port } = await serve({ release: async (_roomId, nonce) => void released.push(nonce) });
    expect((await post(port, { mode: 'joinOrCreate' })).status).toBe(200);
    // The response's 'close' has run once the server holds no connection (the client does not keep it).
    await untilAsync(async () => (await openConnections()) === 0);
    expect(released).toEqual([]);
  });
});

/** Connections the newest test server holds open. */
function openConnections(): Promise<number> {
  const server = servers[servers.length - 1]!;
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

async function untilAsync(condition: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not reached in 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolve once `condition` holds, polling every 5 ms; fail after 5 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not reached in 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
