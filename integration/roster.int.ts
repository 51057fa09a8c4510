// Integration: the roster over real sockets. Names arrive cleaned and unique; under join/leave churn
// every steady client's roster, built from ROSTER_CHANGES, equals the list a new joiner receives,
// and /stats and /healthz count the roster's frames and bytes apart from the rest.
import { ServerMessageId } from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinSeat } from './support/seats.js';
import { getHealth, httpGet, type ServerProcess, startServer } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS, TestClient } from './support/testClient.js';

/** Resolves once `client` has applied a snapshot after holding a roster where `predicate` holds. */
async function rosterWhere(client: TestClient, what: string, predicate: () => boolean): Promise<void> {
  if (predicate()) return;
  await client.snapshots.next(what, EVENT_TIMEOUT_MS, predicate);
}

describe('the roster on a real server', () => {
  let server: ServerProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await server.stop();
  });

  it('relays names without control or bidi characters, and numbers a second "alice"', async () => {
    const watcher = await TestClient.join(await joinSeat(server.url), 'watcher');
    clients.push(watcher);
    for (const name of ['alice', 'alice', 'm\u0000a\u0007l\u202Eo'])
      clients.push(await TestClient.join(await joinSeat(server.url), name));
    const names = () => [...watcher.roster.players.values()].map((p) => p.name).sort();
    await rosterWhere(watcher, 'four names', () => watcher.roster.players.size === 4);
    expect(names()).toEqual(['alice', 'alice 2', 'malo', 'watcher']);
    expect(watcher.undecodable).toEqual([]);
  });

  it('keeps every steady client equal to a new joiner’s full list through join/leave churn, and counts roster bytes', async () => {
    const steady = clients.slice(0, 4);
    const before = steady.map((client) => client.rosterBytes);
    const statsBefore = JSON.parse((await httpGet(server, '/stats')).body).counters;
    for (let i = 0; i < 30; i++) {
      const churner = await TestClient.join(await joinSeat(server.url), `churn${i}`);
      await churner.close();
    }
    const late = await TestClient.join(await joinSeat(server.url), 'late');
    clients.push(late);
    await late.nextSnapshot();
    const lateId = late.welcome!.playerId;
    for (const client of steady) {
      await rosterWhere(client, 'the late join', () => client.roster.players.has(lateId));
      expect(client.undecodable).toEqual([]);
      expect(client.roster.version).toBe(late.roster.version);
      expect(client.roster.list()).toEqual(late.roster.list());
    }
    // 30 joins and leaves: each a few dozen bytes to each steady client, never a whole list.
    const received = steady.map((client, i) => client.rosterBytes - before[i]!);
    for (const bytes of received) expect(bytes).toBeLessThan(60 * 40);
    const rosterMessages = late.messages.items.filter(
      (m) => m.id === ServerMessageId.PLAYERS || m.id === ServerMessageId.ROSTER_CHANGES,
    );
    expect(rosterMessages[0]!.id).toBe(ServerMessageId.PLAYERS);
    const stats = JSON.parse((await httpGet(server, '/stats')).body).counters;
    expect(stats.rosterBytes - statsBefore.rosterBytes).toBeGreaterThanOrEqual(received.reduce((a, b) => a + b, 0));
    expect(stats.rosterMessages).toBeGreaterThan(statsBefore.rosterMessages);
    const health = await getHealth(server);
    expect(health.rosterBytes).toBe(stats.rosterBytes);
  });
});
