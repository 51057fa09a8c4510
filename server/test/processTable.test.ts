// The dashboard's process table: the cluster's processes by id with their load, heartbeat age and
// their public rooms grouped under them (fullest first, capped, the rest counted); a lone process's
// table is its own row.
import { describe, expect, it } from 'vitest';
import type { ClusterRoom, ProcessListing } from '../src/cluster/redisDirectory.js';
import {
  clusterProcessTable,
  DASHBOARD_PROCESS_ROOMS,
  DASHBOARD_PROCESSES,
  ownProcessTable,
} from '../src/dashboard/processTable.js';

const TTL_MS = 5000;
const NOW = 1_000_000;

function listed(id: string, over: Partial<ProcessListing> = {}): ProcessListing {
  return {
    id,
    heartbeatMs: 1000,
    url: `http://10.0.0.${id.length}:8080`,
    rooms: 0,
    players: 0,
    cpu: 0,
    maxRooms: 256,
    maxTotalPlayers: 2048,
    draining: false,
    startedAt: 0,
    aliveUntil: NOW + TTL_MS,
    seenAt: NOW,
    ...over,
  };
}

function room(id: string, processId: string, players: number): ClusterRoom {
  return {
    id,
    scenario: 'arena',
    players,
    maxPlayers: 8,
    tickRate: 30,
    viewRadius: 0,
    createdAt: 0,
    process: { id: processId, url: 'http://x' },
  };
}

describe('the cluster process table', () => {
  it('lists every process by id with its load, marks this one, and groups the public rooms under their process', () => {
    const table = clusterProcessTable(
      [
        listed('b', {
          players: 3,
          rooms: 2,
          cpu: 0.25,
          draining: true,
          aliveUntil: NOW + TTL_MS - 700,
          seenAt: NOW - 700,
        }),
        listed('a', { players: 1, rooms: 1 }),
      ],
      [room('r1', 'b', 1), room('r2', 'a', 1), room('r3', 'b', 2)],
      { id: 'a' },
      NOW,
    );
    expect(table.rest).toBe(0);
    expect(table.processes.map((p) => p.id)).toEqual(['a', 'b']);
    expect(table.processes[1]).toEqual({
      id: 'b',
      url: 'http://10.0.0.1:8080',
      self: false,
      players: 3,
      maxTotalPlayers: 2048,
      rooms: 2,
      maxRooms: 256,
      cpu: 0.25,
      draining: true,
      // Its record says alive until 700 ms before a fresh beat would: it beat 700 ms ago.
      heartbeatAgeMs: 700,
      publicRooms: [
        { id: 'r3', scenario: 'arena', players: 2, maxPlayers: 8 },
        { id: 'r1', scenario: 'arena', players: 1, maxPlayers: 8 },
      ],
      publicRest: 0,
    });
    expect(table.processes[0]).toMatchObject({ self: true, heartbeatAgeMs: 0, publicRooms: [{ id: 'r2' }] });
  });

  it('lists a process with no public room (its rooms may all be private) with none', () => {
    const table = clusterProcessTable([listed('a', { rooms: 3 })], [], { id: 'a' }, NOW);
    expect(table.processes[0]).toMatchObject({ rooms: 3, publicRooms: [], publicRest: 0 });
  });

  it("caps a process's rooms at the fullest and the processes at the first by id, counting the rest", () => {
    const many = Array.from({ length: DASHBOARD_PROCESS_ROOMS + 5 }, (_, i) => room(`r${i}`, 'a', i % 4));
    const processes = Array.from({ length: DASHBOARD_PROCESSES + 3 }, (_, i) =>
      listed(`p${String(i).padStart(3, '0')}`),
    );
    const table = clusterProcessTable([listed('a'), ...processes], many, { id: 'a' }, NOW);
    expect(table.processes).toHaveLength(DASHBOARD_PROCESSES);
    expect(table.rest).toBe(4);
    const a = table.processes.find((p) => p.id === 'a')!;
    expect(a.publicRooms).toHaveLength(DASHBOARD_PROCESS_ROOMS);
    expect(a.publicRest).toBe(5);
    const players = a.publicRooms.map((r) => r.players);
    expect(players).toEqual([...players].sort((x, y) => y - x));
  });
});

describe("a lone process's table", () => {
  it('is its own row, with no heartbeat, and its public rooms fullest first', () => {
    const table = ownProcessTable(
      {
        id: 'p-1',
        url: 'http://127.0.0.1:8080',
        players: 2,
        maxTotalPlayers: 100,
        rooms: 2,
        maxRooms: 10,
        cpu: 0.1,
        draining: false,
      },
      [
        { id: 'r1', scenario: 'game', players: 0, maxPlayers: 4 },
        { id: 'r2', scenario: 'arena', players: 2, maxPlayers: 4 },
      ],
    );
    expect(table).toEqual({
      processes: [
        {
          id: 'p-1',
          url: 'http://127.0.0.1:8080',
          self: true,
          players: 2,
          maxTotalPlayers: 100,
          rooms: 2,
          maxRooms: 10,
          cpu: 0.1,
          draining: false,
          heartbeatAgeMs: null,
          publicRooms: [
            { id: 'r2', scenario: 'arena', players: 2, maxPlayers: 4 },
            { id: 'r1', scenario: 'game', players: 0, maxPlayers: 4 },
          ],
          publicRest: 0,
        },
      ],
      rest: 0,
    });
  });
});
