// Integration: a room moves between two real server processes on a real redis-server when its
// process drains (SIGTERM). Its player is closed with 4019 MOVED whose reason names the room's socket
// on the other process (as does that process's POST /matchmake {mode: 'resume'}), resumes there with its token,
// and finds the same id, score, health and position (DEBUG_STATE); the draining process exits 0.
import { randomBytes } from 'node:crypto';
import { CloseCode, type EntityTuple, PROTOCOL_VERSION, roomSocketUrl } from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchmake } from '../client/src/net/matchmake.js';
import { type RedisServer, startRedis } from '../server/test/support/redisServer.js';
import { getHealth, type ServerProcess, startServer } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS, TestClient } from './support/testClient.js';

const SECRET = randomBytes(32).toString('base64url');
let redis: RedisServer;
const processes: ServerProcess[] = [];

async function member(id: string): Promise<ServerProcess> {
  const server = await startServer(
    [
      '--redis-url',
      redis.url,
      '--process-id',
      id,
      '--process-heartbeat-ms',
      '200',
      '--process-ttl-ms',
      '1500',
      '--redis-timeout-ms',
      '5000',
      '--debug-state',
      'true',
      '--reconnect-grace-ms',
      '8000',
      '--drain-deadline-ms',
      '20000',
    ],
    { TICKWIRE_SEAT_SECRET: SECRET },
  );
  processes.push(server);
  await until(async () => (await getHealth(server)).lastHeartbeatAgoMs !== null);
  return server;
}

/** Poll every 50 ms until `condition` holds (a throw counts as not yet); fail after 20 s. */
async function until(condition: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = performance.now() + 20_000;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // not yet
    }
    if (performance.now() > deadline) throw new Error('condition not reached in 20 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function serverState(client: TestClient, id: number): Promise<EntityTuple | undefined> {
  const reply = client.debugStates.next('DEBUG_STATE', EVENT_TIMEOUT_MS);
  client.requestDebugState();
  const { message } = await reply;
  return message.entities.find((entity) => entity.id === id);
}

beforeAll(async () => {
  redis = await startRedis();
}, 60_000);

afterAll(async () => {
  for (const server of processes) await server.stop();
  await redis?.stop();
});

describe('a room moves when its process drains', () => {
  it('closes its player with 4019, and the player resumes on the other process with the same entity', async () => {
    const source = await member('source');
    // The room lands on the source: it is the only process yet.
    const answer = await matchmake(source.url, { mode: 'create', maxPlayers: 4 });
    if (!answer.ok) throw new Error(`matchmake: ${answer.error}`);
    expect(new URL(answer.wsUrl).port).toBe(String(source.port));
    const ann = await TestClient.join(answer, 'ann');
    const id = ann.welcome!.playerId;
    for (let i = 0; i < 10; i++) {
      ann.input({ moveX: 1 });
      await ann.nextSnapshot();
    }
    ann.input({ moveX: 0 });
    await ann.nextSnapshot((_s, world) => world[id]?.vx === 0);
    const before = await serverState(ann, id);
    const token = ann.welcome!.resumeToken;
    // Tokens are re-issued per WELCOME only; the last one is the one to resume with.
    const target = await member('target');

    source.signal('SIGTERM');
    const closed = await ann.closed;
    expect(closed.code).toBe(CloseCode.MOVED);
    // Its reason names the room's socket on the target, so a client need not ask anyone.
    expect(closed.reason).toBe(roomSocketUrl(target.url, answer.roomId));

    // Any process's matchmaker knows where it is too.
    const lookup = await matchmake(target.url, { mode: 'resume', resumeToken: token });
    if (!lookup.ok) throw new Error(`resume lookup: ${lookup.error}`);
    expect(lookup.roomId).toBe(answer.roomId);
    expect(lookup.wsUrl).toBe(closed.reason);
    const back = await TestClient.connect({ wsUrl: lookup.wsUrl, seat: '' });
    back.hello('ann', PROTOCOL_VERSION, '', token);
    const again = await back.waitWelcome();
    expect(again.playerId).toBe(id);
    await back.nextSnapshot();
    const after = await serverState(back, id);
    expect(after).toEqual(before);
    expect((await source.exited).code).toBe(0);
    await back.close();
  });
});
