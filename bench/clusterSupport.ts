// Bench plumbing for the scale-out benches: start N Tickwire processes on one redis-server (free
// loopback ports, one shared seat secret), wait until each is registered, stop them by PID. Used
// once per bench run (npm run bench:cluster, bench:matchmake-redis, bench:cluster-kill).
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { delay, getJson, startServer, stopProcess } from './support.js';

export interface Member {
  id: string;
  child: ChildProcess;
  url: string;
  port: number;
}

/** Every member signs and checks seats with this (TICKWIRE_SEAT_SECRET, inherited by the children). */
export function shareSeatSecret(): void {
  process.env.TICKWIRE_SEAT_SECRET ??= randomBytes(32).toString('base64url');
}

/** Start a process of the cluster with `--redis-url`; resolves once its first heartbeat reached Redis. */
export async function startMember(redisUrl: string, id: string, extra: readonly string[] = []): Promise<Member> {
  shareSeatSecret();
  const started = await startServer(['--redis-url', redisUrl, '--process-id', id, ...extra]);
  const member = { id, child: started.child, url: started.url, port: Number(new URL(started.url).port) };
  const deadline = performance.now() + 20_000;
  while ((await getJson<{ lastHeartbeatAgoMs?: number | null }>(`${member.url}/healthz`)).lastHeartbeatAgoMs == null) {
    if (performance.now() > deadline) {
      await stopProcess(member.child);
      throw new Error(`process ${id} never registered in Redis`);
    }
    await delay(50);
  }
  return member;
}

/** Start `count` members (ids p0, p1, …) one after the other (tsx compiles each; 2 cores). */
export async function startMembers(redisUrl: string, count: number, extra: readonly string[] = []): Promise<Member[]> {
  const members: Member[] = [];
  try {
    for (let i = 0; i < count; i++) members.push(await startMember(redisUrl, `p${i}`, extra));
  } catch (error) {
    await stopMembers(members);
    throw error;
  }
  return members;
}

export async function stopMembers(members: readonly Member[]): Promise<void> {
  await Promise.all(members.map((m) => stopProcess(m.child)));
}

export function loadAverage(): string {
  return loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
}

export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
