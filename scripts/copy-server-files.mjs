// Copies the files the server reads at run time beside its code (every file under server/src that
// is not TypeScript: the directory's Lua scripts) into server/dist, after tsc. Runs once per
// `npm run build:server` and per integration/e2e run (integration/support/buildServer.ts).
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../server/src', import.meta.url));
const target = fileURLToPath(new URL('../server/dist', import.meta.url));

// A filter that keeps folders (to descend) and non-.ts files: tsc emits the code, this the rest.
cpSync(source, target, {
  recursive: true,
  filter: (path) => !path.endsWith('.ts'),
});
