// The compiled server (server/dist, what `npm start` and these tests run): its --help, its default
// static folder and the shipped map found from dist, and the environment startServer hands it.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startScript } from './support/scriptProcess.js';
import { COMPILED_SERVER, repoRoot, startServer } from './support/serverProcess.js';

/** How long `--help` may take to print and exit. @default 30 000 ms */
const HELP_TIMEOUT_MS = 30_000;

describe('the compiled server', () => {
  it('prints --help and exits 0', async () => {
    const run = startScript(COMPILED_SERVER, ['--help']);
    const timer = setTimeout(() => run.child.kill('SIGKILL'), HELP_TIMEOUT_MS);
    const exit = await run.exited;
    clearTimeout(timer);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.stdout).toMatch(/^Usage: npm start -- \[options\]/);
    expect(run.stdout).toContain('--static-dir');
  });

  it("serves the client's build (client/dist) by default, found from server/dist as from server/src", async () => {
    // Imported by URL at run time: server/dist is a build output, not part of the typechecked program.
    const config = (await import(pathToFileURL(join(repoRoot, 'server/dist/config.js')).href)) as {
      parseConfig(argv: string[], env: Record<string, string>): { staticDir: string };
    };
    expect(config.parseConfig([], {}).staticDir).toBe(join(repoRoot, 'client/dist'));
  });

  it('starts the game scenario, whose map the compiled protocol reads from assets/maps', async () => {
    const server = await startServer(['--scenario', 'game']);
    try {
      expect(server.listening.scenario).toBe('game');
    } finally {
      await server.stop();
    }
  });
});

describe("startServer's env", () => {
  it("left out, the server has this process's environment (its seat secret comes from there or is random)", async () => {
    const server = await startServer();
    try {
      expect(server.listening.seatSecret).toBe(process.env.TICKWIRE_SEAT_SECRET ? 'env' : 'random');
    } finally {
      await server.stop();
    }
  });

  it('is set in the server process over this one’s: TICKWIRE_SEAT_SECRET is used', async () => {
    const server = await startServer([], { TICKWIRE_SEAT_SECRET: 'a-shared-secret-of-at-least-32-characters' });
    try {
      expect(server.listening.seatSecret).toBe('env');
    } finally {
      await server.stop();
    }
  });
});
