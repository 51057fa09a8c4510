// Integration: the real server process with several real clients, each seated by POST /matchmake:
// joins, movement seen by others, leaves, room full, version mismatch, HTTP (healthz, static files),
// the room socket's upgrade checks (Origin, unknown and disposed rooms), SIGINT (SIGTERM's drain is
// drain.int.ts's), heartbeat, handshake timeout.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANGLE_STEPS, ARENA_RULES, CloseCode, POSITION_SCALE, PROTOCOL_VERSION } from '@tickwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { matchmake } from '../client/src/net/matchmake.js';
import { INPUT_INTERVAL_MS, Player } from './support/player.js';
import { createRoom, joinSeat, seatIn, type Ticket } from './support/seats.js';
import { getHealth, httpGet, type ServerProcess, startServer } from './support/serverProcess.js';
import { TestClient, tryUpgrade } from './support/testClient.js';
import { idsIn } from './support/world.js';

/**
 * WELCOME.maxEntityId at the default --max-players 256: players take ids 1 … 256 and the projectile
 * pool (two per player) the ids after them, 3 × --max-players (PROTOCOL.md, WELCOME).
 */
const DEFAULT_MAX_ENTITY_ID = 768;

/** Position quanta one tick of full-speed movement covers at the server's tick rate. */
function quantaPerTick(tickRate: number): number {
  return Math.round((ARENA_RULES.speed * POSITION_SCALE) / tickRate);
}

describe('a room on the default settings', () => {
  let server: ServerProcess;
  let staticRoot: string;
  const indexHtml = `<!doctype html><title>tickwire integration ${process.pid}</title>`;
  const players: Player[] = [];

  beforeAll(async () => {
    // <tmp>/secret.txt sits beside the static folder <tmp>/static: traversal must not reach it.
    staticRoot = await mkdtemp(join(tmpdir(), 'tickwire-int-'));
    await mkdir(join(staticRoot, 'static'));
    await writeFile(join(staticRoot, 'static', 'index.html'), indexHtml);
    await writeFile(join(staticRoot, 'secret.txt'), 'secret');
    server = await startServer(['--static-dir', join(staticRoot, 'static')]);
  });

  afterAll(async () => {
    await Promise.all(players.map((player) => player.close().catch(() => {})));
    await server?.stop();
    if (staticRoot !== undefined) await rm(staticRoot, { recursive: true, force: true });
  });

  describe('three players', () => {
    /** The player that sends inputs moving east (the westernmost at the start). */
    let mover: Player;

    beforeAll(async () => {
      // Joined one after another, so the spawn order is the join order.
      for (const name of ['alice', 'bob', 'carol']) players.push(await Player.join(await joinSeat(server.url), name));
    });

    it('WELCOME gives each client a distinct player id and the server settings', () => {
      const welcomes = players.map((player) => player.connection.welcome!);
      const ids = welcomes.map((welcome) => welcome.playerId);
      expect(new Set(ids).size).toBe(3);
      for (const welcome of welcomes) {
        expect(welcome.playerId).toBeGreaterThan(0);
        expect(welcome).toMatchObject({
          protocolVersion: PROTOCOL_VERSION,
          tickRate: server.listening.tickRate,
          snapshotRate: server.listening.snapshotRate,
          worldWidth: ARENA_RULES.width,
          worldHeight: ARENA_RULES.height,
          positionScale: POSITION_SCALE,
          angleSteps: ANGLE_STEPS,
          speed: ARENA_RULES.speed,
          maxEntityId: DEFAULT_MAX_ENTITY_ID,
        });
      }
      // Later joiners joined at a later (or the same) tick.
      expect(welcomes[1]!.tick).toBeGreaterThanOrEqual(welcomes[0]!.tick);
      expect(welcomes[2]!.tick).toBeGreaterThanOrEqual(welcomes[1]!.tick);
    });

    it("each client's world comes to hold all three players, at ticks after its WELCOME", async () => {
      const ids = players.map((player) => player.playerId).sort((a, b) => a - b);
      for (const player of players) {
        const snapshot = await player.nextSnapshot(
          (_s, world) => idsIn(world).join() === ids.join(),
          5000,
          'all three players',
        );
        expect(snapshot.tick).toBeGreaterThan(player.connection.welcome!.tick);
        for (const state of Object.values(player.world)) {
          expect(state.x).toBeLessThanOrEqual(ARENA_RULES.width * POSITION_SCALE);
          expect(state.y).toBeLessThanOrEqual(ARENA_RULES.height * POSITION_SCALE);
        }
        expect(player.protocolErrors).toEqual([]);
        // Only the first snapshot after WELCOME carried the whole world; every later one was a delta.
        expect(player.connection.stats.fullSnapshots).toBe(1);
        expect(player.snapshots.items[0]!.snapshot.baseAge).toBe(0);
      }
    });

    it('the other clients see a player that sends inputs moving east move east', async () => {
      const latest = players[0]!.world;
      // The westernmost player moves, so the east edge is far away.
      mover = [...players].sort((a, b) => latest[a.playerId]!.x - latest[b.playerId]!.x)[0]!;
      const others = players.filter((player) => player !== mover);
      const tickRate = Number(server.listening.tickRate);
      const startX = latest[mover.playerId]!.x;
      const distance = 10 * quantaPerTick(tickRate);
      expect(startX + 2 * distance).toBeLessThan(ARENA_RULES.width * POSITION_SCALE);

      const seen = others.map((observer) => observer.snapshots.items.length);
      mover.startInputs(1, 0);
      await Promise.all(
        others.map((observer) =>
          observer.nextSnapshot(
            (_s, world) => (world[mover.playerId]?.x ?? 0) >= startX + distance,
            5000,
            `player ${mover.playerId} to move ${distance} quanta east`,
          ),
        ),
      );
      mover.stopInputs();
      others.forEach((observer, i) => {
        const xs = observer.snapshots.items.slice(seen[i]).map((a) => a.world[mover.playerId]!.x);
        // Never moves west, and each observer saw it moving with an eastward velocity.
        for (let k = 1; k < xs.length; k++) expect(xs[k]!).toBeGreaterThanOrEqual(xs[k - 1]!);
        const last = observer.world[mover.playerId]!;
        expect(last.vx).toBeGreaterThan(0);
        expect(last.vy).toBe(0);
        expect(last.angle).toBe(0);
      });
    });

    it("snapshots carry each client's own lastInputSeq, which reaches the seq of its last input", async () => {
      const lastSeq = mover.lastSentSeq;
      expect(lastSeq).toBeGreaterThan(0);
      await mover.snapshots.find(`lastInputSeq ${lastSeq}`, 5000, (a) => a.snapshot.lastInputSeq === lastSeq);
      const seqs = mover.snapshots.items.map((a) => a.snapshot.lastInputSeq);
      for (let k = 1; k < seqs.length; k++) expect(seqs[k]!).toBeGreaterThanOrEqual(seqs[k - 1]!);
      expect(Math.max(...seqs)).toBe(lastSeq);
      // The others never sent an input: their snapshots say 0, not the mover's seq.
      for (const other of players.filter((player) => player !== mover)) {
        await other.nextSnapshot();
        expect(new Set(other.snapshots.items.map((a) => a.snapshot.lastInputSeq))).toEqual(new Set([0]));
      }
    });

    it("a player that leaves disappears from the others' later snapshots", async () => {
      const leaver = players.pop()!;
      const leaverId = leaver.playerId;
      await leaver.close();
      for (const stayer of players) {
        await stayer.nextSnapshot((_s, world) => world[leaverId] === undefined, 5000, `player ${leaverId} gone`);
        for (let i = 0; i < 3; i++) {
          await stayer.nextSnapshot();
          expect(idsIn(stayer.world)).not.toContain(leaverId);
        }
        expect(stayer.closeInfo).toBeUndefined();
      }
      const health = await getHealth(server);
      expect(health.players).toBe(2);
      expect(health.leaves).toBe(1);
    });
  });

  it('a HELLO with protocol version 999 is closed with 4005 VERSION_MISMATCH', async () => {
    const client = await TestClient.connect(await joinSeat(server.url));
    client.hello('future', 999);
    const closed = await client.waitClosed();
    expect(closed.code).toBe(CloseCode.VERSION_MISMATCH);
    expect(client.welcome).toBeUndefined();
  });

  describe('HTTP', () => {
    it('GET /healthz answers 200 with JSON status "ok"', async () => {
      const response = await httpGet(server, '/healthz');
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^application\/json/);
      const health = JSON.parse(response.body) as Record<string, unknown>;
      expect(health.status).toBe('ok');
      expect(health.tickRate).toBe(server.listening.tickRate);
      expect((health.ticks as { run: number }).run).toBeGreaterThan(0);
    });

    it('GET / serves index.html from --static-dir', async () => {
      const response = await httpGet(server, '/');
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^text\/html/);
      expect(response.body).toBe(indexHtml);
    });

    it.each(['/%', '/%E0%A4%A', '/assets/%zz.png'])(
      'a malformed percent-encoding (%s) answers 400, not an error',
      async (path) => {
        const response = await httpGet(server, path);
        expect(response.status).toBe(400);
      },
    );

    it.each([
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/static/..%2f..%2fsecret.txt',
      '/../../../../../../etc/passwd',
      '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    ])('a path escaping the static folder (%s) answers 404', async (path) => {
      const response = await httpGet(server, path);
      expect(response.status).toBe(404);
      expect(response.body).not.toContain('secret');
      expect(response.body).not.toContain('root:');
    });
  });

  describe('WebSocket upgrade checks', () => {
    /** A live room's socket. */
    let room: Ticket;
    beforeAll(async () => {
      room = await joinSeat(server.url);
    });

    it('an upgrade from another site (Origin: http://evil.example) is refused with 403', async () => {
      expect(await tryUpgrade(room.wsUrl, { origin: 'http://evil.example' })).toEqual({ opened: false, status: 403 });
    });

    it('an upgrade from the same origin is accepted', async () => {
      expect(await tryUpgrade(room.wsUrl, { origin: `http://127.0.0.1:${server.port}` })).toEqual({ opened: true });
    });

    it('an upgrade without an Origin header (a bot, not a browser page) is accepted', async () => {
      expect(await tryUpgrade(room.wsUrl)).toEqual({ opened: true });
    });

    it('an upgrade on a path that names no room (/nope, plain /ws, /ws/ and an unknown id) is refused with 404', async () => {
      for (const path of ['/nope', '/ws', '/ws/', '/ws/AAAAAAAAAAAAAAAA', `/ws/${room.roomId}/x`]) {
        expect(await tryUpgrade(`ws://127.0.0.1:${server.port}${path}`), path).toEqual({ opened: false, status: 404 });
      }
    });
  });
});

describe('--allowed-origins http://evil.example', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(['--allowed-origins', 'http://evil.example']);
  });
  afterAll(() => server?.stop());

  it('accepts an upgrade from the listed origin', async () => {
    const room = await joinSeat(server.url);
    expect(await tryUpgrade(room.wsUrl, { origin: 'http://evil.example' })).toEqual({ opened: true });
  });

  it('still refuses an origin that is not listed with 403', async () => {
    const room = await joinSeat(server.url);
    expect(await tryUpgrade(room.wsUrl, { origin: 'http://other.example' })).toEqual({ opened: false, status: 403 });
  });
});

describe('--max-players 2', () => {
  let server: ServerProcess;
  const players: Player[] = [];
  /** The first player's room, made by its create. */
  let room: Ticket;
  beforeAll(async () => {
    server = await startServer(['--max-players', '2']);
  });
  afterAll(async () => {
    await Promise.all(players.map((player) => player.close().catch(() => {})));
    await server?.stop();
  });

  it('a third join of the room is refused with 409 room-full, and joinOrCreate opens another room, while the first two play on', async () => {
    room = await createRoom(server.url);
    players.push(await Player.join(room, 'one'), await Player.join(await seatIn(server.url, room.roomId), 'two'));
    const third = await matchmake(server.url, { mode: 'join', roomId: room.roomId });
    expect(third).toMatchObject({ ok: false, status: 409, error: 'room-full' });
    // The fill rule skips the full room: the next quick player gets a room of its own.
    const elsewhere = await joinSeat(server.url);
    expect(elsewhere.roomId).not.toBe(room.roomId);
    for (const player of players) {
      const ticks = [(await player.nextSnapshot()).tick, (await player.nextSnapshot()).tick];
      expect(ticks[1]).toBeGreaterThan(ticks[0]!);
      expect(player.closeInfo).toBeUndefined();
    }
  });

  it('a place freed by a leave can be taken by a new player', async () => {
    await players.pop()!.close();
    // The server may see the leave a moment after the client: retry until a join of that room succeeds.
    let joined: Player | undefined;
    for (let attempt = 0; attempt < 20 && joined === undefined; attempt++) {
      joined = await seatIn(server.url, room.roomId)
        .then((ticket) => Player.join(ticket, 'again'))
        .catch(() => undefined);
      if (joined === undefined) await players[0]!.nextSnapshot();
    }
    expect(joined).toBeDefined();
    players.push(joined!);
    await joined!.nextSnapshot((_s, world) => idsIn(world).length === 2, 5000, 'both players in the new world');
    // The one who stayed sees the new player, whether or not it reuses the freed id.
    await players[0]!.nextSnapshot((_s, world) => world[joined!.playerId] !== undefined, 5000, 'the new player');
    expect(players[0]!.protocolErrors).toEqual([]);
  });
});

describe('--room-idle-ms 200', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(['--room-idle-ms', '200']);
  });
  afterAll(() => server?.stop());

  it('a room left empty is disposed, and an upgrade to its socket is then refused with 410, a new room’s not', async () => {
    const room = await createRoom(server.url);
    const player = await Player.join(room, 'last');
    await player.close();
    // Rooms are checked once a second: poll until this one is gone.
    const deadline = performance.now() + 10_000;
    let outcome = await tryUpgrade(room.wsUrl);
    while (outcome.opened && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      outcome = await tryUpgrade(room.wsUrl);
    }
    expect(outcome).toEqual({ opened: false, status: 410 });
    const again = await matchmake(server.url, { mode: 'join', roomId: room.roomId });
    expect(again).toMatchObject({ ok: false, status: 404, error: 'no-such-room' });
    const fresh = await joinSeat(server.url);
    expect(fresh.roomId).not.toBe(room.roomId);
    expect(await tryUpgrade(fresh.wsUrl)).toEqual({ opened: true });
  });
});

describe('shutdown on SIGINT', () => {
  let server: ServerProcess | undefined;
  afterEach(() => server?.stop());

  it('closes every client with 1001 and exits with code 0', async () => {
    server = await startServer();
    const players = [
      await Player.join(await joinSeat(server.url), 'one'),
      await Player.join(await joinSeat(server.url), 'two'),
    ];
    await Promise.all(players.map((player) => player.nextSnapshot()));
    const exit = await server.stop();
    const closes = await Promise.all(players.map((player) => player.closed));
    expect(closes.map((close) => close.code)).toEqual([CloseCode.SERVER_SHUTDOWN, CloseCode.SERVER_SHUTDOWN]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.logRecords().some((record) => record.msg === 'stopped')).toBe(true);
  });
});

describe('--heartbeat-ms 200', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    // No reconnect grace: a player dropped by the heartbeat leaves the others' snapshots at once
    // (with a grace it would stand there, away, until it ran out: resume.int.ts).
    server = await startServer(['--heartbeat-ms', '200', '--reconnect-grace-ms', '0']);
  });
  afterAll(() => server?.stop());

  it('drops a client that never answers pings, while a client that does stays and keeps receiving snapshots', async () => {
    const alive = await Player.join(await joinSeat(server.url), 'alive');
    const silent = await TestClient.join(await joinSeat(server.url), 'silent', { autoPong: false });
    silent.autoAck = false; // silent means silent: no ACK either
    const silentId = silent.welcome!.playerId;

    const closed = await silent.waitClosed(5000);
    // The server terminates the TCP connection without a close frame.
    expect(closed.code).toBe(1006);
    await alive.nextSnapshot((_s, world) => world[silentId] === undefined, 5000, 'the silent player gone');
    // Five heartbeat periods later, the answering client is still there.
    const tickRate = Number(server.listening.tickRate);
    const from = (await alive.nextSnapshot()).tick;
    await alive.nextSnapshot((s) => s.tick >= from + tickRate, 5000, 'a second of snapshots');
    expect(alive.closeInfo).toBeUndefined();
    expect(server.logRecords().filter((record) => record.msg === 'heartbeat timeout')).toHaveLength(1);
    await alive.close();
  });

  it('does not ping a client that keeps sending, so one that never answers pings stays while it plays', async () => {
    const busy = await TestClient.join(await joinSeat(server.url), 'busy', { autoPong: false });
    busy.autoAck = false; // quiet once its inputs stop: no ACK either
    let pings = 0;
    busy.ws.on('ping', () => pings++);
    // The client's own input clock, as a player's; the test waits on snapshots, not on it.
    const inputs = setInterval(() => busy.input(), INPUT_INTERVAL_MS);
    try {
      const tickRate = Number(server.listening.tickRate);
      const from = (await busy.nextSnapshot()).tick;
      // Six heartbeat periods (200 ms each) of snapshots.
      await busy.nextSnapshot((s) => s.tick >= from + Math.ceil(tickRate * 1.2), 5000, 'six heartbeats of snapshots');
    } finally {
      clearInterval(inputs);
    }
    expect(pings).toBe(0);
    expect(busy.closeInfo).toBeUndefined();
    // Once it goes quiet it is pinged like any other, and dropped for not answering.
    const closed = await busy.waitClosed(5000);
    expect(closed.code).toBe(1006);
    expect(pings).toBeGreaterThan(0);
  });
});

describe('--handshake-timeout-ms 300', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(['--handshake-timeout-ms', '300']);
  });
  afterAll(() => server?.stop());

  it('closes a socket that never sends HELLO with 4008 HANDSHAKE_TIMEOUT, and keeps a player that did', async () => {
    const player = await Player.join(await joinSeat(server.url), 'prompt');
    const mute = await TestClient.connect(await joinSeat(server.url));
    // The server checks handshakes once per second: allow a few.
    const closed = await mute.waitClosed(5000);
    expect(closed.code).toBe(CloseCode.HANDSHAKE_TIMEOUT);
    await player.nextSnapshot();
    expect(player.closeInfo).toBeUndefined();
    await player.close();
  });
});
