// Runs the cluster's server processes: starts each, prefixes every line it prints with its index,
// forwards SIGINT/SIGTERM to each by PID, and settles with the launcher's exit code once all have
// exited. Once per `npm run cluster`.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface LaunchPlan {
  /** The node binary, and the script before each process's own arguments. */
  command: string;
  script: string;
  /** One argv per process, in index order. */
  argvs: readonly string[][];
  env: NodeJS.ProcessEnv;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export interface Launched {
  readonly pids: readonly number[];
  /**
   * Sends `signal` to every process still running, with the server's meaning (SIGTERM drains, SIGINT
   * or a second SIGTERM stops at once); the third call sends SIGKILL (a server stuck in its shutdown).
   * Safe to call any number of times.
   */
  stop(signal: NodeJS.Signals): void;
  /** 0 once all have exited after stop() with code 0 or the signal sent; 1 if one died on its own or failed. */
  readonly exitCode: Promise<number>;
}

/**
 * The launcher's one lifecycle: running (a process that exits now died on its own) → stopping (after
 * the first stop(): exits are expected) → done (every process has exited; exitCode settles).
 */
type Phase = 'running' | 'stopping' | 'done';

export function launch(plan: LaunchPlan, output: Output): Launched {
  let phase: Phase = 'running';
  let failed = false;
  /** Signals sent by stop() but SIGKILL: a process that ends by one of them was stopped, not failed. */
  const sentSignals = new Set<NodeJS.Signals>();
  let stops = 0;
  const children: ChildProcess[] = plan.argvs.map((argv, index) => {
    // Their own process group: a Ctrl-C in the terminal reaches the launcher only, which forwards it
    // once; a second SIGINT straight from the terminal would cut a server's clean shutdown short.
    const child = spawn(plan.command, [plan.script, ...argv], {
      env: plan.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    createInterface({ input: child.stdout! }).on('line', (line) => output.out(`[${index}] ${line}`));
    createInterface({ input: child.stderr! }).on('line', (line) => output.err(`[${index}] ${line}`));
    return child;
  });

  const exitCode = new Promise<number>((resolve) => {
    let running = children.length;
    children.forEach((child, index) => {
      const exited = (code: number | null, signal: NodeJS.Signals | null) => {
        const clean = phase === 'stopping' && (code === 0 || (signal !== null && sentSignals.has(signal)));
        if (!clean) failed = true;
        const how = signal === null ? `code ${code}` : `signal ${signal}`;
        const why = phase === 'running' ? 'died on its own' : 'exited';
        output.err(`[${index}] process ${child.pid ?? '(not started)'} ${why} (${how})`);
        running -= 1;
        if (running === 0) {
          phase = 'done';
          resolve(failed ? 1 : 0);
        }
      };
      // A process that could not be spawned has no exit event, only an error.
      child.once('error', (error) => {
        if (child.pid === undefined) exited(null, null);
        else output.err(`[${index}] ${error.message}`);
      });
      child.once('close', exited);
    });
  });

  return {
    pids: children.map((child) => child.pid ?? -1),
    stop(signal) {
      if (phase === 'done') return;
      stops += 1;
      phase = 'stopping';
      // A process killed by the third (SIGKILL) did not shut down cleanly: it counts as a failure.
      const sent: NodeJS.Signals = stops <= 2 ? signal : 'SIGKILL';
      if (sent !== 'SIGKILL') sentSignals.add(sent);
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill(sent);
      }
    },
    exitCode,
  };
}
