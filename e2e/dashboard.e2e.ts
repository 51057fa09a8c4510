// Browser end-to-end for /dashboard: the real server with two players, the page in headless
// Chromium drawing its charts, its room table and its process table from the pushed seconds, with
// no console error. The screenshot goes to test-artifacts/dashboard.png.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Player } from '../integration/support/player.js';
import { joinSeat } from '../integration/support/seats.js';
import { type ServerProcess, startServer } from '../integration/support/serverProcess.js';
import { ARTIFACTS, launchChromium } from './support/browser.js';

interface DashboardState {
  messages: number;
  chartsDrawn: number;
  connected: boolean;
  last: { players: number; status: string } | null;
  rooms: { live: number; rest: number; rows: { id: string; players: number }[] } | null;
  processes: { source: string; processes: { id: string; players: number; rooms: number }[] } | null;
}

declare global {
  interface Window {
    __dashboard?: DashboardState;
  }
}

describe('the dashboard in a browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let players: Player[] = [];

  beforeAll(async () => {
    server = await startServer();
    players = [
      await Player.join(await joinSeat(server.url), 'ann'),
      await Player.join(await joinSeat(server.url), 'bob'),
    ];
    players[0]!.startInputs(1, 0);
    players[1]!.startInputs(0, 1);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const player of players) await player.close();
    await server?.stop();
  });

  it('draws live charts of tick time, players, bytes and skips from the pushed seconds, without console errors', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 700 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    await page.goto(`${server.url}/dashboard`);
    // The hello, then at least two pushed seconds showing both players.
    await page.waitForFunction(
      () => (window.__dashboard?.messages ?? 0) >= 3 && window.__dashboard?.last?.players === 2,
      undefined,
      { timeout: 20_000 },
    );
    const state = await page.evaluate(() => window.__dashboard!);
    expect(state.connected).toBe(true);
    // 'overloaded' only on a loaded test machine (late ticks): the charts are what is tested here.
    expect(['ok', 'overloaded']).toContain(state.last!.status);

    // Every chart has drawn lines: count pixels that are neither background nor transparent.
    const inked = await page.evaluate(() =>
      ['tick', 'players', 'bytes', 'trouble'].map((id) => {
        const canvas = document.getElementById(id) as HTMLCanvasElement;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) count++;
        return count;
      }),
    );
    for (const count of inked) expect(count).toBeGreaterThan(500);
    const legend = await page.textContent('#players-legend');
    expect(legend).toContain('players 2');

    // The room table lists the players' room, both of them in it, updated from the pushed seconds.
    await page.waitForFunction(() => window.__dashboard?.rooms?.rows[0]?.players === 2, undefined, {
      timeout: 20_000,
    });
    const cells = await page.$$eval('#rooms-body tr td', (tds) => tds.map((td) => td.textContent));
    const room = (await page.evaluate(() => window.__dashboard!.rooms!.rows[0]!.id)) as string;
    expect(cells).toHaveLength(6);
    expect(cells.slice(0, 4)).toEqual([room, 'arena', expect.stringMatching(/^2\/\d+$/), 'running']);
    expect(await page.textContent('#rooms-legend')).toBe('1 room');

    // The process table: this process alone (no --redis-url), both players and the room on it.
    await page.waitForFunction(() => window.__dashboard?.processes?.processes[0]?.players === 2, undefined, {
      timeout: 20_000,
    });
    const processCells = await page.$$eval('#processes-body tr td', (tds) => tds.map((td) => td.textContent));
    expect(processCells).toHaveLength(8);
    expect(processCells[0]).toMatch(/ \(this\)$/);
    expect(processCells.slice(1, 4)).toEqual([
      server.url,
      expect.stringMatching(/^2\/\d+$/),
      expect.stringMatching(/^1\/\d+$/),
    ]);
    expect(processCells.slice(5, 8)).toEqual(['serving', '-', `${room} 2/${cells[2]!.split('/')[1]}`]);
    expect(await page.textContent('#processes-legend')).toBe('1 process (no cluster)');

    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png` });
    expect(consoleErrors).toEqual([]);
    // Self-contained: the page and its socket, nothing else.
    expect(requests.every((url) => url.startsWith(server.url))).toBe(true);
    await context.close();
  });
});
