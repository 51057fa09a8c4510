// Runs one of the repo's TypeScript entry points (the bot CLI, the profiler) as a child process
// under tsx, collecting its output, for tests that run a CLI to completion. Once per run.
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

/** `node --import tsx <script> ...args` from the repo root; the caller decides how long to wait. */
export function startScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ScriptProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
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
