// The overload rule and the one-second windows it judges: dropped ticks, tick and lateness p99
// against the period, and no verdict from too few ticks.
import { describe, expect, it } from 'vitest';
import { judgeOverload, OVERLOAD_MIN_TICKS } from '../src/metrics/overload.js';
import { type Reading, RecentStats, windowFigures } from '../src/metrics/recentStats.js';
import type { StatsCounters } from '../src/metrics/statsReport.js';
import { MsHistogram } from '../src/stats/histogram.js';

const PERIOD = 1000 / 30;

/** A room's cumulative figures, advanced by hand one second at a time. */
function fakeRoom() {
  const tickMs = new MsHistogram();
  const latenessMs = new MsHistogram();
  const counters: StatsCounters = {
    bytesOut: 0,
    messagesOut: 0,
    bytesIn: 0,
    messagesIn: 0,
    snapshotsSent: 0,
    backpressureSkips: 0,
    fullFallbacks: 0,
    fullOnJoin: 0,
    droppedInputs: 0,
    starvedTicks: 0,
    joins: 0,
    leaves: 0,
    rosterMessages: 0,
    rosterBytes: 0,
    piecesEncoded: 0,
    pieceBytesEncoded: 0,
    laggingPieces: 0,
  };
  const state = { timeMs: 0, ticks: 0, dropped: 0, overruns: 0, players: 0 };
  return {
    counters,
    state,
    /** One second: 30 ticks of `tickMs` each, started `latenessMs` late. */
    second(tick: number, lateness: number) {
      for (let i = 0; i < 30; i++) {
        tickMs.record(tick);
        latenessMs.record(lateness);
        if (tick > PERIOD) state.overruns++;
      }
      state.ticks += 30;
      state.timeMs += 1000;
    },
    reading(): Reading {
      return {
        timeMs: state.timeMs,
        tick: state.ticks,
        ticksRun: state.ticks,
        droppedTicks: state.dropped,
        overruns: state.overruns,
        players: state.players,
        connections: state.players,
        tickMs: tickMs.snapshot(),
        latenessMs: latenessMs.snapshot(),
        counters: { ...counters },
      };
    },
  };
}

describe('judgeOverload', () => {
  it('is ok while ticks are short and on time', () => {
    const room = fakeRoom();
    const recent = new RecentStats(room.reading());
    for (let s = 0; s < 5; s++) {
      room.second(2, 1);
      recent.sample(room.reading());
    }
    const verdict = judgeOverload(recent.recent(room.reading(), 10), PERIOD);
    expect(verdict).toMatchObject({ status: 'ok', reasons: [], ticks: 150, droppedTicks: 0, tickP99Ms: 2 });
  });

  it('is overloaded when tick duration p99 exceeds the period, and recovers once those seconds leave the window', () => {
    const room = fakeRoom();
    const recent = new RecentStats(room.reading(), 10);
    for (let s = 0; s < 4; s++) {
      room.second(40, 1);
      recent.sample(room.reading());
    }
    const verdict = judgeOverload(recent.recent(room.reading(), 10), PERIOD);
    expect(verdict.status).toBe('overloaded');
    expect(verdict.reasons).toEqual(['tick duration p99 40 ms > period 33.33 ms']);
    for (let s = 0; s < 10; s++) {
      room.second(2, 1);
      recent.sample(room.reading());
    }
    expect(judgeOverload(recent.recent(room.reading(), 10), PERIOD).status).toBe('ok');
  });

  it('is overloaded when tick lateness p99 exceeds the period', () => {
    const room = fakeRoom();
    const recent = new RecentStats(room.reading());
    for (let s = 0; s < 4; s++) {
      room.second(1, 50);
      recent.sample(room.reading());
    }
    expect(judgeOverload(recent.recent(room.reading(), 10), PERIOD).reasons).toEqual([
      'tick lateness p99 50 ms > period 33.33 ms',
    ]);
  });

  it('is overloaded by one dropped tick, however few ticks the window holds', () => {
    const room = fakeRoom();
    const recent = new RecentStats(room.reading());
    room.second(1, 1);
    room.state.dropped = 3;
    expect(judgeOverload(recent.recent(room.reading(), 10), PERIOD).reasons).toEqual(['3 ticks dropped']);
  });

  it(`gives no p99 verdict on fewer than ${OVERLOAD_MIN_TICKS} ticks (one slow second at start-up)`, () => {
    const room = fakeRoom();
    const recent = new RecentStats(room.reading());
    room.second(50, 50);
    recent.sample(room.reading());
    expect(judgeOverload(recent.recent(room.reading(), 10), PERIOD).status).toBe('ok');
  });
});

describe('RecentStats windows', () => {
  it('gives each second its own ticks, and per-client rates from the players at its end', () => {
    const room = fakeRoom();
    const recent = new RecentStats(room.reading());
    room.state.players = 4;
    room.second(2, 1);
    room.counters.bytesOut += 8000;
    room.counters.backpressureSkips += 2;
    const first = windowFigures(recent.sample(room.reading()));
    room.second(3, 1);
    room.counters.bytesOut += 4000;
    const second = windowFigures(recent.sample(room.reading()));
    expect(first).toMatchObject({ ticks: 30, seconds: 1, bytesOutPerClientPerS: 2000, backpressureSkips: 2 });
    expect(first.tickMs).toEqual({ p50: 2, p99: 2, max: 2 }); // bucket edges capped at the window's max
    expect(second).toMatchObject({ ticks: 30, bytesOutPerClientPerS: 1000, backpressureSkips: 0 });
    expect(second.tickMs).toEqual({ p50: 3, p99: 3, max: 3 });
  });

  it('keeps at most its capacity of windows', () => {
    const room = fakeRoom();
    const recent = new RecentStats(room.reading(), 3);
    for (let s = 0; s < 5; s++) {
      room.second(1, 1);
      recent.sample(room.reading());
    }
    expect(recent.history()).toHaveLength(3);
    expect(recent.recent(room.reading(), 10).ticksRun).toBe(90);
  });
});
