// Vitest global setup of the integration and e2e projects, once per run: compiles the server and
// copies its run-time files (`npm run build:server`; tsc is incremental) so the tests never start a
// server/dist older than its sources.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './serverProcess.js';

export function setup(): void {
  // tsc -b checks its build info first: a run whose sources have not changed costs a fraction of a second.
  execFileSync(
    process.execPath,
    [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'server/tsconfig.build.json'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  // The files tsc does not emit (the directory's Lua scripts), or a server with --redis-url cannot start.
  execFileSync(process.execPath, [join(repoRoot, 'scripts/copy-server-files.mjs')], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}
