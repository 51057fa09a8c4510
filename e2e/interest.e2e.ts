// Browser end-to-end of interest management: the built page joins a world room with a small view
// radius (made through POST /matchmake, joined by its ?room= link) and draws only the players near
// it, while test clients moved with DEBUG_NUDGE cross its view edge, leave and join; the roster stays
// room-wide and the console stays clean. Screenshots go to test-artifacts/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../client/src/game/testHookTypes.js';
import { placeAt } from '../integration/support/placement.js';
import { joinSeat, seatIn } from '../integration/support/seats.js';
import { type ServerProcess, startServer } from '../integration/support/serverProcess.js';
import { TestClient } from '../integration/support/testClient.js';
import { ARTIFACTS, launchChromium } from './support/browser.js';
import { browserNetworkNoise } from './support/consoleNoise.js';

/** World units: small, so a view edge is a short nudge away. */
const VIEW_RADIUS = 400;
/** A member leaves only beyond radius + 10 % (PROTOCOL.md, "Interest management"). */
const LEAVE_RADIUS = VIEW_RADIUS * 1.1;
/**
 * Patient with a busy software-rendered page (game.e2e.ts says why), and the debug messages for the
 * nudges. The resume grace stays the default: test clients leave with 1000 (removed at once), and a
 * page that drops under load resumes as the same player instead of joining afresh.
 */
const FLAGS = ['--backpressure-timeout-ms', '60000', '--debug-state', 'true'];
/** How long the page may take to show a change (a busy 2-core machine). */
const PAGE_TIMEOUT_MS = 20_000;

type State = ReturnType<NonNullable<Window['__tickwire']>['state']>;

describe('the page in a world room', () => {
  let server: ServerProcess;
  let browser: Browser;
  const clients: TestClient[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer(FLAGS);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await browser?.close();
    await server?.stop();
  });

  const state = (page: Page): Promise<State> => page.evaluate(() => window.__tickwire!.state());

  /** Wait until the page draws exactly the players `ids` (its own among them). */
  async function drawsExactly(page: Page, ids: number[]): Promise<void> {
    const want = [...ids].sort((a, b) => a - b);
    await page.waitForFunction(
      (wanted) => {
        const drawn = window.__tickwire!.state().players.map((p) => p.id);
        return drawn.length === wanted.length && [...drawn].sort((a, b) => a - b).every((id, i) => id === wanted[i]);
      },
      want,
      { timeout: PAGE_TIMEOUT_MS },
    );
  }

  /** Every player the page draws is within the leave distance of its own player. */
  async function expectOnlyNearby(page: Page): Promise<void> {
    const { players } = await state(page);
    const self = players.find((p) => p.self)!;
    for (const player of players) {
      expect(Math.hypot(player.x - self.x, player.y - self.y), `player ${player.id}`).toBeLessThanOrEqual(
        LEAVE_RADIUS + 1,
      );
    }
  }

  it('draws only the players near it as others come into view, walk out of it, leave and join, with no console error', async () => {
    // The room, made through POST /matchmake with a small radius; its first seat is a test client's.
    const creator = await joinSeat(server.url, {
      mode: 'create',
      scenario: 'world',
      maxPlayers: 8,
      viewRadius: VIEW_RADIUS,
    });
    const near = await TestClient.join(creator, 'near');
    clients.push(near);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !browserNetworkNoise(message.text())) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${server.url}/?e2e&name=viewer&room=${creator.roomId}`);
    await page.waitForFunction(() => window.__tickwire?.ready() === true, undefined, { timeout: 30_000 });
    const viewer = await state(page);
    expect(viewer.lobby.roomId).toBe(creator.roomId);
    const self = viewer.players.find((p) => p.self)!;
    // Others are put along x on the side of the world with room to spare, on the viewer's row.
    const side = self.x < 8192 ? 1 : -1;
    const x0 = Math.round(self.x);
    const y0 = Math.round(self.y);
    const at = (offset: number) => x0 + side * offset;

    const far = await TestClient.join(await seatIn(server.url, creator.roomId), 'far');
    clients.push(far);
    await placeAt(near, at(200), y0);
    await placeAt(far, at(3000), y0);
    const [selfId, nearId, farId] = [viewer.playerId, near.welcome!.playerId, far.welcome!.playerId];

    // Near is drawn, far is not, though the roster (room-wide) lists both.
    await drawsExactly(page, [selfId, nearId]);
    await expectOnlyNearby(page);
    expect((await state(page)).roster.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      [selfId, nearId, farId].sort((a, b) => a - b),
    );
    await page.screenshot({ path: `${ARTIFACTS}/interest-near-only.png` });

    // Far comes within the radius: drawn. Then it goes beyond radius × 1.1: dropped.
    await placeAt(far, at(VIEW_RADIUS - 50), y0);
    await drawsExactly(page, [selfId, nearId, farId]);
    await expectOnlyNearby(page);
    await page.screenshot({ path: `${ARTIFACTS}/interest-both-near.png` });
    await placeAt(far, at(LEAVE_RADIUS + 100), y0);
    await drawsExactly(page, [selfId, nearId]);
    await expectOnlyNearby(page);

    // Near leaves: dropped. A newcomer put beside the viewer: drawn.
    await near.close();
    clients.splice(clients.indexOf(near), 1);
    await drawsExactly(page, [selfId]);
    const newcomer = await TestClient.join(await seatIn(server.url, creator.roomId), 'newcomer');
    clients.push(newcomer);
    await placeAt(newcomer, at(150), y0);
    await drawsExactly(page, [selfId, newcomer.welcome!.playerId]);
    await expectOnlyNearby(page);
    await page.screenshot({ path: `${ARTIFACTS}/interest-newcomer.png` });

    const last = await state(page);
    expect(last.connectionState).toBe('playing');
    expect(last.closedBecause).toBeNull();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
