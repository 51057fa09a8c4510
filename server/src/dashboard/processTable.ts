// The dashboard's process table: every live process of the cluster with its load and its public
// rooms, from one read of the directory; without --redis-url, this one process. Built at most once a
// second (processView.ts), whatever the number of viewers.
import type { ClusterRoom, ProcessListing } from '../cluster/redisDirectory.js';

/** Public rooms a process's row lists at most: its fullest; the rest only counted. @default 10 */
export const DASHBOARD_PROCESS_ROOMS = 10;
/** Processes the table lists at most (by id); the rest only counted, so a push stays small. @default 64 */
export const DASHBOARD_PROCESSES = 64;

/** A public room as a process's row shows it. */
export interface DashboardProcessRoom {
  id: string;
  scenario: string;
  players: number;
  maxPlayers: number;
}

/** One process as the dashboard's table shows it. */
export interface DashboardProcess {
  id: string;
  url: string;
  /** The process serving this dashboard. */
  self: boolean;
  players: number;
  maxTotalPlayers: number;
  rooms: number;
  maxRooms: number;
  /** CPU over its last heartbeat interval (one process: the last second), fraction of one core. */
  cpu: number;
  draining: boolean;
  /** Since its last heartbeat reached Redis when the table was read, ms; null outside a cluster. */
  heartbeatAgeMs: number | null;
  /** Its public rooms, most players first (ties: by id), at most DASHBOARD_PROCESS_ROOMS. */
  publicRooms: DashboardProcessRoom[];
  /** Its public rooms not listed. */
  publicRest: number;
}

export interface DashboardProcesses {
  /** 'cluster': read from the directory (--redis-url); 'local': this process alone. */
  source: 'cluster' | 'local';
  /** When the table was last read, epoch ms; null before the first read. */
  readAt: number | null;
  /** Why the latest read failed (Redis unreachable), null when it did not: the rows are then the last read. */
  error: string | null;
  /** Processes by id, at most DASHBOARD_PROCESSES. */
  processes: DashboardProcess[];
  /** Processes not listed. */
  rest: number;
}

/** A process's own figures, as it knows them (the row of a lone process). */
export type OwnProcess = Pick<
  DashboardProcess,
  'id' | 'url' | 'players' | 'maxTotalPlayers' | 'rooms' | 'maxRooms' | 'cpu' | 'draining'
>;

type ListedRoom = Pick<ClusterRoom, 'id' | 'scenario' | 'players' | 'maxPlayers'>;

/** The fullest rooms first, ties by id, so the rows do not shuffle between seconds. */
function fullestFirst(rooms: ListedRoom[]): { rows: DashboardProcessRoom[]; rest: number } {
  const sorted = [...rooms].sort((a, b) => b.players - a.players || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    rows: sorted.slice(0, DASHBOARD_PROCESS_ROOMS).map(({ id, scenario, players, maxPlayers }) => ({
      id,
      scenario,
      players,
      maxPlayers,
    })),
    rest: Math.max(0, sorted.length - DASHBOARD_PROCESS_ROOMS),
  };
}

/**
 * The cluster's table from one read of listProcesses() and listPublic(). A process's heartbeat age
 * is now less its last heartbeat (`seenAt`, by the Redis clock): it assumes this machine's clock is
 * close to Redis's.
 */
export function clusterProcessTable(
  listing: readonly ProcessListing[],
  rooms: readonly ClusterRoom[],
  self: { id: string },
  nowMs: number,
): Pick<DashboardProcesses, 'processes' | 'rest'> {
  const byProcess = new Map<string, ListedRoom[]>();
  for (const room of rooms) {
    const list = byProcess.get(room.process.id);
    if (list === undefined) byProcess.set(room.process.id, [room]);
    else list.push(room);
  }
  const sorted = [...listing].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const processes = sorted.slice(0, DASHBOARD_PROCESSES).map((proc): DashboardProcess => {
    const { rows, rest } = fullestFirst(byProcess.get(proc.id) ?? []);
    return {
      id: proc.id,
      url: proc.url,
      self: proc.id === self.id,
      players: proc.players,
      maxTotalPlayers: proc.maxTotalPlayers,
      rooms: proc.rooms,
      maxRooms: proc.maxRooms,
      cpu: proc.cpu,
      draining: proc.draining,
      heartbeatAgeMs: Math.max(0, Math.round(nowMs - proc.seenAt)),
      publicRooms: rows,
      publicRest: rest,
    };
  });
  return { processes, rest: Math.max(0, sorted.length - DASHBOARD_PROCESSES) };
}

/** The table of a process outside any cluster: its own row, its public rooms from its own directory. */
export function ownProcessTable(
  own: OwnProcess,
  rooms: readonly ListedRoom[],
): Pick<DashboardProcesses, 'processes' | 'rest'> {
  const { rows, rest } = fullestFirst([...rooms]);
  return {
    processes: [{ ...own, self: true, heartbeatAgeMs: null, publicRooms: rows, publicRest: rest }],
    rest: 0,
  };
}
