// /metrics: histogram snapshots as cumulative Prometheus buckets, and every metric the issue lists
// present in the text exposition of a driven room.
import { afterAll, describe, expect, it } from 'vitest';
import { ProcessMonitor } from '../src/metrics/processMonitor.js';
import { createMetricsRegistry, histogramSamples } from '../src/metrics/prometheus.js';
import { MsHistogram } from '../src/stats/histogram.js';
import { makeCrowdRoom } from './support/crowdRoom.js';

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
    const clock = { tick: 5, droppedTicks: 0 };
    const registry = createMetricsRegistry({ room: crowd.room, clock, process: monitor, overloaded: () => false });
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
    expect(series('tickwire_rooms ')).toEqual(['1']);
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
