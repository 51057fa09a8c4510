// Integration: slow readers are caught by what they acknowledge, against the real server process.
// A client that stops reading its socket but keeps sending INPUT with a stale ackTick is skipped and
// closed with 4009 SLOW_CLIENT (the kernel would absorb megabytes before any byte stayed queued in
// Node); a client that renders nothing but reads every frame and ACKs from its message handler is
// never skipped. Short configured timers; every wait polls for a condition.
import { CloseCode } from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Player } from './support/player.js';
import { joinSeat } from './support/seats.js';
import { getHealth, type ServerProcess, startServer, waitForHealth } from './support/serverProcess.js';
import { TestClient } from './support/testClient.js';

/** A short timeout so the test ends soon after the skips start; the default is 5000 ms. */
const BACKPRESSURE_TIMEOUT_MS = 1000;
/** Bound on each poll: generous, since the machine is shared; never a figure under test. @default 30 000 ms */
const POLL_TIMEOUT_MS = 30_000;
/** INPUT interval of the paused reader: one per tick at 30 Hz. */
const INPUT_INTERVAL_MS = 33;

const closesOf = (health: Record<string, unknown>) => health.closes as Record<string, number>;
const skipsOf = (health: Record<string, unknown>) =>
  (health.snapshots as { backpressureSkips: number }).backpressureSkips;

describe(`slow readers (--backpressure-timeout-ms ${BACKPRESSURE_TIMEOUT_MS})`, () => {
  let server: ServerProcess;

  beforeAll(async () => {
    // A 4009 keeps a player for the resume grace; these tests count the slow one gone at once.
    server = await startServer([
      '--reconnect-grace-ms',
      '0',
      '--backpressure-timeout-ms',
      String(BACKPRESSURE_TIMEOUT_MS),
    ]);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it(`a reader that stops reading but keeps sending INPUT with a stale ackTick is skipped, then closed with ${CloseCode.SLOW_CLIENT}, and the others play on`, async () => {
    const player = await Player.join(await joinSeat(server.url), 'player');
    player.startInputs(1, 0);
    const reader = await TestClient.join(await joinSeat(server.url), 'paused');
    await reader.nextSnapshot();
    const skipsBefore = skipsOf(await getHealth(server));
    // Stop reading the socket: what is in the kernel's buffers stays there, and so does the ack.
    (reader.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const staleAck = reader.snapshots.last!.snapshot.tick;
    const inputs = setInterval(() => {
      if (reader.isOpen) reader.input({ ackTick: staleAck });
    }, INPUT_INTERVAL_MS);
    try {
      const skipped = await waitForHealth(
        server,
        (h) => skipsOf(h) > skipsBefore,
        POLL_TIMEOUT_MS,
        'a skipped snapshot',
      );
      expect(closesOf(skipped)[CloseCode.SLOW_CLIENT]).toBeUndefined();
      const closed = await waitForHealth(
        server,
        (h) => closesOf(h)[CloseCode.SLOW_CLIENT] === 1,
        POLL_TIMEOUT_MS,
        `the ${CloseCode.SLOW_CLIENT} close`,
      );
      expect(closesOf(closed)).toEqual({ [CloseCode.SLOW_CLIENT]: 1 });
      expect(closed.players).toBe(1);
    } finally {
      clearInterval(inputs);
    }
    // The close frame waits behind everything the kernel holds: the reader sees it once it reads again.
    reader.ws.resume();
    (reader.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await reader.waitClosed(POLL_TIMEOUT_MS)).code).toBe(CloseCode.SLOW_CLIENT);
    expect(reader.undecodable).toEqual([]);
    await player.nextSnapshot();
    expect(player.closeInfo).toBeUndefined();
    expect(player.protocolErrors).toEqual([]);
    await player.close();
  }, 90_000);
});

describe(`a client that renders nothing (--backpressure-timeout-ms ${BACKPRESSURE_TIMEOUT_MS})`, () => {
  let server: ServerProcess;

  beforeAll(async () => {
    // A 4009 keeps a player for the resume grace; these tests count the slow one gone at once.
    server = await startServer([
      '--reconnect-grace-ms',
      '0',
      '--backpressure-timeout-ms',
      String(BACKPRESSURE_TIMEOUT_MS),
    ]);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('but reads every frame and ACKs from its message handler (no INPUT) is never skipped', async () => {
    const before = await getHealth(server);
    const hidden = await TestClient.join(await joinSeat(server.url), 'hidden');
    const first = await hidden.nextSnapshot();
    const tickRate = hidden.welcome!.tickRate;
    // Past the ack-lag limit (2 × tickRate ticks) and the timeout after it, with as much again to spare.
    const lastTick = first.tick + 2 * (2 * tickRate + (BACKPRESSURE_TIMEOUT_MS * tickRate) / 1000);
    await hidden.nextSnapshot(
      (snapshot) => snapshot.tick >= lastTick,
      POLL_TIMEOUT_MS,
      `the snapshot of tick ${lastTick}`,
    );
    const ticks = hidden.snapshots.items.map((arrival) => arrival.snapshot.tick);
    expect(ticks.slice(1).every((tick, i) => tick === ticks[i]! + 1)).toBe(true);
    expect(hidden.isOpen).toBe(true);
    expect(hidden.undecodable).toEqual([]);
    const after = await getHealth(server);
    expect(skipsOf(after)).toBe(skipsOf(before));
    expect(closesOf(after)).toEqual(closesOf(before));
    // The only player: its round trip comes from its ACKs alone, and it counts as applying.
    expect(after.players).toBe(1);
    expect(after.acks).toMatchObject({ meanRttMs: expect.any(Number), clientsNotApplying: 0 });
    await hidden.close();
  }, 60_000);
});
