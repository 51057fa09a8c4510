// A room's counters and the sums over its players that /healthz, /stats and /metrics read: the
// counters move per frame and per join; the sums are one pass over the players, run per scrape.
import type { RoomState } from './roomState.js';

/** Cumulative counters of a room, read by /healthz and the benches. */
export interface RoomCounters {
  joins: number;
  leaves: number;
  /** Players taken back by a resume token (a drop within the grace, or a takeover). */
  resumes: number;
  /** Inputs dropped because a player's queue was full (players who left; see inputTotals()). */
  droppedInputs: number;
  /** Ticks that repeated a player's latest input for lack of a new one (players who left). */
  starvedTicks: number;
  /** Sessions closed by the server, by close code. */
  closes: Record<number, number>;
  /** Frames received from clients, and their bytes (WebSocket payloads). */
  messagesIn: number;
  bytesIn: number;
  /** Messages sent outside snapshots (WELCOME, PLAYERS, ROSTER_CHANGES, CHAT, DEBUG_STATE), and their bytes; snapshots are in SnapshotCounters. */
  messagesOut: number;
  bytesOut: number;
}

export function newRoomCounters(): RoomCounters {
  return {
    joins: 0,
    leaves: 0,
    resumes: 0,
    droppedInputs: 0,
    starvedTicks: 0,
    closes: {},
    messagesIn: 0,
    bytesIn: 0,
    messagesOut: 0,
    bytesOut: 0,
  };
}

/** Per-client figures of the players in the room, read when metrics are scraped. */
export interface ClientFigures {
  /** Each player's inputs waiting in its queue. */
  inputQueueDepth: number[];
  /** Each player's smoothed snapshot-to-ack round trip, ms (players with a sample yet). */
  rttMs: number[];
  /** Each player's smoothed clock offset, ms (players that stamp INPUT.tick). */
  clockOffsetMs: number[];
}

/** Input totals including players still in the room. */
export function inputTotals(room: RoomState): { droppedInputs: number; starvedTicks: number } {
  let droppedInputs = room.counters.droppedInputs;
  let starvedTicks = room.counters.starvedTicks;
  for (const session of room.players.keys()) {
    droppedInputs += session.inputs.dropped;
    starvedTicks += session.inputs.starved;
  }
  return { droppedInputs, starvedTicks };
}

/** Per-player queue depths, round trips and clock offsets: one pass over the players, per scrape. */
export function clientFigures(room: RoomState): ClientFigures {
  const figures: ClientFigures = { inputQueueDepth: [], rttMs: [], clockOffsetMs: [] };
  for (const session of room.players.keys()) {
    figures.inputQueueDepth.push(session.inputs.length);
    if (session.rttMs !== undefined) figures.rttMs.push(session.rttMs);
    if (session.clockOffsetMs !== undefined) figures.clockOffsetMs.push(session.clockOffsetMs);
  }
  return figures;
}

/** Acknowledgement health: mean ack round trip, and clients more than a second behind in acks. */
export function ackTotals(room: RoomState): { meanRttMs: number | null; clientsNotApplying: number } {
  let sum = 0;
  let samples = 0;
  let behind = 0;
  for (const session of room.players.keys()) {
    if (session.rttMs !== undefined) {
      sum += session.rttMs;
      samples++;
    }
    if (session.baselineTick - session.ackTick > room.config.tickRate) behind++;
  }
  return { meanRttMs: samples === 0 ? null : Math.round((sum / samples) * 100) / 100, clientsNotApplying: behind };
}
