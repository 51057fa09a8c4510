// The Host check against DNS rebinding, on the real server: a foreign Host (with the matching Origin
// a rebound page sends) gets 421 on a room's /ws/<roomId>, /dashboard and /dashboard/ws; allowed Hosts still work;
// /healthz answers any Host, as load balancers probe it by address or service name.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from './support/events.js';
import { joinSeat } from './support/seats.js';
import { type ServerProcess, startServer } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS, TestClient, tryUpgrade } from './support/testClient.js';

const EVIL = { headers: { Host: 'evil.test', Origin: 'http://evil.test' } };

/** GET `path` with a given Host header; resolves with the status. */
function getWithHost(server: ServerProcess, path: string, host: string): Promise<number> {
  return withTimeout(
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, headers: { Host: host } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    }),
    EVENT_TIMEOUT_MS,
    `GET ${path} with Host ${host}`,
  );
}

/** Write `raw` on a fresh TCP connection and resolve with the HTTP status line's code. */
function rawStatus(server: ServerProcess, raw: string): Promise<number> {
  return withTimeout(
    new Promise<number>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write(raw));
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        answer += chunk;
        const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
        if (status !== null) {
          socket.destroy();
          resolve(Number(status[1]));
        }
      });
      socket.on('error', reject);
    }),
    EVENT_TIMEOUT_MS,
    'a raw HTTP answer',
  );
}

describe('Host check', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses the game socket to a foreign Host with 421, even with its own Origin, and serves localhost and IP literals', async () => {
    const room = await joinSeat(server.url);
    expect(await tryUpgrade(room.wsUrl, EVIL)).toEqual({ opened: false, status: 421 });
    expect(await tryUpgrade(room.wsUrl, { headers: { Host: 'evil.test:80' } })).toEqual({
      opened: false,
      status: 421,
    });
    const local = { headers: { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` } };
    const player = await TestClient.join(room, 'local', local);
    await player.close();
    expect(await tryUpgrade(room.wsUrl, { headers: { Host: `127.0.0.1:${server.port}` } })).toEqual({ opened: true });
  });

  it('refuses the dashboard and its socket to a foreign Host with 421, and serves them to localhost', async () => {
    const dashboardWs = `ws://127.0.0.1:${server.port}/dashboard/ws`;
    expect(await getWithHost(server, '/dashboard', 'evil.test')).toBe(421);
    expect(await tryUpgrade(dashboardWs, EVIL)).toEqual({ opened: false, status: 421 });
    expect(await getWithHost(server, '/dashboard', `localhost:${server.port}`)).toBe(200);
    expect(await tryUpgrade(dashboardWs, { headers: { Host: `localhost:${server.port}` } })).toEqual({ opened: true });
  });

  it('refuses an upgrade without a Host header with 421', async () => {
    const upgrade =
      'GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    expect(await rawStatus(server, upgrade)).toBe(421);
  });

  it('answers /healthz whatever the Host (probes use addresses and service names) while /dashboard refuses it', async () => {
    expect(await getWithHost(server, '/healthz', 'tickwire-service:8080')).toBe(200);
    expect(await getWithHost(server, '/dashboard', 'tickwire-service:8080')).toBe(421);
  });
});

describe('Host check with --allowed-hosts', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer(['--allowed-hosts', 'play.example.com']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves a listed name and still refuses others', async () => {
    const listed = { headers: { Host: 'play.example.com', Origin: 'https://play.example.com' } };
    const room = await joinSeat(server.url);
    const player = await TestClient.join(room, 'listed', listed);
    await player.close();
    expect(await getWithHost(server, '/dashboard', 'play.example.com')).toBe(200);
    expect(await tryUpgrade(room.wsUrl, EVIL)).toEqual({ opened: false, status: 421 });
  });
});
