// The server's telemetry over real sockets: /stats, /metrics, /healthz, the /dashboard page and its
// pushed seconds, and the dashboard's access rule (open on loopback, token, off elsewhere).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { withTimeout } from './support/events.js';
import { Player } from './support/player.js';
import { joinSeat } from './support/seats.js';
import { httpGet, type ServerProcess, startServer } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS, tryUpgrade } from './support/testClient.js';

const TOKEN = 'integration-dashboard-token';

interface DashboardMessage {
  type: string;
  [key: string]: unknown;
}

/** Open /dashboard/ws and resolve with its messages once `count` have arrived. */
async function dashboardMessages(url: string, count: number): Promise<DashboardMessage[]> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const messages: DashboardMessage[] = [];
  try {
    return await withTimeout(
      new Promise<DashboardMessage[]>((resolve, reject) => {
        ws.on('message', (data, isBinary) => {
          if (isBinary) return reject(new Error('the dashboard sent a binary frame'));
          messages.push(JSON.parse(String(data)) as DashboardMessage);
          if (messages.length >= count) resolve(messages);
        });
        ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
        ws.once('error', reject);
      }),
      // The server pushes once per second of ticks; allow a slow machine several.
      EVENT_TIMEOUT_MS + 5000,
      `${count} dashboard messages`,
    );
  } finally {
    ws.terminate();
  }
}

const dashboardWs = (server: ServerProcess, query = '') => `ws://127.0.0.1:${server.port}/dashboard/ws${query}`;

describe('telemetry on a loopback server', () => {
  let server: ServerProcess;
  let players: Player[];

  beforeAll(async () => {
    server = await startServer();
    players = [
      await Player.join(await joinSeat(server.url), 'ann'),
      await Player.join(await joinSeat(server.url), 'bob'),
    ];
    for (const player of players) player.startInputs(1, 0);
    await players[0]!.nextSnapshot();
  });

  afterAll(async () => {
    for (const player of players ?? []) await player.close();
    await server?.stop();
  });

  it('GET /stats answers schema 2 with tick histograms, per-system histograms, counters, process figures and the rooms', async () => {
    const response = await httpGet(server, '/stats');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    const stats = JSON.parse(response.body);
    expect(stats).toMatchObject({ schema: 2, scenario: 'arena', tickRate: 30, players: 2, tickTiming: true });
    // Both players joinOrCreate'd into one room.
    expect(stats.rooms).toMatchObject({ live: 1, created: 1, byPhase: { running: 1 } });
    expect(stats.roomList).toHaveLength(1);
    expect(stats.roomList[0]).toMatchObject({ scenario: 'arena', phase: 'running', players: 2 });
    expect(stats.roomList[0].latenessMs.count).toBeGreaterThan(0);
    expect(stats.ticks.run).toBeGreaterThan(0);
    expect(Object.keys(stats.histograms)).toEqual(
      expect.arrayContaining([
        'tickMs',
        'latenessMs',
        'worldExecuteMs',
        'snapshotEncodeMs',
        'snapshotSendMs',
        'system.InputSystem',
        'system.MovementSystem',
      ]),
    );
    expect(stats.histograms.tickMs.count).toBe(stats.ticks.run);
    expect(stats.histograms.tickMs).toMatchObject({ resolutionMs: 0.01, ceilingMs: 1000 });
    expect(stats.counters.joins).toBe(2);
    expect(stats.counters.snapshotsSent).toBeGreaterThan(0);
    expect(stats.counters.bytesIn).toBeGreaterThan(0);
    expect(stats.process.rssBytes).toBeGreaterThan(0);
    expect(Object.keys(stats.process.eventLoopDelayMs)).toEqual(['p50', 'p99', 'max']);
  });

  it('GET /metrics answers Prometheus text with tick, traffic and process metrics', async () => {
    const response = await httpGet(server, '/metrics');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const lines = response.body.split('\n');
    expect(lines).toContain('tickwire_players 2');
    expect(lines).toContain('tickwire_rooms{scenario="arena",phase="running"} 1');
    expect(lines).toContain('tickwire_room_players{scenario="arena"} 2');
    expect(lines).toContain('tickwire_rooms_created_total 1');
    for (const series of [
      'tickwire_tick_duration_seconds_bucket{le="+Inf"}',
      'tickwire_tick_lateness_seconds_count',
      'tickwire_tick_overruns_total',
      'tickwire_bytes_out_total',
      'tickwire_messages_in_total',
      'tickwire_snapshot_backpressure_skips_total',
      'tickwire_snapshot_full_fallbacks_total',
      'tickwire_inputs_starved_ticks_total',
      'tickwire_input_queue_depth{stat="max"}',
      'tickwire_eventloop_delay_seconds{stat="p99"}',
      'nodejs_heap_size_used_bytes',
      'tickwire_scheduler_wakeups_total',
      'tickwire_room_lateness_p99_worst_seconds',
      'tickwire_room_lateness_p99_seconds{stat="max"}',
    ]) {
      expect(
        lines.some((line) => line.startsWith(`${series} `)),
        series,
      ).toBe(true);
    }
  });

  it('GET /healthz answers 200 and status "ok" with the overload verdict', async () => {
    const response = await httpGet(server, '/healthz');
    expect(response.status).toBe(200);
    const health = JSON.parse(response.body);
    expect(health.status).toBe('ok');
    expect(health.overload).toMatchObject({ status: 'ok', reasons: [], droppedTicks: 0 });
  });

  it('GET /dashboard serves the self-contained page with a strict content security policy', async () => {
    const response = await httpGet(server, '/dashboard');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^text\/html/);
    expect(response.body).toContain('<canvas id="tick">');
    expect(response.body).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\//);
  });

  it('pushes a hello and then one second of tick figures and the room table over /dashboard/ws', async () => {
    const [hello, second] = await dashboardMessages(dashboardWs(server), 2);
    expect(hello).toMatchObject({ type: 'hello', schema: 1, tickRate: 30, periodMs: 1000 / 30 });
    expect(Array.isArray(hello!.history)).toBe(true);
    expect(second).toMatchObject({ type: 'second', players: 2, status: 'ok' });
    expect(second).toHaveProperty('tickMs.p99');
    expect(second).toHaveProperty('latenessMs.p99');
    expect(second!.bytesOutPerClientPerS as number).toBeGreaterThan(0);
    expect(second).toHaveProperty('backpressureSkips', 0);
    expect(second).toHaveProperty('overruns');
    expect(second!.rooms).toMatchObject({
      live: 1,
      rest: 0,
      rows: [{ scenario: 'arena', players: 2, phase: 'running' }],
    });
    expect(hello!.rooms).toMatchObject({ live: 1, rest: 0 });
  });

  it("refuses a dashboard socket from another site's page (403), like the game socket", async () => {
    expect(await tryUpgrade(dashboardWs(server), { origin: 'http://evil.example' })).toEqual({
      opened: false,
      status: 403,
    });
  });
});

describe('--host 0.0.0.0 --dashboard-token', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(['--host', '0.0.0.0', '--dashboard-token', TOKEN]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers /dashboard with 401 without the token and the page with it', async () => {
    expect((await httpGet(server, '/dashboard')).status).toBe(401);
    expect((await httpGet(server, '/dashboard?token=wrong-token-wrong-token')).status).toBe(401);
    expect((await httpGet(server, `/dashboard?token=${TOKEN}`)).status).toBe(200);
  });

  it('refuses the dashboard socket without the token (401) and streams with it', async () => {
    expect(await tryUpgrade(dashboardWs(server))).toEqual({ opened: false, status: 401 });
    const [hello] = await dashboardMessages(dashboardWs(server, `?token=${TOKEN}`), 1);
    expect(hello!.type).toBe('hello');
  });

  it('keeps /stats, /metrics and /healthz open (they carry no secrets, and scrapers need them)', async () => {
    expect((await httpGet(server, '/stats')).status).toBe(200);
    expect((await httpGet(server, '/metrics')).status).toBe(200);
    expect([200, 503]).toContain((await httpGet(server, '/healthz')).status);
  });
});

describe('--host 0.0.0.0 without a dashboard token', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(['--host', '0.0.0.0']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('turns the dashboard off: 403 for the page and the socket, token or not', async () => {
    expect((await httpGet(server, '/dashboard')).status).toBe(403);
    expect((await httpGet(server, `/dashboard?token=${TOKEN}`)).status).toBe(403);
    expect(await tryUpgrade(dashboardWs(server))).toEqual({ opened: false, status: 403 });
  });
});
