// The fault-injecting proxy (support/faultProxy.ts): against a small echo server on loopback (relay,
// labels, counts, reset of all or some, blackhole, delay per direction, ends, a refused upstream,
// close), then against the real server (a player through it gets snapshots, a reset closes its socket
// with 1006, a reset storm over one room leaves the other playing, a blackhole stops snapshots without a close and they resume after; the bot CLI by --url;
// a half-open link: the server drops a blackholed player at its heartbeat, the client learns at heal()).
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, withTimeout } from './support/events.js';
import { type FaultProxy, startFaultProxy } from './support/faultProxy.js';
import { startScript } from './support/scriptProcess.js';
import { createRoom, joinSeat, seatIn } from './support/seats.js';
import { type ServerProcess, startServer, waitForHealth } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS, TestClient } from './support/testClient.js';

/** Long enough that no relay on a loaded machine could be mistaken for a held one. @default 300 ms */
const BLACKHOLE_MS = 300;

interface Arrival {
  text: string;
  atMs: number;
}

/** A raw TCP peer (client or echo server's side): what it read, when, and how it ended. */
class Peer {
  readonly data = new EventLog<Arrival>();
  received = '';
  endedAtMs: number | undefined;
  error: NodeJS.ErrnoException | undefined;
  readonly closed: Promise<void>;
  /** Resolves when the other side's end (FIN) or a close arrived: a half-open peer does not close by itself. */
  readonly ended: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.received += text;
      this.data.push({ text, atMs: performance.now() });
    });
    socket.on('end', () => {
      this.endedAtMs = performance.now();
    });
    socket.on('error', (error) => {
      this.error = error;
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.ended = new Promise((resolve) => {
      socket.once('end', () => resolve());
      socket.once('close', () => resolve());
    });
  }

  /** Resolves once everything read so far ends with `text`. */
  async waitFor(text: string): Promise<Arrival> {
    const arrived = this.data.last;
    if (this.received.endsWith(text) && arrived !== undefined) return arrived;
    return this.data.next(`"${text}"`, EVENT_TIMEOUT_MS, () => this.received.endsWith(text));
  }

  waitClosed(): Promise<void> {
    return withTimeout(this.closed, EVENT_TIMEOUT_MS, 'the socket to close');
  }

  waitEnded(): Promise<void> {
    return withTimeout(this.ended, EVENT_TIMEOUT_MS, 'the other side to end');
  }
}

function openPeer(port: number): Promise<Peer> {
  return withTimeout(
    new Promise<Peer>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => resolve(peer));
      const peer = new Peer(socket);
      socket.once('error', reject);
    }),
    EVENT_TIMEOUT_MS,
    `a connection to port ${port}`,
  );
}

/** An echo server that records its side of every connection (it ends when its client ends). */
async function startEcho(): Promise<{ server: Server; port: number; sides: EventLog<Peer> }> {
  const sides = new EventLog<Peer>();
  const server = createServer((socket) => {
    const side = new Peer(socket);
    socket.on('data', (text) => socket.write(text));
    sides.push(side);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('echo server: no TCP address');
  return { server, port: address.port, sides };
}

describe('the fault proxy in front of an echo server', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let proxy: FaultProxy;
  const peers: Peer[] = [];

  /** A client through the proxy and the echo server's side of it. */
  async function pair(): Promise<{ client: Peer; side: Peer }> {
    const side = echo.sides.next('the echo server to accept', EVENT_TIMEOUT_MS);
    const client = await openPeer(proxy.port);
    peers.push(client);
    return { client, side: await side };
  }

  beforeAll(async () => {
    echo = await startEcho();
  });

  afterEach(async () => {
    await proxy?.close();
    for (const peer of peers.splice(0)) peer.socket.destroy();
  });

  afterAll(() => new Promise<void>((resolve) => echo.server.close(() => resolve())));

  async function startProxy(): Promise<void> {
    proxy = await startFaultProxy({ targetPort: echo.port });
  }

  it('relays bytes both ways and counts connections and delivered bytes', async () => {
    await startProxy();
    const { client, side } = await pair();
    client.socket.write('hello');
    await client.waitFor('hello');
    expect(side.received).toBe('hello');
    expect(proxy.counts()).toEqual({ accepted: 1, open: 1, bytesToServer: 5, bytesToClient: 5, resets: 0 });
    const [connection] = proxy.connections();
    expect(connection).toMatchObject({ index: 0, label: '', clientPort: client.socket.localPort, heldBytes: 0 });
  });

  it("labels a connection with its first HTTP request line's target", async () => {
    await startProxy();
    const { client } = await pair();
    const request = 'GET /ws/some-room HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    client.socket.write(request);
    await client.waitFor(request);
    expect(proxy.connections().map((c) => c.label)).toEqual(['/ws/some-room']);
  });

  it('reset() sends RST to both sides of every connection at once and counts them', async () => {
    await startProxy();
    const pairs = [await pair(), await pair()];
    for (const { client } of pairs) {
      client.socket.write('x');
      await client.waitFor('x');
    }
    expect(proxy.reset()).toHaveLength(2);
    for (const { client, side } of pairs) {
      await client.waitClosed();
      await side.waitClosed();
      expect([client.error?.code, side.error?.code]).toEqual(['ECONNRESET', 'ECONNRESET']);
    }
    expect(proxy.counts()).toMatchObject({ accepted: 2, open: 0, resets: 2 });
  });

  it('reset(filter) cuts only the connections it picks; the others keep relaying', async () => {
    await startProxy();
    const pairs = [await pair(), await pair(), await pair()];
    const cut = proxy.reset((connection) => connection.index === 1);
    expect(cut.map((c) => c.clientPort)).toEqual([pairs[1]!.client.socket.localPort]);
    await pairs[1]!.client.waitClosed();
    expect(pairs[1]!.client.error?.code).toBe('ECONNRESET');
    for (const { client } of [pairs[0]!, pairs[2]!]) {
      client.socket.write('still here');
      await client.waitFor('still here');
    }
    expect(proxy.counts()).toMatchObject({ accepted: 3, open: 2, resets: 1 });
  });

  it('a blackhole relays nothing either way for its duration, closes nothing, then delivers all in order', async () => {
    await startProxy();
    const { client, side } = await pair();
    const startMs = performance.now();
    const over = proxy.blackhole(BLACKHOLE_MS);
    client.socket.write('one,');
    client.socket.write('two');
    // A FIN is held like data: it reaches the server after the bytes before it.
    client.socket.end();
    await over;
    expect(side.received).toBe('');
    expect(side.endedAtMs).toBeUndefined();
    expect(proxy.connections()[0]!.bytesToServer).toBe(0);
    const arrival = await client.waitFor('one,two');
    expect(side.data.items[0]!.atMs).toBeGreaterThanOrEqual(startMs + BLACKHOLE_MS);
    expect(arrival.atMs).toBeGreaterThanOrEqual(startMs + BLACKHOLE_MS);
    expect(side.endedAtMs).toBeGreaterThanOrEqual(side.data.items[0]!.atMs);
    expect(client.error).toBeUndefined();
  });

  it('a blackhole over every connection also holds connections accepted while it lasts', async () => {
    await startProxy();
    const startMs = performance.now();
    const over = proxy.blackhole(BLACKHOLE_MS);
    const { client } = await pair();
    client.socket.write('late');
    await over;
    expect(client.received).toBe('');
    expect((await client.waitFor('late')).atMs).toBeGreaterThanOrEqual(startMs + BLACKHOLE_MS);
  });

  it('a blackhole with a filter holds only the connections it picks', async () => {
    await startProxy();
    const held = await pair();
    const free = await pair();
    const over = proxy.blackhole(BLACKHOLE_MS, (c) => c.clientPort === held.client.socket.localPort);
    held.client.socket.write('held');
    free.client.socket.write('free');
    await free.client.waitFor('free');
    await over;
    expect(held.client.received).toBe('');
    await held.client.waitFor('held');
  });

  it('setDelay delays each direction by its own amount', async () => {
    await startProxy();
    const { client, side } = await pair();
    const toServer = 80;
    const toClient = 120;
    proxy.setDelay({ toServer, toClient });
    const startMs = performance.now();
    client.socket.write('slow');
    const back = await client.waitFor('slow');
    expect(side.data.items[0]!.atMs).toBeGreaterThanOrEqual(startMs + toServer);
    expect(back.atMs).toBeGreaterThanOrEqual(startMs + toServer + toClient);
    proxy.setDelay({});
    client.socket.write('fast');
    await client.waitFor('fast');
  });

  it('relays an end from the server after the data before it', async () => {
    await startProxy();
    const { client, side } = await pair();
    side.socket.end('bye');
    await client.waitFor('bye');
    await client.waitEnded();
    expect(client.endedAtMs).toBeGreaterThanOrEqual(client.data.last!.atMs);
    expect(client.error).toBeUndefined();
  });

  it('resets the client when the target refuses the connection', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    proxy = await startFaultProxy({ targetPort: closedPort });
    const client = await openPeer(proxy.port);
    peers.push(client);
    await client.waitClosed();
    expect(client.error?.code).toBe('ECONNRESET');
  });

  it('close() destroys every connection and stops listening', async () => {
    await startProxy();
    const { client, side } = await pair();
    await proxy.close();
    await client.waitEnded();
    await side.waitEnded();
    await expect(openPeer(proxy.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('the fault proxy in front of the real server', () => {
  let server: ServerProcess;
  let proxy: FaultProxy;
  const clients: TestClient[] = [];

  /** A player whose matchmaking and room socket both go through the proxy (by its URL alone). */
  async function playerThroughProxy(name: string): Promise<{ client: TestClient; roomId: string }> {
    const ticket = await joinSeat(proxy.url, { mode: 'create' });
    const client = await TestClient.join(ticket, name);
    clients.push(client);
    return { client, roomId: ticket.roomId };
  }

  beforeAll(async () => {
    // The proxy's own behaviour, not resume: a dropped player is let go at once (no grace).
    server = await startServer(['--reconnect-grace-ms', '0']);
    proxy = await startFaultProxy({ targetPort: server.port });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) if (client.isOpen) await client.close();
  });

  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it("matchmakes through the proxy's URL, answers a room socket on the proxy, and the player gets snapshots", async () => {
    const ticket = await joinSeat(proxy.url, { mode: 'create' });
    expect(new URL(ticket.wsUrl).port).toBe(String(proxy.port));
    const client = await TestClient.join(ticket, 'proxied');
    clients.push(client);
    const first = await client.nextSnapshot();
    await client.nextSnapshot((s) => s.tick > first.tick + 3, EVENT_TIMEOUT_MS, 'a snapshot 4 ticks later');
    expect(proxy.connections().map((c) => c.label)).toContain(`/ws/${ticket.roomId}`);
  });

  it("a reset closes the player's socket with 1006 and the server lets the player go", async () => {
    // A seat from the server itself, its room's socket moved onto the proxy.
    const ticket = await joinSeat(server.url, { mode: 'create' });
    const roomId = ticket.roomId;
    const client = await TestClient.join({ ...ticket, wsUrl: proxy.via(ticket.wsUrl) }, 'reset-me');
    clients.push(client);
    await client.nextSnapshot();
    const cut = proxy.reset((c) => c.label === `/ws/${roomId}`);
    expect(cut).toHaveLength(1);
    expect((await client.waitClosed()).code).toBe(1006);
    await waitForHealth(server, (health) => health.players === 0, EVENT_TIMEOUT_MS, 'the reset player to leave');
  });

  it('a blackhole stops snapshots without a close, and they resume after it', async () => {
    const { client, roomId } = await playerThroughProxy('blackholed');
    await client.nextSnapshot();
    const connection = proxy.connections().find((c) => c.label === `/ws/${roomId}`)!;
    const deliveredBefore = connection.bytesToClient;
    const blackholeMs = 1000;
    const startMs = performance.now();
    await proxy.blackhole(blackholeMs, (c) => c === connection);
    // The server kept sending; the proxy delivered none of it, and nobody closed anything.
    expect(connection.bytesToClient).toBe(deliveredBefore);
    expect(connection.heldBytes).toBeGreaterThan(0);
    expect(client.closeInfo).toBeUndefined();
    const lastTick = client.snapshots.last!.snapshot.tick;
    const resumed = await client.snapshots.next(
      'a snapshot after the blackhole',
      EVENT_TIMEOUT_MS,
      (arrival) => arrival.snapshot.tick > lastTick,
    );
    expect(resumed.atMs).toBeGreaterThanOrEqual(startMs + blackholeMs);
    // Held snapshots come first, then live ones: the player plays on over the same socket.
    await client.nextSnapshot((s) => s.tick > resumed.snapshot.tick + 3, EVENT_TIMEOUT_MS, 'live snapshots again');
    expect(client.isOpen).toBe(true);
  });

  it("a reset storm over one room's connections closes all its players with 1006; the other room plays on", async () => {
    const PER_ROOM = 5;
    const rooms: { roomId: string; players: TestClient[] }[] = [];
    for (const name of ['storm', 'calm']) {
      const first = await createRoom(proxy.url);
      const players = [await TestClient.join(first, `${name}-0`)];
      for (let i = 1; i < PER_ROOM; i++)
        players.push(await TestClient.join(await seatIn(proxy.url, first.roomId), `${name}-${i}`));
      clients.push(...players);
      rooms.push({ roomId: first.roomId, players });
    }
    const [storm, calm] = rooms as [(typeof rooms)[0], (typeof rooms)[0]];
    const resetsBefore = proxy.counts().resets;
    const cut = proxy.reset((c) => c.label === `/ws/${storm.roomId}`);
    expect(cut).toHaveLength(PER_ROOM);
    expect(proxy.counts().resets - resetsBefore).toBe(PER_ROOM);
    const closes = await Promise.all(storm.players.map((player) => player.waitClosed()));
    expect(closes.map((close) => close.code)).toEqual(Array(PER_ROOM).fill(1006));
    for (const player of calm.players) {
      const tick = player.snapshots.last?.snapshot.tick ?? 0;
      await player.nextSnapshot((s) => s.tick > tick, EVENT_TIMEOUT_MS, 'a snapshot after the storm');
      expect(player.isOpen).toBe(true);
    }
  });

  it('the bot CLI goes through the proxy given its URL as --url', async () => {
    const acceptedBefore = proxy.counts().accepted;
    const run = startScript('client/src/bot/main.ts', ['--url', proxy.url, '--count', '3', '--seconds', '2', '--json']);
    const { code } = await withTimeout(run.exited, 30_000, 'the bot process to exit');
    expect({ code, stderr: run.stderr }).toMatchObject({ code: 0 });
    expect(proxy.counts().accepted - acceptedBefore).toBeGreaterThanOrEqual(3);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(summary).toMatchObject({ type: 'summary' });
  });
});

describe('a half-open link through the fault proxy', () => {
  let server: ServerProcess;
  let proxy: FaultProxy;

  beforeAll(async () => {
    // A short heartbeat: a silent client is pinged at one beat and dropped at the next.
    server = await startServer(['--heartbeat-ms', '200']);
    proxy = await startFaultProxy({ targetPort: server.port });
  });

  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('the server drops a blackholed player at its heartbeat while the client still sees an open socket; heal() delivers the end (1006)', async () => {
    const ticket = await joinSeat(proxy.url, { mode: 'create' });
    const client = await TestClient.join(ticket, 'half-open');
    await client.nextSnapshot();
    const connection = proxy.connections().find((c) => c.label === `/ws/${ticket.roomId}`)!;
    // Far longer than the wait below: the link comes back at heal(), not on a timer.
    const over = proxy.blackhole(60_000, (c) => c === connection);
    await waitForHealth(server, (health) => health.connections === 0, 10_000, 'the server to drop the silent client');
    expect(client.closeInfo).toBeUndefined();
    expect(client.isOpen).toBe(true);
    expect(connection.heldBytes).toBeGreaterThan(0);
    proxy.heal();
    await over;
    // 1006, no close frame: the server terminated the socket (its heartbeat), it did not close it with a code.
    expect((await client.waitClosed()).code).toBe(1006);
  });
});
