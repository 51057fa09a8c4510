// Per-address limits against the real server: connections per address (429 at the upgrade, the
// dashboard's socket counted too), joins per minute (4012), X-Forwarded-For read only from a trusted
// proxy and from the right, and loopback exempt without one. A loopback test acts as many addresses
// by running the server with --trust-proxy 127.0.0.1 and sending X-Forwarded-For.
import { connect } from 'node:net';
import { CloseCode } from '@tickwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { joinSeat } from './support/seats.js';
import { type ServerProcess, startServer } from './support/serverProcess.js';
import { TestClient, tryUpgrade, type UpgradeOutcome } from './support/testClient.js';

const from = (forwardedFor: string) => ({ headers: { 'X-Forwarded-For': forwardedFor } });

/** Between two upgrade attempts while waiting for the server to see a socket close. @default 50 ms */
const RETRY_MS = 50;

/** Try the upgrade until it opens (the server has counted a close), failing after `timeoutMs`. */
async function upgradeUntilOpened(url: string, forwardedFor: string, timeoutMs = 10_000): Promise<UpgradeOutcome> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const outcome = await tryUpgrade(url, from(forwardedFor));
    if (outcome.opened || performance.now() > deadline) return outcome;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

describe('connections per address behind a trusted proxy', () => {
  let server: ServerProcess;
  const clients: TestClient[] = [];

  // Every socket of a test opens the same room's socket and never says HELLO, so one seat (one POST
  // /matchmake, which is rate-limited once loopback is not exempt) serves them all.
  beforeAll(async () => {
    // A long handshake timeout: the sockets held open here never say HELLO.
    server = await startServer(['--trust-proxy', '127.0.0.1', '--handshake-timeout-ms', '120000']);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses the 17th connection from one address with 429, and not another address', async () => {
    const room = await joinSeat(server.url);
    for (let i = 0; i < 16; i++) clients.push(await TestClient.connect(room, from('203.0.113.7')));
    expect(await tryUpgrade(room.wsUrl, from('203.0.113.7'))).toEqual({ opened: false, status: 429 });
    expect(await tryUpgrade(room.wsUrl, from('203.0.113.8'))).toEqual({ opened: true });
    // The dashboard's socket is a connection from that address too.
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/dashboard/ws`, from('203.0.113.7'))).toEqual({
      opened: false,
      status: 429,
    });
    // Once one closes, the address may connect again.
    await clients.pop()!.close();
    expect(await upgradeUntilOpened(room.wsUrl, '203.0.113.7')).toEqual({ opened: true });
  });

  it('counts the entry the proxy appended, not a forged leftmost one', async () => {
    const room = await joinSeat(server.url);
    // Each socket claims another address on the left; the proxy's entry on the right is the same.
    for (let i = 0; i < 16; i++) {
      clients.push(await TestClient.connect(room, from(`198.51.100.${i}, 203.0.113.9`)));
    }
    expect(await tryUpgrade(room.wsUrl, from('198.51.100.200, 203.0.113.9'))).toEqual({ opened: false, status: 429 });
    expect(await tryUpgrade(room.wsUrl, from('203.0.113.9'))).toEqual({ opened: false, status: 429 });
    // The rightmost entry decides: a client the proxy saw as another address is another address.
    expect(await tryUpgrade(room.wsUrl, from('203.0.113.9, 198.51.100.77'))).toEqual({ opened: true });
  });

  it('keys IPv6 clients by their /64', async () => {
    const room = await joinSeat(server.url);
    for (let i = 0; i < 16; i++) clients.push(await TestClient.connect(room, from(`2001:db8:5:6::${i + 1}`)));
    expect(await tryUpgrade(room.wsUrl, from('2001:db8:5:6:ffff::1'))).toEqual({ opened: false, status: 429 });
    expect(await tryUpgrade(room.wsUrl, from('2001:db8:5:7::1'))).toEqual({ opened: true });
  });

  it('counts a loopback peer without X-Forwarded-For once a proxy is trusted', async () => {
    const room = await joinSeat(server.url);
    for (let i = 0; i < 16; i++) clients.push(await TestClient.connect(room));
    expect(await tryUpgrade(room.wsUrl)).toEqual({ opened: false, status: 429 });
  });
});

describe('joins per minute behind a trusted proxy', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer(['--trust-proxy', '127.0.0.1', '--joins-per-minute-per-ip', '3']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('closes the HELLO over the rate with 4012 JOIN_RATE, and lets another address join', async () => {
    for (let i = 0; i < 3; i++) {
      const player = await TestClient.join(await joinSeat(server.url), `p${i}`, from('203.0.113.20'));
      await player.close();
    }
    const refused = await TestClient.connect(await joinSeat(server.url), from('198.51.100.3, 203.0.113.20'));
    refused.hello('p3');
    expect((await refused.waitClosed()).code).toBe(CloseCode.JOIN_RATE);
    expect(refused.welcome).toBeUndefined();
    const other = await TestClient.join(await joinSeat(server.url), 'q', from('203.0.113.21'));
    await other.close();
  });
});

describe('loopback without a trusted proxy', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer(['--max-connections-per-ip', '2', '--joins-per-minute-per-ip', '2']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is exempt from both limits, and X-Forwarded-For from an untrusted peer changes nothing', async () => {
    const players: TestClient[] = [];
    for (let i = 0; i < 4; i++)
      players.push(await TestClient.join(await joinSeat(server.url), `local${i}`, from('203.0.113.30')));
    await Promise.all(players.map((player) => player.close()));
  });
});

describe('plain HTTP connections per peer', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    // A trusted proxy elsewhere: the loopback peer is neither exempt nor a proxy, so it is capped.
    server = await startServer(['--trust-proxy', '10.9.9.9', '--max-connections-per-ip', '3']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers the connection over the limit with 429 while keep-alive sockets hold the others', async () => {
    const held = await Promise.all([0, 1, 2].map(() => keepAliveSocket(server.port)));
    const over = await keepAliveSocket(server.port);
    expect(over.firstResponse.startsWith('HTTP/1.1 429')).toBe(true);
    // /healthz answers 200, or 503 while the machine is too busy for the tick: served either way.
    for (const socket of held) expect(socket.firstResponse).toMatch(SERVED);
    for (const socket of [...held, over]) socket.socket.destroy();
    // Once they close, a new connection is served again (polled: the server counts each close).
    const deadline = performance.now() + 10_000;
    let again = await keepAliveSocket(server.port);
    while (!SERVED.test(again.firstResponse) && performance.now() < deadline) {
      again.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await keepAliveSocket(server.port);
    }
    expect(again.firstResponse).toMatch(SERVED);
    again.socket.destroy();
  });
});

/** A /healthz response's status line: the request was served. */
const SERVED = /^HTTP\/1\.1 (200|503) /;

/** A TCP connection that sends one keep-alive GET /healthz; resolves with its first response's head. */
function keepAliveSocket(port: number): Promise<{ socket: import('node:net').Socket; firstResponse: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('error', () => {});
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) resolve({ socket, firstResponse: text });
    });
    socket.on('close', () => resolve({ socket, firstResponse: text }));
    socket.once('connect', () =>
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n'),
    );
  });
}
