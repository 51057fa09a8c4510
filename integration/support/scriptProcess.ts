// Runs one of the repo's entry points (the bot CLI and the profiler under tsx, the compiled server)
// as a child process, collecting its output, for tests that run a CLI to completion. Once per run.
import { type ChildProcess, spawn } from 'node:child_process';
import { repoRoot } from './serverProcess.js';

export interface ScriptProcess {
  readonly child: ChildProcess;
  /** Everything written so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once the process has exited and its output is closed. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Node's arguments for running TypeScript: tsx, and @tickwire/protocol from its sources (the
 * "tickwire-source" export condition; without it the import would be the compiled protocol/dist).
 */
const RUN_SOURCES = ['--conditions=tickwire-source', '--import', 'tsx'] as const;

/**
 * `node --conditions=tickwire-source --import tsx <script> ...args` from the repo root, or plain
 * `node <script> ...args` for compiled JavaScript (server/dist/main.js), in `env`; the caller
 * decides how long to wait.
 */
export function startScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ScriptProcess {
  const node = script.endsWith('.ts') ? [...RUN_SOURCES, script] : [script];
  const child = spawn(process.execPath, [...node, ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output.stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    get stdout() {
      return output.stdout;
    },
    get stderr() {
      return output.stderr;
    },
    exited,
  };
}
