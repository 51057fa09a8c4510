// Tests for the bots' matchmaking (client/src/bot/seatPlan.ts, botSeats.ts): the request each bot
// makes per mode, room-size grouping, and the timing and failures recorded, with a fake fetch and a
// fake clock; nothing here opens a socket or waits on a timer.
import type { MatchmakeBody } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { BotSeats } from '../src/bot/botSeats.js';
import { type SeatPlan, seatPlanOf, seatRequestFor } from '../src/bot/seatPlan.js';
import { BotStats } from '../src/bot/stats.js';

describe('seatRequestFor', () => {
  it('asks joinOrCreate of the scenario for every bot without --room-size or --room', () => {
    const plan = seatPlanOf({ scenario: 'arena', roomSize: undefined, room: undefined });
    for (const i of [0, 1, 7]) {
      expect(seatRequestFor(plan, i)).toEqual({ kind: 'send', body: { mode: 'joinOrCreate', scenario: 'arena' } });
    }
  });

  it('with --room-size P, makes bot k·P create a room of P and the next P−1 join it', () => {
    const plan = seatPlanOf({ scenario: 'game', roomSize: 4, room: undefined });
    const requests = Array.from({ length: 8 }, (_, i) => seatRequestFor(plan, i));
    const create = { kind: 'send', body: { mode: 'create', scenario: 'game', maxPlayers: 4 } };
    expect(requests).toEqual([
      create,
      { kind: 'joinCreated', creator: 0 },
      { kind: 'joinCreated', creator: 0 },
      { kind: 'joinCreated', creator: 0 },
      create,
      { kind: 'joinCreated', creator: 4 },
      { kind: 'joinCreated', creator: 4 },
      { kind: 'joinCreated', creator: 4 },
    ]);
  });

  it('with --room-size and --view-radius, asks that viewRadius in each create', () => {
    const plan = seatPlanOf({ scenario: 'world', roomSize: 2, room: undefined, viewRadius: 1500 });
    expect(seatRequestFor(plan, 2)).toEqual({
      kind: 'send',
      body: { mode: 'create', scenario: 'world', maxPlayers: 2, viewRadius: 1500 },
    });
    expect(seatRequestFor(plan, 3)).toEqual({ kind: 'joinCreated', creator: 2 });
  });

  it('with --room ID, makes every bot join that room', () => {
    const plan = seatPlanOf({ scenario: 'arena', roomSize: undefined, room: 'ABC234' });
    expect(seatRequestFor(plan, 3)).toEqual({ kind: 'send', body: { mode: 'join', roomId: 'ABC234' } });
  });
});

interface Call {
  url: string;
  body: MatchmakeBody;
  answer(status: number, json: unknown): void;
  fail(error: Error): void;
}

/** A fetch whose calls wait until the test answers them, in any order. */
function fakeFetch(): { fetch: typeof globalThis.fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetch = ((input: URL | string, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      calls.push({
        url: String(input),
        body: JSON.parse(String(init?.body)) as MatchmakeBody,
        answer: (status, json) =>
          resolve(new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } })),
        fail: reject,
      });
    })) as typeof globalThis.fetch;
  return { fetch, calls };
}

function seated(roomId: string, seat: string): Record<string, unknown> {
  return { roomId, wsUrl: `ws://127.0.0.1:9/ws/${roomId}`, seat, expiresAt: 15_000 };
}

/** Lets settled promises' callbacks run (the fake fetch's answers), with no timer. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function seatsWith(plan: SeatPlan) {
  const clock = { ms: 0 };
  const stats = new BotStats(0);
  const { fetch, calls } = fakeFetch();
  const seats = new BotSeats({ httpUrl: 'http://127.0.0.1:9', plan, now: () => clock.ms, stats, fetch });
  return { clock, stats, calls, seats };
}

describe('BotSeats', () => {
  it('sends each call as it is asked, without waiting for earlier ones, and times each one', async () => {
    const { clock, stats, calls, seats } = seatsWith({ mode: 'joinOrCreate', scenario: 'arena' });
    const answers = [0, 1, 2].map((i) => seats.seat(i));
    expect(calls.map((c) => [c.url, c.body])).toEqual(
      [0, 1, 2].map(() => ['http://127.0.0.1:9/matchmake', { mode: 'joinOrCreate', scenario: 'arena' }]),
    );
    clock.ms = 3;
    calls[1]!.answer(200, seated('r', 's1'));
    await settle();
    clock.ms = 12;
    calls[0]!.answer(200, seated('r', 's0'));
    calls[2]!.answer(409, { error: 'room-full', message: 'full' });
    expect(await Promise.all(answers)).toEqual([
      { ok: true, ...seated('r', 's0') },
      { ok: true, ...seated('r', 's1') },
      { ok: false, status: 409, error: 'room-full', message: 'full' },
    ]);
    expect(stats.matchmakeMs.count).toBe(3);
    expect(stats.matchmakeMs.min).toBe(3);
    expect(stats.matchmakeMs.max).toBe(12);
    expect(stats.matchmakeFailures).toBe(1);
  });

  it('with a room size, joins each group to the room its creator made, once the create answers', async () => {
    const { calls, seats } = seatsWith({ mode: 'roomSize', scenario: 'arena', roomSize: 3 });
    const answers = [0, 1, 2, 3, 4, 5].map((i) => seats.seat(i));
    // Only the two creates go out: the joins need the rooms' ids.
    expect(calls.map((c) => c.body)).toEqual([
      { mode: 'create', scenario: 'arena', maxPlayers: 3 },
      { mode: 'create', scenario: 'arena', maxPlayers: 3 },
    ]);
    calls[1]!.answer(200, seated('roomB', 'c3'));
    await settle();
    calls[0]!.answer(200, seated('roomA', 'c0'));
    await settle();
    expect(calls.slice(2).map((c) => c.body)).toEqual([
      { mode: 'join', roomId: 'roomB' },
      { mode: 'join', roomId: 'roomB' },
      { mode: 'join', roomId: 'roomA' },
      { mode: 'join', roomId: 'roomA' },
    ]);
    for (const call of calls.slice(2)) call.answer(200, seated(call.body.roomId!, 'j'));
    const rooms = (await Promise.all(answers)).map((a) => (a.ok ? a.roomId : a.error));
    expect(rooms).toEqual(['roomA', 'roomA', 'roomA', 'roomB', 'roomB', 'roomB']);
  });

  it("fails a group's joins with their creator's error, without calls of their own", async () => {
    const { stats, calls, seats } = seatsWith({ mode: 'roomSize', scenario: 'arena', roomSize: 2 });
    const answers = [0, 1].map((i) => seats.seat(i));
    calls[0]!.answer(503, { error: 'at-capacity', message: 'max rooms' });
    expect(await Promise.all(answers)).toEqual([
      { ok: false, status: 503, error: 'at-capacity', message: 'max rooms' },
      { ok: false, status: 503, error: 'at-capacity', message: "bot 0's create failed: max rooms" },
    ]);
    expect(calls).toHaveLength(1);
    expect(stats.matchmakeMs.count).toBe(1);
    expect(stats.matchmakeFailures).toBe(1);
  });

  it('counts a call with no answer as a failure (network)', async () => {
    const { stats, calls, seats } = seatsWith({ mode: 'room', roomId: 'ABC234' });
    const answer = seats.seat(0);
    expect(calls[0]!.body).toEqual({ mode: 'join', roomId: 'ABC234' });
    calls[0]!.fail(new Error('connect ECONNREFUSED'));
    expect(await answer).toEqual({ ok: false, status: 0, error: 'network', message: 'connect ECONNREFUSED' });
    expect(stats.matchmakeFailures).toBe(1);
  });
});
