// The machine's CPU as a whole, from /proc/stat: read once per sample (once a second), so a run can
// tell its own processes' CPU from other load that shares the cores and disturbs the figures.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux USER_HZ: /proc/stat counts in these (as /proc/PID/stat, see bench/support.ts). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds all cores have spent busy since boot (user, nice, system, irq, softirq, steal). */
export function hostBusySeconds(stat = readFileSync('/proc/stat', 'utf8')): number {
  const line = stat.split('\n', 1)[0]!;
  const [label, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/);
  if (label !== 'cpu') throw new Error(`/proc/stat starts with "${label}", not "cpu"`);
  const busy = [user, nice, system, irq, softirq, steal].reduce((sum, v) => sum + Number(v ?? 0), 0);
  return busy / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds this process (the profiler) has used. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export function coreCount(): number {
  return cpus().length;
}
