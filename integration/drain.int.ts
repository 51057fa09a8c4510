// Integration: the process lifecycle (server/src/processLifecycle.ts) in the real server process,
// driven by real signals. SIGTERM drains: POST /matchmake answers 503 `draining`, /healthz stays 200
// and says so, players keep playing and a seat issued before is still honoured; the process exits 0
// once its rooms are empty, or closes the rest with 1001 at --drain-deadline-ms; a second SIGTERM
// stops at once. One server per test (each ends it).
import { CloseCode } from '@tickwire/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { matchmake } from '../client/src/net/matchmake.js';
import { withTimeout } from './support/events.js';
import { Player } from './support/player.js';
import { createRoom, seatIn } from './support/seats.js';
import { httpGet, type ServerProcess, startServer, waitForHealth } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS } from './support/testClient.js';

/** Longer than any test here may run: a drain that ends by itself did not end by its deadline. */
const FAR_DEADLINE_MS = 600_000;
/** How long a test waits for the process to exit once it should (not a bound on how fast it does). */
const EXIT_TIMEOUT_MS = 20_000;

let server: ServerProcess | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** The "drained" log record: how the drain ended. */
function drainedRecord(running: ServerProcess): Record<string, unknown> | undefined {
  return running.logRecords().find((record) => record.msg === 'drained');
}

async function untilDraining(running: ServerProcess): Promise<Record<string, unknown>> {
  return waitForHealth(running, (health) => health.draining === true, EVENT_TIMEOUT_MS, 'the process to be draining');
}

describe('process lifecycle: draining on SIGTERM', () => {
  it('draining → stopped (drained): refuses new seats, plays on, honours a seat issued before, exits 0 once empty', async () => {
    const running = await startServer(['--drain-deadline-ms', String(FAR_DEADLINE_MS)]);
    server = running;
    const first = await createRoom(running.url, { maxPlayers: 4 });
    const player = await Player.join(first, 'stays-a-while');
    player.startInputs(1, 0);
    const promised = await seatIn(running.url, first.roomId);

    running.signal('SIGTERM');
    await untilDraining(running);
    const health = await httpGet(running, '/healthz');
    expect(health.status).toBe(200);
    const body = JSON.parse(health.body) as Record<string, unknown>;
    expect(body.draining).toBe(true);
    expect(body.drainDeadline).toBeGreaterThan(Date.now());

    for (const body of [
      { mode: 'joinOrCreate' },
      { mode: 'create' },
      { mode: 'join', roomId: first.roomId },
    ] as const) {
      const answer = await matchmake(running.url, body);
      expect(answer).toMatchObject({ ok: false, status: 503, error: 'draining' });
    }
    // The room plays on: snapshots keep coming, ticks moving on.
    const before = await player.nextSnapshot();
    await player.nextSnapshot((snapshot) => snapshot.tick >= before.tick + 30, EVENT_TIMEOUT_MS, 'a second of play');
    // A seat was a promise: its holder still gets in while the process drains.
    const latecomer = await Player.join(promised, 'promised-seat');
    await latecomer.nextSnapshot();
    expect(running.exitInfo).toBeUndefined();

    await latecomer.close();
    await player.close();
    expect(await withTimeout(running.exited, EXIT_TIMEOUT_MS, 'the exit')).toEqual({ code: 0, signal: null });
    expect(drainedRecord(running)).toMatchObject({ cause: 'drained', roomsClosedByDeadline: 0 });
    expect(running.logRecords().some((record) => record.msg === 'stopped')).toBe(true);
    expect([player, latecomer].flatMap((p) => p.protocolErrors)).toEqual([]);
  });

  it('draining → stopped (deadline): a player who stays is closed with 1001 at --drain-deadline-ms, and the process exits 0', async () => {
    const running = await startServer(['--drain-deadline-ms', '1500']);
    server = running;
    const player = await Player.join(await createRoom(running.url), 'stays');
    player.startInputs(0, 1);

    running.signal('SIGTERM');
    await untilDraining(running);
    const close = await withTimeout(player.closed, EXIT_TIMEOUT_MS, 'the close at the deadline');
    expect(close.code).toBe(CloseCode.SERVER_SHUTDOWN);
    expect(await withTimeout(running.exited, EXIT_TIMEOUT_MS, 'the exit')).toEqual({ code: 0, signal: null });
    expect(drainedRecord(running)).toMatchObject({ cause: 'deadline', roomsClosedByDeadline: 1 });
  });

  it('draining → stopped (stop): a second SIGTERM during the drain closes everyone with 1001 at once and exits 0', async () => {
    const running = await startServer(['--drain-deadline-ms', String(FAR_DEADLINE_MS)]);
    server = running;
    const player = await Player.join(await createRoom(running.url), 'stays');

    running.signal('SIGTERM');
    await untilDraining(running);
    await player.nextSnapshot();
    running.signal('SIGTERM');
    const close = await withTimeout(player.closed, EXIT_TIMEOUT_MS, 'the close on the second SIGTERM');
    expect(close.code).toBe(CloseCode.SERVER_SHUTDOWN);
    expect(await withTimeout(running.exited, EXIT_TIMEOUT_MS, 'the exit')).toEqual({ code: 0, signal: null });
    expect(drainedRecord(running)).toMatchObject({ cause: 'stop' });
  });

  it('running → draining → stopped (drained) at once: an idle process exits 0 on SIGTERM', async () => {
    const running = await startServer(['--drain-deadline-ms', String(FAR_DEADLINE_MS)]);
    server = running;

    running.signal('SIGTERM');
    expect(await withTimeout(running.exited, EXIT_TIMEOUT_MS, 'the exit')).toEqual({ code: 0, signal: null });
    expect(drainedRecord(running)).toMatchObject({ cause: 'drained', roomsClosedByDeadline: 0 });
  });
});
