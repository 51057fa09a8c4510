// Integration: resume after a dropped connection, against the real server process with a short
// grace. A player whose socket is cut without a close frame comes back with its WELCOME's token to
// the same id, score, hp and position (DEBUG_STATE); a token after the grace gets 4017; a close
// 1000 removes the player without it ever being listed as reconnecting.
import { CloseCode, type EntityTuple, PROTOCOL_VERSION, ServerMessageId } from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoom, seatIn, type Ticket } from './support/seats.js';
import { type ServerProcess, startServer } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS, TestClient } from './support/testClient.js';

/** Short, so the late-resume case waits little; long enough that a loaded machine resumes within it. */
const GRACE_MS = 3000;

/** Resolves once `client` has applied a snapshot after holding a roster where `predicate` holds. */
async function rosterWhere(client: TestClient, what: string, predicate: () => boolean): Promise<void> {
  if (predicate()) return;
  await client.snapshots.next(what, EVENT_TIMEOUT_MS, predicate);
}

/** Player `id` as the server holds it (DEBUG_STATE), asked through `client`. */
async function serverState(client: TestClient, id: number): Promise<EntityTuple | undefined> {
  const reply = client.debugStates.next('DEBUG_STATE', EVENT_TIMEOUT_MS);
  client.requestDebugState();
  const { message } = await reply;
  return message.entities.find((entity) => entity.id === id);
}

/** Open a socket to the room and send a resume HELLO with `token` (no seat). */
async function resumeWith(ticket: Ticket, token: string): Promise<TestClient> {
  const client = await TestClient.connect({ wsUrl: ticket.wsUrl, seat: '' });
  client.hello('ignored', PROTOCOL_VERSION, '', token);
  return client;
}

describe('resume on a real server', () => {
  let server: ServerProcess;
  let ticket: Ticket;
  let watcher: TestClient;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startServer(['--debug-state', 'true', '--reconnect-grace-ms', String(GRACE_MS)]);
    ticket = await createRoom(server.url);
    watcher = await TestClient.join(ticket, 'watcher');
    clients.push(watcher);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await server.stop();
  });

  it('a player cut off without a close frame resumes with its token: same id, score, hp and position', async () => {
    const ann = await TestClient.join(await seatIn(server.url, ticket.roomId), 'ann');
    const welcome = ann.welcome!;
    expect(welcome.reconnectGraceMs).toBe(GRACE_MS);
    expect(welcome.resumeToken).not.toBe('');
    const id = welcome.playerId;
    // Move east for a while, so its position is its own, then stop and let the server settle.
    for (let i = 0; i < 10; i++) {
      ann.input({ moveX: 1 });
      await ann.nextSnapshot();
    }
    ann.input({ moveX: 0 });
    await ann.nextSnapshot((_s, world) => world[id]?.vx === 0);
    const before = await serverState(ann, id);
    expect(before).toBeDefined();
    const score = watcher.roster.players.get(id);
    ann.ws.terminate();
    await rosterWhere(watcher, 'ann reconnecting', () => watcher.roster.players.get(id)?.reconnecting === true);

    const back = await resumeWith(ticket, welcome.resumeToken);
    clients.push(back);
    const again = await back.waitWelcome();
    expect(again.playerId).toBe(id);
    expect(again.resumeToken).not.toBe(welcome.resumeToken);
    // The first snapshot of the new connection, even if it came in with the WELCOME.
    const first = (await back.snapshots.find('the first snapshot after the resume', 5000)).snapshot;
    expect(first.baseAge).toBe(0);
    expect(await serverState(back, id)).toEqual(before);
    await rosterWhere(watcher, 'ann back', () => watcher.roster.players.get(id)?.reconnecting === false);
    expect(watcher.roster.players.get(id)).toEqual({ ...score, reconnecting: false });
    expect(back.undecodable).toEqual([]);
  });

  it('a token after the grace gets 4017 SESSION_EXPIRED, and the player has left the roster', async () => {
    const carl = await TestClient.join(await seatIn(server.url, ticket.roomId), 'carl');
    const { playerId, resumeToken } = carl.welcome!;
    carl.ws.terminate();
    await rosterWhere(watcher, 'carl reconnecting', () => watcher.roster.players.get(playerId)?.reconnecting === true);
    await rosterWhere(watcher, 'carl gone after the grace', () => !watcher.roster.players.has(playerId));
    const late = await resumeWith(ticket, resumeToken);
    clients.push(late);
    expect((await late.waitClosed()).code).toBe(CloseCode.SESSION_EXPIRED);
  });

  it('a close 1000 removes the player at once: never listed as reconnecting', async () => {
    const dan = await TestClient.join(await seatIn(server.url, ticket.roomId), 'dan');
    const id = dan.welcome!.playerId;
    await rosterWhere(watcher, 'dan listed', () => watcher.roster.players.has(id));
    const seenFrom = watcher.messages.items.length;
    await dan.close();
    await rosterWhere(watcher, 'dan gone', () => !watcher.roster.players.has(id));
    const flagged = watcher.messages.items
      .slice(seenFrom)
      .flatMap((m) => (m.id === ServerMessageId.ROSTER_CHANGES ? m.joined : []))
      .filter((entry) => entry.id === id && entry.reconnecting === 1);
    expect(flagged).toEqual([]);
  });
});
