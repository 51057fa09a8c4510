// The Redis link against a real redis-server that stalls (SIGSTOP: the socket stays open, nothing
// answers): calls fail at their deadline, the link notices the stall and counts as down, comes back
// when Redis does, and close() never hangs on a stalled Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLink } from '../src/cluster/redisLink.js';
import { createLogger } from '../src/log.js';
import { type RedisServer, startRedis } from './support/redisServer.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  process.kill(redis.pid, 'SIGCONT');
  await redis.stop();
});

/** Poll until `condition` holds (real time passes: a deadline must be missed); fail after 10 s. */
async function eventually(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not reached in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RedisLink against a stalled Redis', () => {
  it('fails calls at the deadline, counts as down after three in a row, and is up again when Redis answers', {
    timeout: 30_000,
  }, async () => {
    const link = new RedisLink({ url: redis.url, timeoutMs: 100, log: createLogger('error') });
    link.connect();
    await eventually(() => link.up);
    process.kill(redis.pid, 'SIGSTOP');
    try {
      for (let i = 0; i < 3; i++) await expect(link.call(['PING'])).rejects.toThrow(/redis unavailable/);
      expect(link.up).toBe(false);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    // The process's heartbeat calls every second; here the test calls until one is answered.
    await eventually(async () => {
      await link.call(['PING']).catch(() => undefined);
      return link.up;
    });
    await link.close();
  });

  it('closes within its deadline while Redis is stalled', async () => {
    const link = new RedisLink({ url: redis.url, timeoutMs: 100, log: createLogger('error') });
    link.connect();
    await eventually(() => link.up);
    process.kill(redis.pid, 'SIGSTOP');
    try {
      await link.close(); // resolves: no upper bound asserted, but a hang would time the test out
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    expect(link.up).toBe(false);
  });
});
