// One room tick, run once per tick by the process's scheduler: each player's next input into its
// components, the systems in priority order, the roster's changes, then a snapshot to every player when one is due, each phase timed into the
// room's TickTimings.

import type { Session } from '../session/session.js';
import { captureWorldState } from '../sim/networkedState.js';
import type { RoomState } from './roomState.js';

/**
 * Run tick number `tick` at `nowMs` (`dueMs`: when the schedule wanted it). The tick's duration and
 * lateness are always recorded; its phases only with --tick-timing (the wrapped systems record themselves).
 */
export function runTick(room: RoomState, tick: number, nowMs: number, dueMs: number): void {
  const timings = room.timings.phaseTimings;
  const started = room.now();
  room.tick = tick;
  room.tickDueMs = dueMs;
  room.timings.startTick(nowMs - dueMs);
  room.game.tick = tick;
  // Inputs in as plain data before the systems run: in tickMs, not in worldExecuteMs (which is
  // world.execute alone, so the systems' histograms still add up to it).
  room.inputs.take();
  const executeStarted = timings.phases ? room.now() : 0;
  room.world.execute(room.tickMs, nowMs);
  if (timings.phases) timings.worldExecuteMs.record(room.now() - executeStarted);
  room.systemTimer?.flush();
  if (room.game.rosterChanged) {
    room.game.rosterChanged = false;
    room.roster.scoresChanged();
  }
  // Joins and leaves since the last tick, or kills since a second ago: ROSTER_CHANGES to everyone, before the snapshot.
  room.roster.flush(room.players, tick);
  // Nobody to send to: no capture either (a joiner's first snapshot is a full one, baseline or not).
  if (room.players.size > 0 && snapshotDue(room, tick)) sendSnapshot(room, tick, nowMs);
  room.timings.endTick(room.now() - started);
}

/**
 * The server's clock in ticks: the current tick plus the fraction of a tick period since it was due.
 * Pongs carry it, so clients can estimate which tick the server is on. It runs tickClockLeadMs ahead
 * of the due times: a scheduler that may run a tick up to that early then never stamps tick k's
 * snapshot as sent before k, and the clock stays one straight line (a clamp at the due time would
 * jump by the early part, and a loopback round trip measured across the jump would come out negative).
 */
export function tickTimeAt(room: RoomState, nowMs: number): number {
  return Math.max(0, room.tick + (nowMs - room.tickDueMs + room.tickClockLeadMs) / room.tickMs);
}

/** Snapshots go out on the ticks where tick × snapshotRate / tickRate crosses a whole number. */
function snapshotDue(room: RoomState, tick: number): boolean {
  const { snapshotRate, tickRate } = room.config;
  return Math.floor((tick * snapshotRate) / tickRate) !== Math.floor(((tick - 1) * snapshotRate) / tickRate);
}

function sendSnapshot(room: RoomState, tick: number, nowMs: number): void {
  const timings = room.timings.phaseTimings;
  const captureStarted = timings.phases ? room.now() : 0;
  const state = room.snapshots.beginSnapshot(tick);
  captureWorldState(room.players.values(), state);
  captureWorldState(room.game.projectiles!.active, state);
  room.lastSnapshot = state;
  room.sendTimes.record(tick, nowMs);
  if (timings.phases) timings.snapshotCaptureMs.record(room.now() - captureStarted);
  room.snapshots.send(state, connectedPlayers(room), nowMs, () => tickTimeAt(room, room.now()));
  if (timings.phases) {
    const split = room.snapshots.lastTiming;
    timings.snapshotEncodeMs.record(split.encodeMs);
    timings.snapshotSendMs.record(split.sendMs);
    if (room.perClientViews) {
      timings.interestGridMs.record(split.gridMs);
      timings.interestViewsMs.record(split.viewsMs);
    }
    if (room.budgetBytesPerSecond > 0) timings.budgetWaitMs.record(split.budgetWaitMs);
  }
}

/** The players to send to: every one but those away (their sockets are gone; they are still captured). */
function connectedPlayers(room: RoomState): Iterable<Session> {
  if (room.away.size === 0) return room.players.keys();
  return [...room.players.keys()].filter((session) => session.state === 'playing');
}
