// Browser end-to-end of keeping the player (issue 15): the built page, served by the real server
// through the fault-injecting TCP proxy, survives every connection being reset (the "Reconnecting…"
// banner shows, the game stays on screen, the same player comes back), and a reload takes the same
// player back from sessionStorage without the join screen. A short grace keeps a failure quick.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../integration/support/faultProxy.js';
import { type ServerProcess, startServer } from '../integration/support/serverProcess.js';
import { ARTIFACTS, launchChromium } from './support/browser.js';

/** The server's --reconnect-grace-ms here: shorter than the default 10 s, longer than any try needs. */
const GRACE_MS = 8000;
/** How long new connections are held after the reset, so the banner is on screen for a while. */
const HOLD_MS = 1500;

describe('keeping the player in a browser', () => {
  let server: ServerProcess;
  let proxy: FaultProxy;
  let browser: Browser;
  const consoleErrors: string[] = [];

  async function open(name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => consoleErrors.push(`${name}: ${error.message}`));
    // Every byte between page and server (the page, POST /matchmake, the game socket) goes through the proxy.
    await page.goto(`${proxy.url}/?e2e&name=${name}`);
    await page.waitForFunction(() => window.__tickwire?.ready() === true, undefined, { timeout: 30_000 });
    return page;
  }

  const state = (page: Page) => page.evaluate(() => window.__tickwire!.state());

  /** Who this page plays: its id, its roster entry (name and score), and where it is drawn. */
  async function who(page: Page) {
    const s = await state(page);
    const self = s.players.find((p) => p.self);
    return {
      playerId: s.playerId,
      roster: s.roster.find((entry) => entry.id === s.playerId),
      hp: s.hp,
      x: self?.x,
      y: self?.y,
    };
  }

  beforeAll(async () => {
    server = await startServer(['--reconnect-grace-ms', String(GRACE_MS)]);
    proxy = await startFaultProxy({ targetPort: server.port });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.stop();
  });

  it('survives a reset of every connection: the banner shows, then the same player plays on', async () => {
    const page = await open('ann');
    // The roster lists the player once its PLAYERS page has arrived.
    await page.waitForFunction(() => {
      const s = window.__tickwire!.state();
      return s.roster.some((entry) => entry.id === s.playerId) && s.players.some((p) => p.self);
    });
    // Stand still: where it is drawn after the resume is where the server held it.
    const before = await who(page);
    expect(before.roster?.name).toBe('ann');

    expect(proxy.reset().length).toBeGreaterThan(0);
    // Tries reach the proxy but nothing gets through for a while: the game stays on screen meanwhile.
    const held = proxy.blackhole(HOLD_MS);
    await page.waitForFunction(() => window.__tickwire!.state().hudStatus.startsWith('Reconnecting…'), undefined, {
      polling: 'raf',
      timeout: 10_000,
    });
    const during = await state(page);
    expect(during.scene).toBe('game');
    expect(during.players.some((p) => p.self)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/resume-banner.png` });
    await held;

    await page.waitForFunction(
      () => {
        const s = window.__tickwire!.state();
        // The first PLAYERS after a resume is the roster's last flushed version, which may still list
        // this player as reconnecting; the next tick's ROSTER_CHANGES clears it.
        const entry = s.roster.find((e) => e.id === s.playerId);
        return (
          s.resumes === 1 &&
          s.connectionState === 'playing' &&
          s.players.some((p) => p.self) &&
          entry?.reconnecting === false
        );
      },
      undefined,
      { timeout: GRACE_MS },
    );
    const after = await who(page);
    expect(after.playerId).toBe(before.playerId);
    expect(after.roster).toEqual(before.roster);
    expect(after.hp).toBe(before.hp);
    // It stood still while away, and is drawn where the server holds it.
    expect(after.x).toBeCloseTo(before.x!, 0);
    expect(after.y).toBeCloseTo(before.y!, 0);
    const s = await state(page);
    expect(s.hudStatus.startsWith('Reconnecting')).toBe(false);
    expect(s.chat.some((line) => line.startsWith('(reconnected after'))).toBe(true);
    // The join screen never showed.
    expect(s.scenesEntered).toEqual(['boot', 'game']);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('takes the same player back after a reload, without the join screen', async () => {
    const page = await open('bob');
    await page.waitForFunction(() => {
      const s = window.__tickwire!.state();
      return s.roster.some((entry) => entry.id === s.playerId);
    });
    const before = await who(page);
    await page.reload();
    await page.waitForFunction(
      () => {
        const s = window.__tickwire!.state();
        const entry = s.roster.find((e) => e.id === s.playerId);
        return window.__tickwire!.ready() && entry?.reconnecting === false;
      },
      undefined,
      { timeout: 30_000 },
    );
    const after = await who(page);
    expect(after.playerId).toBe(before.playerId);
    expect(after.roster).toEqual(before.roster);
    const s = await state(page);
    expect(s.scenesEntered).toEqual(['boot', 'game']);
    expect(s.lobby.screen).toBe('playing');
    // One player in the room: the reload did not leave a second one behind.
    expect(s.roster.filter((entry) => entry.name.startsWith('bob'))).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });
});
