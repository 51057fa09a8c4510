// Browser: the profiler's HTML report in headless Chromium with every network request aborted.
// It must draw all its charts with no console error and fetch nothing. Screenshot in test-artifacts/.
import { writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_IDS, renderReport } from '../profile/src/report/html.js';
import { fakeResult } from '../profile/test/fixtures.js';
import { ARTIFACTS, launchChromium } from './support/browser.js';

interface DrawnChart {
  id: string;
  paths: number;
  /** Paths with a non-empty d and a rendered length above 0. */
  drawnPaths: number;
  width: number;
  height: number;
}

describe('the profile report in a browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws every chart offline, with no console error and no request', async () => {
    // A 50-bot run with one slow second in its window, so every chart has something to show.
    const html = renderReport(
      fakeResult({ bots: 50, windowSecond: (i) => (i === 6 ? { tickMs: (k) => (k % 10 === 0 ? 4 : 1.1) } : {}) }),
    );
    writeFileSync(`${ARTIFACTS}/profile-report.html`, html);

    const context = await browser.newContext({ viewport: { width: 900, height: 1200 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    // Every request is aborted and recorded: the page is set as content, so it should make none.
    await context.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    await page.setContent(html, { waitUntil: 'load' });

    const charts = await page.evaluate(
      (ids) => {
        return ids.map((id): DrawnChart => {
          const svg = document.getElementById(id) as SVGSVGElement | null;
          const paths = svg ? [...svg.querySelectorAll('path')] : [];
          const box = svg?.getBoundingClientRect();
          return {
            id,
            paths: paths.length,
            // A flat line has a zero-height box: its drawn length is what shows it rendered.
            drawnPaths: paths.filter((p) => (p.getAttribute('d') ?? '').length > 0 && p.getTotalLength() > 0).length,
            width: box?.width ?? 0,
            height: box?.height ?? 0,
          };
        });
      },
      CHART_IDS as unknown as string[],
    );

    for (const chart of charts) {
      expect(chart.paths, chart.id).toBeGreaterThan(0);
      expect(chart.drawnPaths, chart.id).toBe(chart.paths);
      expect(chart.width, chart.id).toBeGreaterThan(300);
      expect(chart.height, chart.id).toBeGreaterThan(50);
    }
    expect(await page.title()).toBe('Tickwire profile: arena, 50 bots, 30 Hz');
    await page.screenshot({ path: `${ARTIFACTS}/profile-report.png`, fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    await context.close();
  });
});
