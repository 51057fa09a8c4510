// Integration: the default size of a room a cluster's joinOrCreate makes, against a real redis-server
// (started here on a free loopback port, stopped by PID) and one real server process with
// --max-players above 1,024. As on one process (matchmakeRequest.ts defaultPlayersOf), a room that
// sends everyone everything is made of at most 1,024 players; a room with a view radius of them all.
import { randomBytes } from 'node:crypto';
import type { RoomsAnswer } from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchmake } from '../client/src/net/matchmake.js';
import { type RedisServer, startRedis } from '../server/test/support/redisServer.js';
import { getHealth, httpGet, type ServerProcess, startServer } from './support/serverProcess.js';
import { until } from './support/until.js';

let redis: RedisServer;
let server: ServerProcess;

beforeAll(async () => {
  redis = await startRedis();
  server = await startServer(
    ['--redis-url', redis.url, '--process-id', 'sizes', '--max-players', '2048', '--max-total-players', '4096'],
    { TICKWIRE_SEAT_SECRET: randomBytes(32).toString('base64url') },
  );
  await until('the process registered', async () => (await getHealth(server)).lastHeartbeatAgoMs !== null);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

async function maxPlayersOfRoom(roomId: string): Promise<number | undefined> {
  const answer = await httpGet(server, '/rooms');
  return (JSON.parse(answer.body) as RoomsAnswer).rooms.find((room) => room.id === roomId)?.maxPlayers;
}

describe('a cluster joinOrCreate that names no maxPlayers, with --max-players 2048', () => {
  it('makes an arena room of 1,024 players (whole view) and a world room of 2,048', async () => {
    const arena = await matchmake(server.url, { mode: 'joinOrCreate', scenario: 'arena' });
    const world = await matchmake(server.url, { mode: 'joinOrCreate', scenario: 'world' });
    if (!arena.ok || !world.ok) throw new Error(`matchmake refused: ${JSON.stringify({ arena, world })}`);
    expect(await maxPlayersOfRoom(arena.roomId)).toBe(1024);
    expect(await maxPlayersOfRoom(world.roomId)).toBe(2048);
  });
});
