// The dashboard's room table: the fullest rooms first (ties: oldest first), at most the limit, the
// rest counted; pushed with every second and given in the hello, never kept in the history.

import { describe, expect, it } from 'vitest';
import { dashboardRooms } from '../src/dashboard/roomTable.js';
import { silentLogger } from '../src/log.js';
import { Telemetry } from '../src/metrics/telemetry.js';
import { PRIVATE_ROOM_ID } from '../src/rooms/roomReport.js';
import { makeHostedRooms } from './support/hostedRooms.js';

describe('the dashboard room table', () => {
  it('lists the fullest rooms first, oldest first among equals, and counts the rooms left out', async () => {
    const t = makeHostedRooms();
    const empty = await t.ask({ mode: 'create', maxPlayers: 4 });
    const one = await t.join({ mode: 'create', maxPlayers: 4 }, 'ann');
    const two = await t.join({ mode: 'create', scenario: 'game', maxPlayers: 8 }, 'bob');
    await t.join({ mode: 'join', roomId: two.roomId }, 'cy');
    await t.join({ mode: 'create', maxPlayers: 4, private: true }, 'di');
    t.advanceTo(1000);

    const all = dashboardRooms(t.rooms);
    expect(all.live).toBe(4);
    expect(all.rest).toBe(0);
    expect(all.rows.map((row) => [row.id, row.players])).toEqual([
      [two.roomId, 2],
      [one.roomId, 1],
      // A private room's id is the key to join it: never shown.
      [PRIVATE_ROOM_ID, 1],
      [empty.roomId, 0],
    ]);
    expect(all.rows[0]).toEqual({
      id: two.roomId,
      scenario: 'game',
      private: false,
      phase: 'running',
      players: 2,
      maxPlayers: 8,
      latenessP99Ms: expect.any(Number),
      tickP99Ms: expect.any(Number),
    });
    expect(all.rows[2]!.private).toBe(true);

    const top = dashboardRooms(t.rooms, 2);
    expect(top).toMatchObject({ live: 4, rest: 2 });
    expect(top.rows.map((row) => row.id)).toEqual([two.roomId, one.roomId]);
  });

  it('pushes the table with each second and in the hello, and keeps only the figures in the history', async () => {
    const t = makeHostedRooms();
    const telemetry = new Telemetry(
      { scenario: 'arena', tickRate: t.config.tickRate, snapshotRate: t.config.snapshotRate, tickTiming: true },
      t.host.figures,
      t.rooms,
      t.clock,
      silentLogger,
      t.timers.now,
    );
    try {
      const { roomId } = await t.join({ mode: 'create', maxPlayers: 4 }, 'ann');
      t.advanceTo(1000);
      const second = telemetry.everySecond();
      expect(second.rooms).toEqual(dashboardRooms(t.rooms));
      expect(second.rooms.rows.map((row) => row.id)).toEqual([roomId]);
      const hello = telemetry.hello();
      expect(hello.rooms.rows.map((row) => row.id)).toEqual([roomId]);
      expect(hello.history).toHaveLength(1);
      expect(hello.history[0]).not.toHaveProperty('rooms');
      expect(hello.history[0]!.players).toBe(1);
    } finally {
      telemetry.stop();
    }
  });
});
