// Browser end-to-end: a game page in the background keeps acknowledging snapshots from its socket's
// message handler, so the server neither skips nor closes it. Headless Chromium never hides a page
// (bringing another page to the front leaves it 'visible', rAF still running), so the test does what
// a browser does to a hidden tab: document.hidden turns true, visibilitychange fires, and
// requestAnimationFrame callbacks stop. Phaser's frame loop, which sends the inputs, stops with them.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../client/src/game/testHookTypes.js';
import { getHealth, type ServerProcess, startServer } from '../integration/support/serverProcess.js';
import { launchChromium } from './support/browser.js';

/** Short, so a page that stopped acking would be closed within the wait; the default is 5000 ms. */
const BACKPRESSURE_TIMEOUT_MS = 1000;

/**
 * Hide the page as a browser hides a background tab, and count the client's frames by message id
 * from then on (INPUT is id 2, ACK id 7; the id is the byte after the array header). A string, so
 * no bundler helper leaks into the page.
 */
const HIDE = `(() => {
  window.__sent = { input: 0, ack: 0 };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
    if (bytes[1] === 2) window.__sent.input++;
    if (bytes[1] === 7) window.__sent.ack++;
    return send.call(this, data);
  };
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  window.requestAnimationFrame = () => 0;
  document.dispatchEvent(new Event('visibilitychange'));
})()`;

const sentCounts = (page: Page) => page.evaluate('({ ...window.__sent })') as Promise<{ input: number; ack: number }>;
const tickOf = (page: Page) => page.evaluate(() => window.__tickwire!.state().tick);

describe('a game page in the background', () => {
  let browser: Browser;
  let server: ServerProcess;

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startServer(['--scenario', 'game', '--backpressure-timeout-ms', String(BACKPRESSURE_TIMEOUT_MS)]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('stops sending INPUT but keeps ACKing from its message handler, and is never skipped or closed', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/?e2e&name=hidden`);
    await page.waitForFunction(() => window.__tickwire?.ready(), undefined, { timeout: 30_000 });
    await page.evaluate(HIDE);
    const hiddenAt = await tickOf(page);
    // A frame already scheduled may still run once: count from a few ticks later.
    await page.waitForFunction((tick) => window.__tickwire!.state().tick >= tick + 10, hiddenAt, { timeout: 30_000 });
    const settled = await sentCounts(page);
    const settledTick = await tickOf(page);
    const tickRate = 30;
    // Past the ack-lag limit (2 × tickRate ticks) and the timeout after it, with as much again to spare.
    const lastTick = settledTick + 2 * (2 * tickRate + (BACKPRESSURE_TIMEOUT_MS * tickRate) / 1000);
    await page.waitForFunction((tick) => window.__tickwire!.state().tick >= tick, lastTick, { timeout: 60_000 });
    const sent = await sentCounts(page);
    expect(sent.input - settled.input, 'INPUTs sent while hidden').toBe(0);
    expect(sent.ack - settled.ack, 'ACKs sent while hidden').toBeGreaterThan(0);
    const state = await page.evaluate(() => window.__tickwire!.state());
    expect(state.connectionState).toBe('playing');
    expect(state.disconnect).toBeNull();
    const health = await getHealth(server);
    expect((health.snapshots as { backpressureSkips: number }).backpressureSkips).toBe(0);
    expect(health.closes).toEqual({});
    // The server sees it applying snapshots: its newest ack is within a second of what was sent.
    expect(health.acks).toMatchObject({ clientsNotApplying: 0 });
  }, 120_000);
});
