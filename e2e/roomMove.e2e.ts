// Browser end-to-end of a room move (issue 15, rooms move on drain): a page plays in a room on
// process A of a two-process cluster (real redis-server, one seat secret); A gets SIGTERM, hands the
// room to B and closes the page's socket with 4019 MOVED; the page shows "Reconnecting…" with the game
// on screen, asks the matchmaker where the room is now, and is the same player (id, name, score,
// health, position) in the same room, now on B, its saved token naming B. A exits 0. Once per run;
// screenshots to test-artifacts/.
import { randomBytes } from 'node:crypto';
import type { RoomsAnswer } from '@tickwire/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESUME_KEY } from '../client/src/game/lobby/savedResume.js';
import '../client/src/game/testHookTypes.js';
import { getHealth, httpGet, type ServerProcess, startServer } from '../integration/support/serverProcess.js';
import { freePort, type RedisServer, startRedis } from '../server/test/support/redisServer.js';
import { ARTIFACTS, launchChromium } from './support/browser.js';
import { browserNetworkNoise } from './support/consoleNoise.js';
import { until } from './support/until.js';

const SECRET = randomBytes(32).toString('base64url');
/** The servers' --reconnect-grace-ms: shorter than the default, longer than any try of a move needs. */
const GRACE_MS = 8000;

describe('a room moving under a page', () => {
  let redis: RedisServer;
  const servers: ServerProcess[] = [];
  let browser: Browser;
  const consoleErrors: string[] = [];
  let ports: number[] = [];

  /** Process `i` of the cluster, on its chosen port, once its heartbeat is in the directory. */
  async function member(i: number): Promise<ServerProcess> {
    const origins = ports.map((port) => `http://127.0.0.1:${port}`).join(',');
    const server = await startServer(
      [
        '--port',
        String(ports[i]),
        '--redis-url',
        redis.url,
        '--process-id',
        `move-${i}`,
        '--process-heartbeat-ms',
        '200',
        '--process-ttl-ms',
        '3000',
        // The page is served by A and plays on B after the move: B accepts A's origin.
        '--allowed-origins',
        origins,
        '--reconnect-grace-ms',
        String(GRACE_MS),
        '--drain-deadline-ms',
        '20000',
        // Patient with a page whose main thread stalls on this shared machine (see game.e2e.ts).
        '--backpressure-timeout-ms',
        '60000',
      ],
      { TICKWIRE_SEAT_SECRET: SECRET },
    );
    servers.push(server);
    await until(`process ${i} registered`, async () => (await getHealth(server)).lastHeartbeatAgoMs !== null);
    return server;
  }

  beforeAll(async () => {
    redis = await startRedis();
    // Ports chosen first: each process names the other's origin before either listens.
    ports = [await freePort(), await freePort()];
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.stop();
    await redis?.stop();
  });

  const state = (page: Page) => page.evaluate(() => window.__tickwire!.state());

  /** Who this page plays: its id, its roster entry (name and score), health, and where it is drawn. */
  async function who(page: Page) {
    const s = await state(page);
    const self = s.players.find((p) => p.self);
    return {
      playerId: s.playerId,
      roomId: s.lobby.roomId,
      roster: s.roster.find((entry) => entry.id === s.playerId),
      hp: s.hp,
      x: self?.x,
      y: self?.y,
    };
  }

  /** The room's listing on `via`'s GET /rooms (cluster-wide). */
  async function listing(via: ServerProcess, roomId: string) {
    const { rooms } = JSON.parse((await httpGet(via, '/rooms')).body) as RoomsAnswer;
    return rooms.find((room) => room.id === roomId);
  }

  it('shows the banner, then the same player plays on in the same room on the other process; the source exits 0', async () => {
    // A is the only process yet, so the page's room is made there.
    const a = await member(0);
    const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !browserNetworkNoise(message.text())) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${a.url}/?e2e&name=ann`);
    await page.waitForFunction(
      () => {
        const s = window.__tickwire?.state();
        return (
          window.__tickwire?.ready() === true &&
          s !== undefined &&
          s.roster.some((entry) => entry.id === s.playerId) &&
          s.players.some((p) => p.self)
        );
      },
      undefined,
      { timeout: 30_000 },
    );
    const before = await who(page);
    expect(before.roster?.name).toBe('ann');
    const roomId = before.roomId!;
    expect((await listing(a, roomId))?.process?.url).toBe(a.url);

    const b = await member(1);
    // Every HUD line drawn from here on, frame by frame: the banner of a quick move lasts few frames.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __hudSeen: string[] }).__hudSeen = seen;
      const watch = () => {
        const line = window.__tickwire!.state().hudStatus;
        if (seen[seen.length - 1] !== line) seen.push(line);
        requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    });

    a.signal('SIGTERM');
    await page.waitForFunction(
      () => {
        const s = window.__tickwire!.state();
        const entry = s.roster.find((e) => e.id === s.playerId);
        return s.resumes === 1 && s.connectionState === 'playing' && entry?.reconnecting === false;
      },
      undefined,
      { timeout: GRACE_MS + 5000 },
    );
    const hudSeen = await page.evaluate(() => (window as unknown as { __hudSeen: string[] }).__hudSeen);
    expect(hudSeen.some((line) => line.startsWith('Reconnecting…'))).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/room-move.png` });

    const after = await who(page);
    expect(after.playerId).toBe(before.playerId);
    expect(after.roomId).toBe(roomId);
    expect(after.roster).toEqual(before.roster);
    expect(after.hp).toBe(before.hp);
    // It stood still throughout, and is drawn where the room (now on B) holds it.
    expect(after.x).toBeCloseTo(before.x!, 0);
    expect(after.y).toBeCloseTo(before.y!, 0);
    const s = await state(page);
    expect(s.scene).toBe('game');
    expect(s.scenesEntered).toEqual(['boot', 'game']);
    expect(s.hudStatus.startsWith('Reconnecting')).toBe(false);

    // The room is B's now, with its one player; A drained and left with exit code 0.
    await until('B lists the room as its own with the player', async () => {
      const room = await listing(b, roomId);
      return room?.process?.url === b.url && room.players === 1;
    });
    // A reload now would resume on B: the saved token names B's socket, not the page's own process.
    const saved = await page.evaluate((key) => sessionStorage.getItem(key), RESUME_KEY);
    expect(new URL((JSON.parse(saved!) as { wsUrl: string }).wsUrl).port).toBe(String(b.port));
    expect(await a.exited).toEqual({ code: 0, signal: null });
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
