// Integration: a 20-second churn soak (soak/main.ts, run as the CLI is, on the compiled server the
// global setup built): bots join, play, are reset by the proxy, resume and leave; after everyone
// has gone the server holds no player, entity, session, seat, room or extra timer. Once per run.
import { describe, expect, it } from 'vitest';
import { startScript } from './support/scriptProcess.js';

describe('churn soak', () => {
  it('leaves no player, entity, session, seat, room or timer behind after 20 seconds of churn', async () => {
    const soak = startScript('soak/main.ts', [
      '--minutes',
      String(20 / 60),
      '--bots',
      '12',
      '--rooms',
      '3',
      '--sample-seconds',
      '10',
      '--drop-every-ms',
      '1000',
      '--json',
    ]);
    const exit = await soak.exited;
    const lines = soak.stdout.trim().split('\n');
    const report = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    expect({ exit: exit.code, stderr: soak.stderr }).toEqual({ exit: 0, stderr: '' });
    expect(report.left).toEqual({
      players: 0,
      away: 0,
      entities: 0,
      sessions: 0,
      seats: 0,
      rooms: 0,
      timers: 0,
      redisKeys: null,
    });
    // The churn happened: players came and went, and connections were reset and resumed.
    expect(report.joins).toBeGreaterThan(0);
    expect(report.leaves).toBeGreaterThan(0);
    expect(report.drops).toBeGreaterThan(0);
    expect((report.resumeMs as { count: number }).count).toBeGreaterThan(0);
  }, 150_000);
});
