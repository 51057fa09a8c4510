// /metrics: histogram snapshots as cumulative Prometheus buckets, every metric the issue lists
// present in the text exposition of a driven room, and the rooms' series: counted by scenario and
// phase, spread without room ids, and the same series however many rooms come and go; in a cluster,
// every series labelled with its process.
import type { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcessMonitor } from '../src/metrics/processMonitor.js';
import { createMetricsRegistry, histogramSamples } from '../src/metrics/prometheus.js';
import { MsHistogram } from '../src/stats/histogram.js';
import { makeCrowdRoom } from './support/crowdRoom.js';
import { type HostedRooms, makeHostedRooms } from './support/hostedRooms.js';

/** The value lines of `name` (exactly that series name, any labels), each as what follows the name. */
function seriesOf(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => line.slice(name.length));
}

/** The registry over a host's rooms, as gameServer.ts builds it. */
function hostRegistry(t: HostedRooms, monitor: ProcessMonitor): Registry {
  return createMetricsRegistry({
    room: t.host.figures,
    rooms: t.rooms,
    clock: t.clock,
    process: monitor,
    overloaded: () => false,
  });
}

describe('histogramSamples', () => {
  it('gives cumulative counts at each bound, +Inf, and sum and count in seconds', () => {
    const histogram = new MsHistogram(100, 0.01);
    for (const ms of [0.5, 1, 1, 3, 250]) histogram.record(ms);
    const samples = histogramSamples('t', histogram.snapshot(), [1, 2, 5, 100]);
    expect(samples).toEqual([
      { metricName: 't_bucket', labels: { le: 0.001 }, value: 1 }, // 1 ms lands in [1, 1.01): above le 1 ms
      { metricName: 't_bucket', labels: { le: 0.002 }, value: 3 },
      { metricName: 't_bucket', labels: { le: 0.005 }, value: 4 },
      { metricName: 't_bucket', labels: { le: 0.1 }, value: 4 }, // 250 ms is in the overflow bucket
      { metricName: 't_bucket', labels: { le: '+Inf' }, value: 5 },
      { metricName: 't_sum', labels: {}, value: 0.2555 },
      { metricName: 't_count', labels: {}, value: 5 },
    ]);
  });
  it('rounds a bound down to a bucket edge, so no bucket is split', () => {
    const histogram = new MsHistogram(100, 0.01);
    histogram.record(33.332); // bucket [33.33, 33.34)
    histogram.record(33.32);
    const [le] = histogramSamples('t', histogram.snapshot(), [1000 / 30]);
    expect(le).toEqual({ metricName: 't_bucket', labels: { le: 0.03333 }, value: 1 });
  });
});

describe('the /metrics registry', () => {
  const monitor = new ProcessMonitor();
  afterAll(() => monitor.stop());

  it('exposes tick, traffic, input, client and process metrics for a driven room', async () => {
    const crowd = makeCrowdRoom(3);
    crowd.ticks(5);
    const clock = { tick: 5, droppedTicks: 0, wakeUps: 5 };
    // The room stands alone here (no host): the rooms' own series are tested below.
    const registry = createMetricsRegistry({
      room: crowd.room,
      rooms: makeHostedRooms().rooms,
      clock,
      process: monitor,
      overloaded: () => false,
    });
    const text = await registry.metrics();
    const series = (name: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith(name))
        .map((line) => line.slice(name.length));
    expect(series('tickwire_tick_duration_seconds_count')).toEqual([' 5']);
    expect(series('tickwire_tick_lateness_seconds_bucket{le="+Inf"}')).toEqual([' 5']);
    expect(series('tickwire_tick_phase_duration_seconds_count')).toEqual([
      '{phase="worldExecute"} 5',
      '{phase="snapshotCapture"} 5',
      '{phase="snapshotEncode"} 5',
      '{phase="snapshotSend"} 5',
      '{phase="system.InputSystem"} 5',
      '{phase="system.RespawnSystem"} 5',
      '{phase="system.MovementSystem"} 5',
      '{phase="system.HistorySystem"} 5',
      '{phase="system.ProjectileSystem"} 5',
      '{phase="system.WeaponSystem"} 5',
    ]);
    expect(series('tickwire_ticks_total')).toEqual([' 5']);
    expect(series('tickwire_players ')).toEqual(['3']);
    expect(series('tickwire_messages_in_total')).toEqual([` ${3 + 15}`]); // 3 HELLOs, 15 INPUTs
    expect(series('tickwire_snapshots_sent_total')).toEqual([' 15']);
    expect(series('tickwire_input_queue_depth{stat="max"}')).toEqual([' 0']);
    for (const name of [
      '# TYPE tickwire_tick_overruns_total counter',
      '# TYPE tickwire_ticks_dropped_total counter',
      '# TYPE tickwire_overloaded gauge',
      '# TYPE tickwire_bytes_out_total counter',
      '# TYPE tickwire_bytes_in_total counter',
      '# TYPE tickwire_messages_out_total counter',
      '# TYPE tickwire_snapshot_full_fallbacks_total counter',
      '# TYPE tickwire_snapshot_backpressure_skips_total counter',
      '# TYPE tickwire_inputs_dropped_total counter',
      '# TYPE tickwire_inputs_starved_ticks_total counter',
      '# TYPE tickwire_client_rtt_seconds gauge',
      '# TYPE tickwire_client_clock_offset_seconds gauge',
      '# TYPE tickwire_eventloop_delay_seconds gauge',
      '# TYPE tickwire_gc_pause_seconds_total counter',
      '# TYPE nodejs_heap_size_used_bytes gauge',
      '# TYPE process_resident_memory_bytes gauge',
    ]) {
      expect(text).toContain(name);
    }
    expect(registry.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});

describe('the rooms in /metrics', () => {
  const monitor = new ProcessMonitor();
  afterAll(() => monitor.stop());

  it('counts rooms by scenario and phase, players and seats by scenario, and rooms made, disposed and failed', async () => {
    const t = makeHostedRooms();
    const arena = await t.join({ mode: 'create', scenario: 'arena', maxPlayers: 4 }, 'ann');
    await t.join({ mode: 'join', roomId: arena.roomId }, 'bob');
    await t.ask({ mode: 'create', scenario: 'game', maxPlayers: 6 }); // its seat is outstanding: still 'created'
    const doomed = await t.ask({ mode: 'create', scenario: 'game', maxPlayers: 2 });
    t.advanceTo(1000);
    t.host.closeRoom(doomed.roomId);
    const failing = await t.ask({ mode: 'create', scenario: 'arena', maxPlayers: 2 });
    t.host.failRoom(failing.roomId, new Error('a system threw'));
    const text = await hostRegistry(t, monitor).metrics();

    const rooms = seriesOf(text, 'tickwire_rooms');
    // Every scenario × phase, zero or not: 3 × 5 series.
    expect(rooms).toHaveLength(15);
    expect(rooms).toContain('{scenario="arena",phase="running"} 1');
    expect(rooms).toContain('{scenario="arena",phase="failed"} 1');
    expect(rooms).toContain('{scenario="game",phase="created"} 1');
    expect(rooms).toContain('{scenario="game",phase="running"} 0');
    expect(rooms).toContain('{scenario="arena",phase="disposed"} 0');
    expect(seriesOf(text, 'tickwire_room_players')).toEqual([
      '{scenario="game"} 0',
      '{scenario="arena"} 2',
      '{scenario="world"} 0',
    ]);
    expect(seriesOf(text, 'tickwire_room_seats')).toEqual([
      '{scenario="game"} 6',
      '{scenario="arena"} 6',
      '{scenario="world"} 0',
    ]);
    expect(seriesOf(text, 'tickwire_rooms_created_total')).toEqual([' 4']);
    expect(seriesOf(text, 'tickwire_rooms_disposed_total')).toEqual([' 1']);
    expect(seriesOf(text, 'tickwire_rooms_failed_total')).toEqual([' 1']);
    expect(seriesOf(text, 'tickwire_scheduler_wakeups_total')).toEqual([` ${t.scheduler.wakeUps}`]);
    expect(t.scheduler.wakeUps).toBeGreaterThan(0);
    expect(seriesOf(text, 'tickwire_players')).toEqual([' 2']);
  });

  it("gives the worst room's lateness p99 and the spread of the rooms' p99s, without a room id", async () => {
    const t = makeHostedRooms();
    // The fake clock has not moved: no scheduled tick yet, so these ticks are each room's only ones.
    const late = await t.join({ mode: 'create', maxPlayers: 4 }, 'ann');
    const onTime = await t.join({ mode: 'create', maxPlayers: 4 }, 'bob');
    await t.ask({ mode: 'create', maxPlayers: 4 }); // never ticks: in no spread
    for (let tick = 1; tick <= 100; tick++) {
      late.room.runTick(tick, tick * 100 + 5, tick * 100);
      onTime.room.runTick(tick, tick * 100 + 2, tick * 100);
    }
    const text = await hostRegistry(t, monitor).metrics();
    expect(seriesOf(text, 'tickwire_room_lateness_p99_worst_seconds')).toEqual([' 0.005']);
    expect(seriesOf(text, 'tickwire_room_lateness_p99_seconds')).toEqual([
      '{stat="min"} 0.002',
      '{stat="mean"} 0.0035',
      '{stat="p50"} 0.002',
      '{stat="p99"} 0.005',
      '{stat="max"} 0.005',
    ]);
    expect(seriesOf(text, 'tickwire_room_tick_duration_p99_seconds')).toHaveLength(5);
    for (const id of [late.roomId, onTime.roomId]) expect(text).not.toContain(id);
  });

  it('keeps the same series while 100 rooms are made, played in and disposed', async () => {
    const t = makeHostedRooms({ maxRooms: 128 });
    // One room lives throughout: series that exist once anything has ticked (the systems' phases,
    // the players' spreads) are there from the start.
    const stays = await t.join({ mode: 'create', maxPlayers: 4 }, 'ann');
    t.advanceTo(1000);
    const registry = hostRegistry(t, monitor);
    /** Every series (name and labels, no value); GC kinds appear with the process's first GC of each kind, so they are left out. */
    const seriesSet = async () =>
      (await registry.metrics())
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('tickwire_gc_'))
        .map((line) => line.slice(0, line.lastIndexOf(' ')));
    const before = await seriesSet();

    const made: string[] = [];
    for (let i = 0; i < 100; i++) {
      const scenario = i % 2 === 0 ? 'arena' : 'game';
      const { roomId } = await t.join({ mode: 'create', scenario, maxPlayers: 2 }, `p${i}`);
      made.push(roomId);
    }
    t.advanceTo(3000);
    expect(t.host.size).toBe(101);
    const text = await registry.metrics();
    expect(seriesOf(text, 'tickwire_room_players')).toEqual([
      '{scenario="game"} 50',
      '{scenario="arena"} 51',
      '{scenario="world"} 0',
    ]);
    expect(await seriesSet()).toEqual(before);
    for (const id of made) expect(text).not.toContain(id);

    for (const id of made) t.host.closeRoom(id);
    expect(t.host.size).toBe(1);
    expect(await seriesSet()).toEqual(before);
    const after = await registry.metrics();
    expect(seriesOf(after, 'tickwire_rooms_disposed_total')).toEqual([' 100']);
    expect(t.host.lookup(stays.roomId).state).toBe('live');
  });

  it('labels every series of a process in a cluster with its id, and leaves a lone process unlabelled', async () => {
    const t = makeHostedRooms();
    await t.join({ mode: 'create', maxPlayers: 4 }, 'ann');
    t.advanceTo(1000);
    const sources = { room: t.host.figures, rooms: t.rooms, clock: t.clock, process: monitor, overloaded: () => false };
    /** Every series without its value. */
    const series = async (registry: Registry) =>
      (await registry.metrics())
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => line.slice(0, line.lastIndexOf(' ')));
    const lone = await series(createMetricsRegistry(sources));
    const member = await series(createMetricsRegistry({ ...sources, processId: 'p-a' }));

    expect(lone.filter((line) => line.includes('process='))).toEqual([]);
    expect(member).toHaveLength(lone.length);
    for (const line of member) expect(line).toMatch(/\{(.*,)?process="p-a"\}$/);
    expect(member).toContain('tickwire_rooms_created_total{process="p-a"}');
    expect(member).toContain('tickwire_tick_duration_seconds_bucket{le="+Inf",process="p-a"}');
    // An empty id adds no label rather than an empty one.
    const empty = await series(createMetricsRegistry({ ...sources, processId: '' }));
    expect(empty.filter((line) => line.includes('process='))).toEqual([]);
  });

  it('reads the rooms once per scrape however many series use them, and afresh at the next scrape', async () => {
    const t = makeHostedRooms();
    await t.join({ mode: 'create', maxPlayers: 4 }, 'ann');
    t.advanceTo(1000);
    let reads = 0;
    const counted = {
      totals: () => t.rooms.totals(),
      rows: (fullest?: number) => {
        reads++;
        return t.rooms.rows(fullest);
      },
    };
    const registry = createMetricsRegistry({
      room: t.host.figures,
      rooms: counted,
      clock: t.clock,
      process: monitor,
      overloaded: () => false,
    });
    await registry.metrics();
    expect(reads).toBe(1);
    await t.join({ mode: 'create', scenario: 'game', maxPlayers: 4 }, 'bob');
    const text = await registry.metrics();
    expect(reads).toBe(2);
    expect(seriesOf(text, 'tickwire_room_players')).toEqual([
      '{scenario="game"} 1',
      '{scenario="arena"} 1',
      '{scenario="world"} 0',
    ]);
  });
});
