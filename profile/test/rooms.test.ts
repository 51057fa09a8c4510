// Per-room figures of a profile run: /healthz's rooms read defensively, differenced over the window,
// carried into the result, and shown in the summary table and the HTML report.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/html.js';
import { type RoomReading, roomsOfHealth, roomWindow } from '../src/roomsReader.js';
import { ROOM_ROWS, roomRows } from '../src/roomTable.js';
import { formatSummaryTable } from '../src/summaryTable.js';
import { fakeResult } from './fixtures.js';

function reading(id: string, ticks: number | null): RoomReading {
  const none = { p50: null, p99: null };
  return { id, scenario: null, players: null, maxPlayers: null, tickRate: null, ticks, latenessMs: none, tickMs: none };
}

describe('roomsOfHealth', () => {
  it('reads every field /healthz gives a room', () => {
    const health = {
      status: 'ok',
      rooms: [
        {
          id: 'abc',
          scenario: 'arena',
          players: 4,
          maxPlayers: 4,
          tickRate: 30,
          ticks: 900,
          latenessMs: { p50: 0.1, p99: 0.8 },
          tickMs: { p50: 0.4, p99: 1.1 },
        },
      ],
    };
    expect(roomsOfHealth(health)).toEqual([
      {
        id: 'abc',
        scenario: 'arena',
        players: 4,
        maxPlayers: 4,
        tickRate: 30,
        ticks: 900,
        latenessMs: { p50: 0.1, p99: 0.8 },
        tickMs: { p50: 0.4, p99: 1.1 },
      },
    ]);
  });

  it("reads the server's own row: the tick number as ticks, p50/p99 of its timing summaries", () => {
    const row = {
      id: 'r1',
      scenario: 'arena',
      private: false,
      phase: 'running',
      players: 8,
      connections: 8,
      maxPlayers: 8,
      tickRate: 30,
      createdAt: 1,
      tick: 1234,
      overruns: 0,
      latenessMs: { count: 1234, p50: 0.12, p99: 0.9, max: 2, mean: 0.2 },
      tickMs: { count: 1234, p50: 0.3, p99: 0.8, max: 1.5, mean: 0.35 },
    };
    // /healthz: `rooms` holds the process's room totals, `roomList` a row per room.
    const health = { rooms: { live: 1, max: 256, created: 1, disposed: 0, failed: 0, byPhase: {} }, roomList: [row] };
    expect(roomsOfHealth(health)).toEqual([
      {
        id: 'r1',
        scenario: 'arena',
        players: 8,
        maxPlayers: 8,
        tickRate: 30,
        ticks: 1234,
        latenessMs: { p50: 0.12, p99: 0.9 },
        tickMs: { p50: 0.3, p99: 0.8 },
      },
    ]);
  });

  it('is null for a server that lists no rooms, and reads odd fields as null rather than failing', () => {
    expect(roomsOfHealth({ status: 'ok' })).toBeNull();
    expect(roomsOfHealth({ rooms: 'many' })).toBeNull();
    expect(roomsOfHealth({ rooms: { live: 0 } })).toBeNull();
    expect(roomsOfHealth(null)).toBeNull();
    expect(roomsOfHealth([1, 2])).toBeNull();
    const odd = {
      rooms: [
        7,
        null,
        { id: 3 },
        { id: 'x', players: '4', ticks: Number.NaN, latenessMs: 2, tickMs: { p50: 'a', p99: 1 } },
      ],
    };
    expect(roomsOfHealth(odd)).toEqual([{ ...reading('x', null), tickMs: { p50: null, p99: 1 } }]);
  });
});

describe('roomWindow', () => {
  it('counts the ticks each room ran between the two reads, null for a room new since the start', () => {
    const start = [reading('a', 100), reading('b', 50), reading('gone', 10)];
    const end = [reading('a', 400), reading('b', null), reading('new', 30)];
    expect(roomWindow(start, end).map((r) => [r.id, r.windowTicks])).toEqual([
      ['a', 300],
      ['b', null],
      ['new', null],
    ]);
    expect(roomWindow(null, [reading('a', 5)])[0]!.windowTicks).toBeNull();
  });
});

describe('a profile run with --rooms 3 --room-size 4', () => {
  const result = fakeResult({ bots: 12, rooms: { count: 3, size: 4 } });

  it('keeps the rooms in the settings, the bots summary and each room over the window', () => {
    expect(result.settings).toMatchObject({ bots: 12, rooms: 3, roomSize: 4 });
    expect(result.bots).toMatchObject({ rooms: 3, matchmakeMs: { count: 12, failures: 0 } });
    expect(result.rooms).toMatchObject({ count: 3, worstLatenessP99: { id: 'room-2', p99: 0.7 } });
    // 10 s window at 30 Hz: every room ticked with the server.
    expect(result.rooms!.figures.map((r) => r.windowTicks)).toEqual([300, 300, 300]);
    expect(result.problems).toEqual([]);
  });

  it('calls it a problem when the bots did not end in the rooms asked for', () => {
    const split = fakeResult({ bots: 12, rooms: { count: 3, size: 4, botsInRooms: 4 } });
    expect(split.problems).toContain('the bots played in 4 rooms, 3 asked for');
  });

  it('prints the rooms and a row per room in the summary table', () => {
    const text = formatSummaryTable(result);
    expect(text).toMatch(/^profile: arena, 12 bots in 3 rooms of 4, 30 Hz tick/);
    expect(text).toContain('3 rooms on the server, worst lateness p99 0.700 ms (room room-2); bots in 3 rooms');
    expect(text).toMatch(/room-1\s+arena\s+4\/4\s+30 Hz\s+300\s+0\.200 \/ 0\.600\s+0\.300 \/ 0\.900/);
  });

  it('has a Rooms section with a row per room in the HTML report', () => {
    const html = renderReport(result);
    expect(html).toContain('<h2>Rooms</h2>');
    expect(html).toContain('12 bots in 3 rooms of 4');
    expect(html.match(/<tr><td>room-\d<\/td>/g)).toHaveLength(3);
  });

  it('lists only the worst rooms by lateness p99 when there are many, and counts the rest', () => {
    const many = fakeResult({ bots: 40, rooms: { count: 20, size: 2 } });
    const rows = roomRows(many);
    expect(rows).toHaveLength(1 + ROOM_ROWS + 1);
    expect(rows[1]![0]).toBe('room-19');
    expect(rows.at(-1)).toEqual([`… ${20 - ROOM_ROWS} more rooms`]);
  });
});

describe('a single-room profile run', () => {
  it('still shows the one room the bots matchmade into, and no per-room table without /healthz rooms', () => {
    const result = fakeResult({ bots: 50 });
    expect(result.rooms).toBeNull();
    expect(result.bots.rooms).toBe(1);
    const text = formatSummaryTable(result);
    expect(text).toContain('bots in 1 room; matchmaking 50 calls');
    expect(text).not.toContain('per room');
  });
});
