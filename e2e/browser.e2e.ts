// Browser end-to-end: the built client served by the real server, two players in headless Chromium
// (one browser context each), driven only through the keyboard. Screenshots go to test-artifacts/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlayerForTests } from '../client/src/game/testHookTypes.js';
import { type ServerProcess, startServer } from '../integration/support/serverProcess.js';
import { ARTIFACTS, launchChromium } from './support/browser.js';

/** The server's --reconnect-grace-ms here, well under the wait for a closed page's player to go. */
const LEAVE_GRACE_MS = 1000;

describe('the game in a browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  const consoleErrors: string[] = [];

  async function join(name: string, query = ''): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${name}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${name}: ${error.message}`));
    await page.goto(`${server.url}/?e2e&name=${name}${query}`);
    await page.waitForFunction(() => window.__tickwire?.ready() === true, undefined, { timeout: 30_000 });
    return page;
  }

  const state = (page: Page) => page.evaluate(() => window.__tickwire!.state());
  const viewOf = async (page: Page, id: number): Promise<PlayerForTests | undefined> =>
    (await state(page)).players.find((p) => p.id === id);

  beforeAll(async () => {
    // A closed tab's 1001 is not a leave: its player stays for the grace (issue 15) before it goes.
    // A short grace keeps "removes one that leaves" quick.
    server = await startServer(['--reconnect-grace-ms', String(LEAVE_GRACE_MS)]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows each player the other, moves a player with the keyboard for both, and removes one that leaves', async () => {
    const alice = await join('alice');
    const bob = await join('bob');
    const aliceId = (await state(alice)).playerId;
    const bobId = (await state(bob)).playerId;
    expect(aliceId).not.toBe(bobId);
    await alice.waitForFunction((id) => window.__tickwire!.state().players.some((p) => p.id === id), bobId);
    await bob.waitForFunction((id) => window.__tickwire!.state().players.some((p) => p.id === id), aliceId);

    const before = (await viewOf(bob, aliceId))!;
    // Hold D (east), then wait until Bob's view of Alice has moved at least 100 units east.
    await alice.keyboard.down('d');
    await bob.waitForFunction(
      ({ id, x }) => (window.__tickwire!.state().players.find((p) => p.id === id)?.x ?? 0) >= Math.min(x + 100, 2048),
      { id: aliceId, x: before.x },
      { timeout: 10_000 },
    );
    await alice.keyboard.up('d');
    const afterBob = (await viewOf(bob, aliceId))!;
    const afterAlice = (await viewOf(alice, aliceId))!;
    expect(afterBob.x).toBeGreaterThan(before.x);
    expect(afterAlice.x).toBeGreaterThan(before.x);
    expect(afterBob.y).toBeCloseTo(before.y, 0);
    await alice.screenshot({ path: `${ARTIFACTS}/alice-moved.png` });
    await bob.screenshot({ path: `${ARTIFACTS}/bob-sees-alice.png` });

    await bob.context().close();
    await alice.waitForFunction((id) => !window.__tickwire!.state().players.some((p) => p.id === id), bobId, {
      timeout: 10_000,
    });
    expect(consoleErrors).toEqual([]);
    await alice.context().close();
  });

  it('plays over a simulated 150 ± 30 ms link (120 ms + up to 60 ms) without mispredictions, and F3 shows the net graph', async () => {
    const carol = await join('carol', '&latency=120&jitter=60');
    const id = (await state(carol)).playerId;
    await carol.keyboard.press('F3');
    await carol.waitForFunction(() => window.__tickwire!.state().netGraphShown);
    const start = (await viewOf(carol, id))!;
    await carol.keyboard.down('s');
    await carol.waitForFunction(
      ({ id, y }) => (window.__tickwire!.state().players.find((p) => p.id === id)?.y ?? 0) >= Math.min(y + 100, 2048),
      { id, y: start.y },
      { timeout: 10_000 },
    );
    await carol.keyboard.up('s');
    await carol.screenshot({ path: `${ARTIFACTS}/net-graph.png` });
    expect((await state(carol)).mispredictions).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
