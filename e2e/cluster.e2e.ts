// Browser end-to-end of a cluster: a real redis-server and two real server processes sharing it and
// one seat secret, a page on each process's own URL pressing Quick play; both land in the same room,
// so one of the pages plays on the other process, across origins (the processes list each other in
// --allowed-origins, as README says a cluster whose processes have different origins must). Driven
// through clicks only; the test hook (?e2e) is read. The dashboard of one process then lists both
// processes and the room under its host. Screenshots go to test-artifacts/.
import { randomBytes } from 'node:crypto';
import type { RoomsAnswer } from '@tickwire/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../client/src/game/testHookTypes.js';
import { getHealth, httpGet, type ServerProcess, startServer } from '../integration/support/serverProcess.js';
import { freePort, type RedisServer, startRedis } from '../server/test/support/redisServer.js';
import { ARTIFACTS, launchChromium } from './support/browser.js';
import { browserNetworkNoise } from './support/consoleNoise.js';
import { until } from './support/until.js';

type State = ReturnType<NonNullable<Window['__tickwire']>['state']>;
/** The dashboard page's process table (server/src/dashboard/processTable.ts), as the test reads it. */
interface DashboardTable {
  processes: { id: string; players: number; publicRooms: { id: string; players: number }[] }[];
}

const SECRET = randomBytes(32).toString('base64url');

describe('Quick play in a browser across a cluster of two processes', () => {
  let redis: RedisServer;
  const servers: ServerProcess[] = [];
  let browser: Browser;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    // Ports chosen first: each process must name the other's origin before either listens.
    const ports = [await freePort(), await freePort()];
    const origins = ports.map((port) => `http://127.0.0.1:${port}`).join(',');
    for (const [i, port] of ports.entries()) {
      const server = await startServer(
        [
          '--port',
          String(port),
          '--redis-url',
          redis.url,
          '--process-id',
          `e2e-${i}`,
          '--process-heartbeat-ms',
          '200',
          '--process-ttl-ms',
          '3000',
          '--allowed-origins',
          origins,
          // Patient with a page whose main thread stalls on this shared machine (see game.e2e.ts).
          '--backpressure-timeout-ms',
          '60000',
        ],
        { TICKWIRE_SEAT_SECRET: SECRET },
      );
      servers.push(server);
      await until(`process ${i} registered`, async () => (await getHealth(server)).lastHeartbeatAgoMs !== null);
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.stop();
    await redis?.stop();
  });

  /** A fresh browser context on `server`'s join screen, its lobby live, the name typed. */
  async function open(server: ServerProcess, label: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !browserNetworkNoise(message.text())) {
        consoleErrors.push(`${label}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => consoleErrors.push(`${label}: ${error.message}`));
    await page.goto(`${server.url}/?e2e`);
    await page.waitForFunction(() => window.__tickwire?.state().lobby.status === 'live', undefined, {
      timeout: 30_000,
    });
    await page.keyboard.type(label);
    return page;
  }

  const state = (page: Page): Promise<State> => page.evaluate(() => window.__tickwire!.state());
  const playing = (page: Page) =>
    page.waitForFunction(() => window.__tickwire!.ready(), undefined, { timeout: 30_000 });

  it('puts a page on each process in the same room, one of them playing across origins on the other process', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const alice = await open(a, 'alice');
    await alice.click('#quick-play');
    await playing(alice);
    const bob = await open(b, 'bob');
    await bob.click('#quick-play');
    await playing(bob);

    const aliceState = await state(alice);
    const bobState = await state(bob);
    expect(bobState.lobby.roomId).toBe(aliceState.lobby.roomId);
    const roomId = aliceState.lobby.roomId!;
    // Each sees the other: both sockets reached the one process hosting the room.
    for (const [page, other] of [
      [alice, bobState.playerId],
      [bob, aliceState.playerId],
    ] as const) {
      await page.waitForFunction((id) => window.__tickwire!.state().players.some((p) => p.id === id), other, {
        timeout: 15_000,
      });
    }

    // Either process lists the one room with both players, on one of the two processes.
    for (const via of [a, b]) {
      await until(`${via.url} lists the room with 2 players`, async () => {
        const { rooms } = JSON.parse((await httpGet(via, '/rooms')).body) as RoomsAnswer;
        return rooms.length === 1 && rooms[0]!.id === roomId && rooms[0]!.players === 2;
      });
    }
    const { rooms } = JSON.parse((await httpGet(a, '/rooms')).body) as RoomsAnswer;
    expect([a.url, b.url]).toContain(rooms[0]!.process?.url);

    await bob.screenshot({ path: `${ARTIFACTS}/cluster-quick-play.png` });

    // Process a's dashboard lists both processes, the room and its two players under the one hosting it.
    const dashboard = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    dashboard.on('pageerror', (error) => consoleErrors.push(`dashboard: ${error.message}`));
    await dashboard.goto(`${a.url}/dashboard`);
    await dashboard.waitForFunction(
      (id) => {
        const table = (window as unknown as { __dashboard?: { processes: DashboardTable | null } }).__dashboard
          ?.processes;
        return (
          table?.processes.length === 2 &&
          table.processes.some((p) => p.players === 2 && p.publicRooms.some((r) => r.id === id && r.players === 2))
        );
      },
      roomId,
      { timeout: 30_000 },
    );
    expect(await dashboard.textContent('#processes-legend')).toBe('2 processes in the cluster');
    const processCells = await dashboard.$$eval('#processes-body tr', (trs) =>
      trs.map((tr) => tr.querySelector('td')?.textContent),
    );
    expect(processCells).toEqual(['e2e-0 (this)', 'e2e-1']);
    await dashboard.screenshot({ path: `${ARTIFACTS}/cluster-dashboard.png` });
    await dashboard.context().close();
    expect(consoleErrors).toEqual([]);
    await alice.context().close();
    await bob.context().close();
  }, 150_000);
});
