// Test support for the Redis directory's tests: a connected RedisDirectory on a test's redis-server,
// and a process registration with defaults. Once per test that needs a directory.
import type { ProcessRecord } from '../../src/cluster/redisDirectory.js';
import { RedisDirectory } from '../../src/cluster/redisDirectory.js';
import { RedisLink } from '../../src/cluster/redisLink.js';
import type { Logger } from '../../src/log.js';
import { until } from './until.js';

/** A directory on its own connection to `url` (pushed on `links` for the test's afterAll to close). */
export async function connectDirectory(
  url: string,
  links: RedisLink[],
  log: Logger,
): Promise<{ dir: RedisDirectory; link: RedisLink }> {
  // A generous deadline: the tests assert outcomes, and CI machines are shared.
  const link = new RedisLink({ url, timeoutMs: 20_000, log });
  link.connect();
  links.push(link);
  await until(() => link.up);
  return { dir: new RedisDirectory(link, log), link };
}

/** A process's registration: URL http://<id>, no load, the default caps, a slow heartbeat (always fresh). */
export function processRecord(id: string, over: Partial<ProcessRecord> = {}): ProcessRecord {
  return {
    id,
    heartbeatMs: 60_000,
    url: `http://${id}`,
    rooms: 0,
    players: 0,
    cpu: 0,
    maxRooms: 256,
    maxTotalPlayers: 2048,
    draining: false,
    startedAt: 0,
    ...over,
  };
}
