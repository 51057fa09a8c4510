// Debian's Chromium for the browser tests: where it is, the flags this machine needs,
// and where screenshots go. Launched once per test file, in its beforeAll.
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { repoRoot } from '../../integration/support/serverProcess.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots and other files a browser test leaves for people to look at. */
export const ARTIFACTS = `${repoRoot}/test-artifacts`;

/** Launch headless Chromium (each player then gets its own browser.newContext()). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`npm run setup:browser\` (or set CHROMIUM_PATH)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}
