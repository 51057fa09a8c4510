// Integration: delta snapshots end to end against the real server process. Every client's
// reconstruction equals the server's own state (DEBUG_STATE); DEBUG_STATE_REQUEST is refused without
// --debug-state; straight movement costs only the snapshot header, with one body per tick; a client
// that stops reading is skipped, then either catches up exactly or is closed with 4009 SLOW_CLIENT.
import {
  ClientMessageId,
  CloseCode,
  encodeClientMessage,
  mulberry32,
  ServerMessageId,
  SNAPSHOT_HEADER_MAX_BYTES,
} from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdleCrowd } from './support/crowd.js';
import { Player } from './support/player.js';
import { joinSeat } from './support/seats.js';
import { getHealth, type ServerProcess, startServer, waitForHealth } from './support/serverProcess.js';
import { type DebugStateArrival, EVENT_TIMEOUT_MS, TestClient } from './support/testClient.js';
import { idsIn, worldOfTuples } from './support/world.js';

/** Directions a turning player picks from: axes, diagonals, non-whole floats, a stop and a too-long vector. */
const DIRECTIONS = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1],
  [0.6, 0.8],
  [-0.6, 0.8],
  [0.28, -0.96],
  [0, 0],
  [1, 1],
  [-0.5, -0.5],
] as const;

interface SnapshotCounters {
  snapshotTicks: number;
  bodyEncodes: number;
  fullOnJoin: number;
  fullFallbacks: number;
  backpressureSkips: number;
}

const snapshotCounters = (health: Record<string, unknown>) => health.snapshots as SnapshotCounters;
const closesOf = (health: Record<string, unknown>) => health.closes as Record<string, number>;

/** The invariant of delta decoding: what the client applied is what the server holds, at the same tick. */
function expectMatchesServer(reply: DebugStateArrival, who: string): void {
  expect(reply.appliedTick, `${who}: DEBUG_STATE tick vs the last snapshot applied`).toBe(reply.message.tick);
  expect(reply.world, `${who}: reconstructed world vs DEBUG_STATE at tick ${reply.message.tick}`).toEqual(
    worldOfTuples(reply.message.entities),
  );
}

describe('--debug-state true: players turning, leaving and joining', () => {
  const PLAYERS = 5;
  /** Rounds of ~200 ms; every third ends with each player asking for the debug state. */
  const ROUNDS = 15;
  const SNAPSHOTS_PER_ROUND = 6;
  let server: ServerProcess;
  const players: Player[] = [];
  /** Everyone who played, including those who left. */
  const everyone: Player[] = [];

  beforeAll(async () => {
    server = await startServer(['--debug-state', 'true']);
    for (let i = 0; i < PLAYERS; i++) players.push(await Player.join(await joinSeat(server.url), `turner${i}`));
    everyone.push(...players);
    await Promise.all(players.map((player) => player.nextSnapshot()));
  });

  afterAll(async () => {
    await Promise.all(players.map((player) => player.close().catch(() => {})));
    await server?.stop();
  });

  it("every DEBUG_STATE reply equals the client's reconstructed world at the same tick", async () => {
    const random = mulberry32(7);
    const replies: { who: string; reply: DebugStateArrival }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const player of players) {
        const [moveX, moveY] = DIRECTIONS[Math.floor(random() * DIRECTIONS.length)]!;
        player.startInputs(moveX, moveY);
      }
      if (round === 4 || round === 9) {
        // The oldest player leaves and a new one takes its place (the server reuses the lowest free
        // id). The first time, the others see the leave before the join: a `removed`. The second
        // time the join follows at once, so it may land in the same snapshot as the leave.
        const leaver = players.shift()!;
        const leaverId = leaver.playerId;
        await leaver.close();
        if (round === 4) {
          await Promise.all(
            players.map((p) => p.nextSnapshot((_s, world) => world[leaverId] === undefined, EVENT_TIMEOUT_MS, 'leave')),
          );
        }
        const joined = await Player.join(await joinSeat(server.url), `turner${PLAYERS + round}`);
        await joined.nextSnapshot();
        players.push(joined);
        everyone.push(joined);
      }
      const from = (await players[0]!.nextSnapshot()).tick;
      await players[0]!.nextSnapshot((s) => s.tick >= from + SNAPSHOTS_PER_ROUND - 1);
      if (round % 3 === 2) {
        const answered = await Promise.all(players.map((player) => player.requestDebugState()));
        for (const [i, reply] of answered.entries()) replies.push({ who: `player ${players[i]!.playerId}`, reply });
      }
    }

    expect(replies.length).toBeGreaterThanOrEqual(PLAYERS * Math.floor(ROUNDS / 3));
    for (const { who, reply } of replies) {
      expectMatchesServer(reply, who);
      expect(idsIn(reply.world)).toHaveLength(PLAYERS);
    }
  });

  it('each client decoded deltas with changed, created and removed entities, and only its first snapshot was full', () => {
    const deltas = everyone.flatMap((player) => player.snapshots.items.filter((a) => a.snapshot.baseAge > 0));
    expect(deltas.some((a) => a.snapshot.changed.length > 0)).toBe(true);
    expect(deltas.some((a) => a.snapshot.created.length > 0)).toBe(true);
    expect(deltas.some((a) => a.snapshot.removed.length > 0)).toBe(true);
    for (const player of everyone) {
      expect(player.protocolErrors).toEqual([]);
      expect(player.connection.stats.fullSnapshots).toBe(1);
    }
  });
});

describe('without --debug-state', () => {
  let server: ServerProcess;
  let honest: Player;

  beforeAll(async () => {
    server = await startServer();
    honest = await Player.join(await joinSeat(server.url), 'honest');
    honest.startInputs(1, 0);
  });

  afterAll(async () => {
    await honest?.close().catch(() => {});
    await server?.stop();
  });

  it(`a DEBUG_STATE_REQUEST from a playing client is closed with ${CloseCode.UNEXPECTED_MESSAGE} UNEXPECTED_MESSAGE`, async () => {
    const client = await TestClient.join(await joinSeat(server.url), 'curious');
    await client.nextSnapshot();
    client.requestDebugState();
    expect((await client.waitClosed()).code).toBe(CloseCode.UNEXPECTED_MESSAGE);
    expect(client.messages.items.some((message) => message.id === ServerMessageId.DEBUG_STATE)).toBe(false);
    expect(client.undecodable).toEqual([]);
  });

  it('a DEBUG_STATE_REQUEST before HELLO is closed with 4004 too, and the player beside them plays on', async () => {
    const client = await TestClient.connect(await joinSeat(server.url));
    client.sendBytes(encodeClientMessage({ id: ClientMessageId.DEBUG_STATE_REQUEST }));
    expect((await client.waitClosed()).code).toBe(CloseCode.UNEXPECTED_MESSAGE);
    await honest.nextSnapshot();
    expect(honest.closeInfo).toBeUndefined();
    expect(honest.protocolErrors).toEqual([]);
    expect(closesOf(await getHealth(server))).toEqual({ [CloseCode.UNEXPECTED_MESSAGE]: 2 });
  });
});

describe('ten players moving in straight lines', () => {
  const MOVERS = 10;
  /** Ticks of steady movement measured (two seconds at the default 30 Hz). */
  const WINDOW_TICKS = 60;
  let server: ServerProcess;
  const players: Player[] = [];

  beforeAll(async () => {
    server = await startServer();
    for (let i = 0; i < MOVERS; i++) players.push(await Player.join(await joinSeat(server.url), `straight${i}`));
  });

  afterAll(async () => {
    await Promise.all(players.map((player) => player.close().catch(() => {})));
    await server?.stop();
  });

  it('each client comes to see every player moving at the velocity it holds', async () => {
    players.forEach((player, i) => {
      const [moveX, moveY] = DIRECTIONS[i % DIRECTIONS.length]!;
      // (0, 0) would not move: give that player a direction of its own.
      player.startInputs(moveX === 0 && moveY === 0 ? 0.8 : moveX, moveX === 0 && moveY === 0 ? -0.6 : moveY);
    });
    const ids = players.map((player) => player.playerId);
    const allMoving = (world: Record<number, { vx: number; vy: number }>) =>
      ids.every((id) => world[id] !== undefined && (world[id].vx !== 0 || world[id].vy !== 0));
    await Promise.all(players.map((p) => p.nextSnapshot((_s, world) => allMoving(world), 5000, 'all moving')));
  });

  it('while every velocity holds, snapshots carry no created, changed or removed entity: only their header', async () => {
    const marks = players.map((player) => player.snapshots.items.length);
    const before = snapshotCounters(await getHealth(server));
    const from = players[0]!.snapshots.last!.snapshot.tick;
    await players[0]!.nextSnapshot((s) => s.tick >= from + WINDOW_TICKS, 10_000, `${WINDOW_TICKS} ticks`);
    const after = snapshotCounters(await getHealth(server));

    for (const [i, player] of players.entries()) {
      const window = player.snapshots.items.slice(marks[i]);
      expect(window.length).toBeGreaterThan(WINDOW_TICKS / 2);
      for (const { snapshot, bytes } of window) {
        expect({
          tick: snapshot.tick,
          created: snapshot.created,
          changed: snapshot.changed,
          removed: snapshot.removed,
          pong: snapshot.pong,
          shots: snapshot.shots,
          kills: snapshot.kills,
        }).toEqual({ tick: snapshot.tick, created: [], changed: [], removed: [], pong: [], shots: [], kills: [] });
        expect(snapshot.baseAge).toBe(1);
        // [65, head, …what changed of the input figures, 1, [], [], [], [], []]: the per-client part
        // (no tick in a delta, no pong: a Player sends no PING) and six one-byte elements.
        expect(bytes).toBeLessThanOrEqual(SNAPSHOT_HEADER_MAX_BYTES + 6);
      }
    }
    // One body per snapshot tick, shared by all ten clients (they all hold the same baseline).
    expect(after.snapshotTicks - before.snapshotTicks).toBeGreaterThanOrEqual(WINDOW_TICKS);
    expect(after.bodyEncodes - before.bodyEncodes).toBe(after.snapshotTicks - before.snapshotTicks);
  });

  it('only the first snapshot after each join was full: no fallback, no skip, bodies ≤ snapshot ticks + joins', async () => {
    const health = await getHealth(server);
    const counters = snapshotCounters(health);
    for (const player of players) {
      expect(player.connection.stats.fullSnapshots).toBe(1);
      expect(player.protocolErrors).toEqual([]);
    }
    expect(counters.fullOnJoin).toBe(MOVERS);
    expect(counters.fullFallbacks).toBe(0);
    expect(counters.backpressureSkips).toBe(0);
    expect(counters.bodyEncodes).toBeLessThanOrEqual(counters.snapshotTicks + Number(health.joins));
    expect(counters.bodyEncodes).toBeGreaterThan(0);
  });
});

// A client that stops reading. On loopback the kernel takes about 4 MB into the two socket buffers
// before ws's bufferedAmount (what --backpressure-bytes is compared with) grows at all, and snapshots
// alone (a few kB per second) would take minutes to fill them. So the paused client also asks for the
// debug state, under the flood limit, in a world of ~250 entities: each reply is ~3 kB, about
// 0.7 MB per second, and the server keeps sending to a socket that nobody reads.
const SLOW_TICK_RATE = 128;
const SLOW_SNAPSHOT_RATE = 16;
/** Idle players that make the world (and every DEBUG_STATE) big. */
const CROWD = 240;
/** Players that keep turning, so the snapshots after the skip carry changes. */
const TURNERS = 6;
/** DEBUG_STATE_REQUESTs per 10 ms timer wake-up: 200 per second, under the refill of 2 × tick rate = 256 per second. */
const REQUESTS_PER_WAKE = 2;
/** Bound on filling the socket buffers (about 6 s at 0.7 MB per second). @default 45 000 ms */
const FILL_TIMEOUT_MS = 45_000;
/** Each backpressure test: the fill, then reading everything back. @default 120 000 ms */
const BACKPRESSURE_TEST_TIMEOUT_MS = 120_000;

interface SlowClientRoom {
  server: ServerProcess;
  crowd: IdleCrowd;
  turners: Player[];
  slow: TestClient;
  stopTurning(): void;
}

/** A room of idle players and turners, and the client that will stop reading. */
async function startSlowClientRoom(backpressureTimeoutMs: number): Promise<SlowClientRoom> {
  const server = await startServer([
    // A 4009 keeps a player for the resume grace; these tests count the slow one gone at once.
    '--reconnect-grace-ms',
    '0',
    '--debug-state',
    'true',
    '--tick-rate',
    String(SLOW_TICK_RATE),
    '--snapshot-rate',
    String(SLOW_SNAPSHOT_RATE),
    '--backpressure-bytes',
    '1024',
    '--backpressure-timeout-ms',
    String(backpressureTimeoutMs),
    // A client that does not read does not answer pings either: keep the heartbeat out of the way.
    '--heartbeat-ms',
    '600000',
  ]);
  try {
    const crowd = await IdleCrowd.join(server.url, CROWD);
    const turners: Player[] = [];
    for (let i = 0; i < TURNERS; i++) turners.push(await Player.join(await joinSeat(server.url), `turner${i}`));
    const random = mulberry32(11);
    const turn = () => {
      for (const player of turners) {
        const [moveX, moveY] = DIRECTIONS[Math.floor(random() * DIRECTIONS.length)]!;
        player.startInputs(moveX, moveY);
      }
    };
    turn();
    const turning = setInterval(turn, 300);
    const slow = await TestClient.join(await joinSeat(server.url), 'slow');
    await slow.nextSnapshot();
    return { server, crowd, turners, slow, stopTurning: () => clearInterval(turning) };
  } catch (error) {
    // The clients die with the server; the test process must not keep a server running.
    await server.stop();
    throw error;
  }
}

async function stopSlowClientRoom(room: SlowClientRoom | undefined): Promise<void> {
  if (room === undefined) return;
  room.stopTurning();
  room.slow.ws.terminate();
  await Promise.all(room.turners.map((player) => player.close().catch(() => {})));
  await room.crowd.close().catch(() => {});
  await room.server.stop();
}

/**
 * Pause the slow client's reading and ask for the debug state until the server skips a snapshot
 * for it. Returns how many requests were sent (each is answered once the client reads again).
 */
async function backUp(room: SlowClientRoom): Promise<number> {
  room.slow.ws.pause();
  let requests = 0;
  // setInterval does not catch up after a stall, so bursts never exceed the flood limit's bucket.
  const spam = setInterval(() => {
    for (let i = 0; i < REQUESTS_PER_WAKE && room.slow.isOpen; i++, requests++) room.slow.requestDebugState();
  }, 10);
  try {
    await waitForHealth(
      room.server,
      (health) => snapshotCounters(health).backpressureSkips > 0,
      FILL_TIMEOUT_MS,
      'a snapshot skipped for the paused client',
    );
  } finally {
    clearInterval(spam);
  }
  return requests;
}

describe('a client that stops reading, then reads again (--backpressure-bytes 1024)', () => {
  let room: SlowClientRoom | undefined;

  beforeAll(async () => {
    // A long timeout: reading again must not race the SLOW_CLIENT close (the next block tests that).
    room = await startSlowClientRoom(60_000);
  });

  afterAll(() => stopSlowClientRoom(room));

  it(
    'is skipped while backed up, then its next snapshot applies and its world equals the server state',
    async () => {
      const { slow, server } = room!;
      const requests = await backUp(room!);
      slow.ws.resume();
      // Everything queued arrives, in order: the snapshots sent before the skip, then every reply.
      await slow.debugStates.find(`${requests} DEBUG_STATE replies`, 30_000, () => {
        return slow.debugStates.items.length >= requests;
      });
      await slow.nextSnapshot();
      const reply = slow.debugStates.next('DEBUG_STATE', EVENT_TIMEOUT_MS);
      slow.requestDebugState();
      expectMatchesServer(await reply, 'the client that caught up');
      expect(slow.undecodable).toEqual([]);
      expect(slow.isOpen).toBe(true);

      // The skipped ticks were bridged: a delta with a longer baseAge, or a full snapshot if its
      // baseline had left the server's history meanwhile (about one second).
      const interval = SLOW_TICK_RATE / SLOW_SNAPSHOT_RATE;
      const later = slow.snapshots.items.slice(1).map((a) => a.snapshot.baseAge);
      expect(later.some((baseAge) => baseAge !== interval)).toBe(true);
      const health = await getHealth(server);
      const counters = snapshotCounters(health);
      expect(counters.backpressureSkips).toBeGreaterThan(0);
      expect(counters.fullFallbacks).toBe(later.filter((baseAge) => baseAge === 0).length);
      expect(closesOf(health)).toEqual({});
      for (const player of room!.turners) {
        expect(player.closeInfo).toBeUndefined();
        expect(player.protocolErrors).toEqual([]);
      }
    },
    BACKPRESSURE_TEST_TIMEOUT_MS,
  );
});

describe('a client that stops reading for good (--backpressure-bytes 1024 --backpressure-timeout-ms 1500)', () => {
  let room: SlowClientRoom | undefined;

  beforeAll(async () => {
    room = await startSlowClientRoom(1500);
  });

  afterAll(() => stopSlowClientRoom(room));

  it(
    `is closed with ${CloseCode.SLOW_CLIENT} SLOW_CLIENT, and no one else is`,
    async () => {
      const { slow, server, crowd, turners } = room!;
      await backUp(room!);
      const health = await waitForHealth(
        server,
        (h) => closesOf(h)[CloseCode.SLOW_CLIENT] === 1,
        30_000,
        `the ${CloseCode.SLOW_CLIENT} close`,
      );
      expect(closesOf(health)).toEqual({ [CloseCode.SLOW_CLIENT]: 1 });
      expect(health.players).toBe(CROWD + TURNERS);
      // The close frame waits behind everything queued before it: the client sees it once it reads again.
      slow.ws.resume();
      expect((await slow.waitClosed(30_000)).code).toBe(CloseCode.SLOW_CLIENT);
      expect(slow.undecodable).toEqual([]);
      expect(crowd.openCount).toBe(CROWD);
      for (const player of turners) {
        await player.nextSnapshot();
        expect(player.closeInfo).toBeUndefined();
        expect(player.protocolErrors).toEqual([]);
      }
    },
    BACKPRESSURE_TEST_TIMEOUT_MS,
  );
});
