// Reading GET /stats from a fake server on 127.0.0.1, and the window between two reads.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATS_SCHEMA } from '../../server/src/metrics/statsReport.js';
import { readStats, statsWindow, systemHistograms } from '../src/statsReader.js';
import { FakeServer } from './fixtures.js';

describe('readStats', () => {
  const fake = new FakeServer();
  let answer: () => { status: number; body: string } = () => ({ status: 200, body: JSON.stringify(fake.read()) });
  let http: Server;
  let url: string;

  beforeAll(async () => {
    http = createServer((req, res) => {
      if (req.url !== '/stats') return void res.writeHead(404).end();
      const { status, body } = answer();
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => http.close(resolve)));

  it('parses what /stats answers', async () => {
    fake.second({ players: 4 });
    const stats = await readStats(url);
    expect(stats).toMatchObject({ schema: STATS_SCHEMA, timeMs: 1000, players: 4, ticks: { run: 30 } });
    expect(stats.histograms.tickMs!.count).toBe(30);
  });

  it('fails on an HTTP error and on a schema it does not know', async () => {
    answer = () => ({ status: 503, body: '{}' });
    await expect(readStats(url)).rejects.toThrow(/answered HTTP 503/);
    answer = () => ({ status: 200, body: JSON.stringify({ ...fake.read(), schema: 1 }) });
    await expect(readStats(url)).rejects.toThrow(`schema 1, this profiler reads schema ${STATS_SCHEMA}`);
  });
});

describe('statsWindow', () => {
  it('differences ticks, counters, histograms and CPU between two reads', () => {
    const fake = new FakeServer(30);
    fake.second({ players: 10, tickMs: () => 5, cpu: 0.5 });
    const a = fake.read();
    fake.second({ players: 10, tickMs: () => 1, cpu: 0.1 });
    fake.second({ players: 10, tickMs: () => 1, cpu: 0.1 });
    const w = statsWindow(fake.read(), a);
    expect(w.seconds).toBe(2);
    expect(w.ticks).toEqual({ run: 60, dropped: 0, overruns: 0 });
    expect(w.histograms.tickMs!.count).toBe(60);
    expect(w.histograms.tickMs!.maxMs).toBe(1.01); // the window's max is its top bucket's upper edge
    expect(w.counters.bytesOut).toBe(2 * 1600 * 10);
    expect(w.cpuSeconds).toBeCloseTo(0.2, 9);
  });

  it('counts a histogram or counter only the later read has from zero', () => {
    const fake = new FakeServer();
    fake.second({ players: 1 });
    const a = fake.read();
    delete a.histograms['system.MovementSystem'];
    delete a.counters.bytesOut;
    fake.second({ players: 1 });
    const later = fake.read();
    const w = statsWindow(later, a);
    expect(w.histograms['system.MovementSystem']!.count).toBe(60);
    expect(w.counters.bytesOut).toBe(later.counters.bytesOut);
  });

  it('lists the systems by class name', () => {
    const fake = new FakeServer();
    fake.second();
    expect(systemHistograms(fake.read().histograms).map(([name]) => name)).toEqual(['InputSystem', 'MovementSystem']);
  });
});
