// Integration: resume end to end through the fault proxy (support/faultProxy.ts) against the real
// server, with the client's own reconnect (NetClient in NetPlayer, and the bots' ArenaDriver). A reset
// link comes back by itself to the same id, score, hp and position (DEBUG_STATE); a link held longer
// than the grace gets 4017 and the bot joins afresh; a blackholed link is caught by the client's
// silence timeout and resumed while the server still thought the old socket alive (4018 REPLACED).
import { CloseCode, type EntityTuple } from '@tickwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ArenaDriver } from '../client/src/bot/arenaDriver.js';
import { BotStats } from '../client/src/bot/stats.js';
import { TimerLoop } from '../client/src/bot/timerLoop.js';
import { openWsSocket } from '../client/src/bot/wsSocket.js';
import { matchmake } from '../client/src/net/matchmake.js';
import { SILENCE_CLOSE_CODE } from '../client/src/net/reconnectPolicy.js';
import { type FaultProxy, type ProxyConnection, startFaultProxy } from './support/faultProxy.js';
import { NetPlayer } from './support/netPlayer.js';
import { createRoom, type Ticket } from './support/seats.js';
import { type ServerProcess, startServer } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS } from './support/testClient.js';

/** Long enough that a loaded machine resumes well within it. */
const GRACE_MS = 8000;
/** The late-resume server's grace: shorter than LATE_BLACKHOLE_MS. */
const SHORT_GRACE_MS = 1500;
/** Holds a reconnect try's handshake past SHORT_GRACE_MS; under the client's 4 s silence timeout. */
const LATE_BLACKHOLE_MS = 3000;
/** The client's silence timeout in the blackhole case: far under the server's heartbeat. */
const SILENCE_MS = 1000;
/** The server notices a silent socket only after two of these: it cannot see the blackhole in time. */
const HEARTBEAT_MS = 30_000;

/** Polls `condition` every 20 ms until it holds; throws naming `what` after EVENT_TIMEOUT_MS. */
async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = performance.now() + EVENT_TIMEOUT_MS;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${EVENT_TIMEOUT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The proxy's connections that carry a room socket of `roomId` (not the matchmaking calls). */
function roomLinks(roomId: string): (connection: ProxyConnection) => boolean {
  return (connection) => connection.label === `/ws/${roomId}`;
}

/** Player `id` as the server holds it (DEBUG_STATE), after the next snapshot so the link is live. */
async function serverState(player: NetPlayer): Promise<EntityTuple | undefined> {
  const { message } = await player.requestDebugState();
  return message.entities.find((entity) => entity.id === player.playerId);
}

/** Walk east for a few snapshots, then stand still until the server has the player stopped. */
async function walkThenStop(player: NetPlayer): Promise<void> {
  const id = player.playerId;
  for (let i = 0; i < 8; i++) {
    player.client.sendInput({ moveX: 1, moveY: 0 });
    await player.snapshots.next('a snapshot while walking', EVENT_TIMEOUT_MS);
  }
  player.client.sendInput({ moveX: 0, moveY: 0 });
  await player.snapshots.next('the player stopped', EVENT_TIMEOUT_MS, (arrival) => arrival.world[id]?.vx === 0);
}

describe('a dropped link resumes by itself through the proxy', () => {
  let server: ServerProcess;
  let proxy: FaultProxy;
  const players: NetPlayer[] = [];

  beforeAll(async () => {
    server = await startServer([
      '--debug-state',
      'true',
      '--reconnect-grace-ms',
      String(GRACE_MS),
      '--heartbeat-ms',
      String(HEARTBEAT_MS),
    ]);
    proxy = await startFaultProxy({ targetPort: server.port });
  });

  afterAll(async () => {
    proxy.heal();
    await Promise.all(players.map((player) => player.close().catch(() => {})));
    await proxy.close();
    await server.stop();
  });

  async function joinThroughProxy(
    name: string,
    silenceTimeoutMs?: number,
  ): Promise<{ player: NetPlayer; ticket: Ticket }> {
    const ticket = await createRoom(proxy.url);
    expect(new URL(ticket.wsUrl).port).toBe(String(proxy.port));
    const player = await NetPlayer.join(ticket, name, {
      pace: false,
      reconnect: silenceTimeoutMs === undefined ? {} : { silenceTimeoutMs },
    });
    players.push(player);
    return { player, ticket };
  }

  it('after a reset the client reconnects on its own and has the same id, score, hp and position (DEBUG_STATE)', async () => {
    const { player, ticket } = await joinThroughProxy('ann');
    const id = player.playerId;
    const firstToken = player.client.resumeToken;
    expect(firstToken).not.toBe('');
    await walkThenStop(player);
    const before = await serverState(player);
    expect(before).toBeDefined();
    expect(before!.hp).toBeGreaterThan(0);
    await until('ann on the roster', () => player.client.players.has(id));
    const score = player.client.players.get(id);

    expect(proxy.reset(roomLinks(ticket.roomId))).toHaveLength(1);
    const { welcome, pauseMs } = await player.resumes.find('the resumed WELCOME', EVENT_TIMEOUT_MS);
    expect(player.reconnects).toEqual([1006]);
    expect(player.resumeFailures).toEqual([]);
    expect(welcome.playerId).toBe(id);
    expect(player.client.resumeToken).not.toBe(firstToken);
    expect(pauseMs).toBeGreaterThanOrEqual(0);
    expect(player.client.link).toBe('playing');

    const resumedFrom = player.snapshots.items.length;
    const first = await player.snapshots.findFrom(resumedFrom, 'the first snapshot after the resume', EVENT_TIMEOUT_MS);
    expect(first.snapshot.baseAge).toBe(0);
    expect(await serverState(player)).toEqual(before);
    await until('a fresh roster with ann back', () => player.client.players.get(id)?.reconnecting === false);
    expect(player.client.players.get(id)).toEqual({ ...score, reconnecting: false });
    // Inputs restart at seq 1 on the new connection, and move the same entity.
    expect(player.client.sendInput({ moveX: 0, moveY: 1 })).toBe(1);
    await player.snapshots.next('ann walking north', EVENT_TIMEOUT_MS, (arrival) => (arrival.world[id]?.vy ?? 0) > 0);
    expect(player.protocolErrors).toEqual([]);
    expect(player.closeInfo).toBeUndefined();
  });

  it('a blackholed link is caught by the silence timeout and resumed; the old socket, still alive to the server, is closed 4018', async () => {
    const { player, ticket } = await joinThroughProxy('bea', SILENCE_MS);
    const id = player.playerId;
    await walkThenStop(player);
    const before = await serverState(player);
    const [old] = proxy.connections().filter(roomLinks(ticket.roomId));
    expect(old).toBeDefined();
    const logsFrom = server.stdoutLines.length;

    // Only the old link: the reconnect's new connection goes through. Nothing closes on the old one.
    const held = proxy.blackhole(10 * EVENT_TIMEOUT_MS, (connection) => connection.index === old!.index);
    const { welcome } = await player.resumes.find('the resumed WELCOME after the silence', EVENT_TIMEOUT_MS);
    expect(player.reconnects).toEqual([SILENCE_CLOSE_CODE]);
    expect(welcome.playerId).toBe(id);
    // The server never saw the old socket end: the resume took the player over and closed it.
    await until('the server closing the old socket with 4018', () =>
      server.stdoutLines.slice(logsFrom).some((line) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        return record.msg === 'closing client' && record.code === CloseCode.REPLACED;
      }),
    );
    expect(proxy.connections().find((connection) => connection.index === old!.index)?.heldBytes).toBeGreaterThan(0);
    expect(await serverState(player)).toEqual(before);

    // The old link comes back: its held frames reach a socket nobody listens to; the game plays on.
    proxy.heal();
    await held;
    const after = player.snapshots.items.length;
    await player.snapshots.findFrom(after, 'a snapshot after heal()', EVENT_TIMEOUT_MS);
    expect(player.client.link).toBe('playing');
    expect(player.reconnects).toHaveLength(1);
    expect(player.protocolErrors).toEqual([]);
  });
});

describe('a resume after the grace through the proxy', () => {
  let server: ServerProcess;
  let proxy: FaultProxy;
  let driver: ArenaDriver | undefined;
  let loop: TimerLoop | undefined;

  beforeAll(async () => {
    server = await startServer(['--reconnect-grace-ms', String(SHORT_GRACE_MS)]);
    proxy = await startFaultProxy({ targetPort: server.port });
  });

  afterEach(async () => {
    proxy.heal();
    loop?.stop();
    driver?.stop();
    if (driver !== undefined) await until('the bots to close', () => driver!.openSockets === 0);
  });

  afterAll(async () => {
    await proxy.close();
    await server.stop();
  });

  it('gets 4017 SESSION_EXPIRED, and the bot says so and joins afresh through the matchmaker', async () => {
    const now = () => performance.now();
    const stats = new BotStats(now());
    const lines: string[] = [];
    const ticket = await createRoom(proxy.url);
    const bot = new ArenaDriver({
      count: 1,
      seat: () => matchmake(proxy.url, { mode: 'join', roomId: ticket.roomId }),
      openSocket: (_index, wsUrl) => openWsSocket(wsUrl),
      now,
      stats,
      wake: (dueMs) => loop?.wakeAt(dueMs),
      log: (line) => lines.push(line),
      schedule: (fn, ms) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      },
    });
    driver = bot;
    loop = new TimerLoop(now, (nowMs) => bot.tick(nowMs));
    bot.start();
    loop.start();
    await until('the bot to join', () => stats.joins === 1);
    const firstLinks = proxy.connections().filter(roomLinks(ticket.roomId));
    expect(firstLinks).toHaveLength(1);

    // Every link held (the reconnect's too) for longer than the grace, and the bot's link reset now:
    // its try reaches the server only after the server let the player go.
    const held = proxy.blackhole(LATE_BLACKHOLE_MS);
    proxy.reset(roomLinks(ticket.roomId));
    await held;
    await until('the bot to join afresh', () => stats.joins === 2);
    expect(stats.reconnects).toBe(1);
    expect(stats.resumes).toBe(0);
    expect(stats.resumeFailures).toBe(1);
    expect(lines).toContain(`bot 0: resume failed, close code ${CloseCode.SESSION_EXPIRED}`);
    expect(lines).toContain('bot 0: session expired, joining afresh');
    expect(stats.disconnects).toBe(0);
    expect(stats.connected).toBe(1);
    // A third connection to the room: the first, the late try, the fresh join.
    expect(proxy.counts().accepted).toBeGreaterThanOrEqual(3);
  });
});
