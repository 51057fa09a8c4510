-- A process's heartbeat: (re)writes its registration and pushes its liveness TTL forward. Runs once
-- per --process-heartbeat-ms per process, and at start. Load figures are absolute values.
--
-- KEYS[1] tw:proc:<pid>   KEYS[2] tw:procs   KEYS[3] tw:draining   KEYS[4] tw:proc-rooms:<pid>
-- KEYS[5] tw:fresh
-- ARGV[1] pid             ARGV[2] ttl ms      ARGV[3] public url   ARGV[4] rooms hosted
-- ARGV[5] players         ARGV[6] cpu (fraction of one core)       ARGV[7] maxRooms
-- ARGV[8] maxTotalPlayers ARGV[9] draining '0' | '1'               ARGV[10] startedAt (epoch ms)
-- ARGV[11] its heartbeat interval ms: it counts as fresh for two and a half of them
-- Returns the rooms listed for the process (placed on it or hosted): a drain waits for placed ones.
--@include now

local now = nowMs()
redis.call('HSET', KEYS[1],
  'id', ARGV[1], 'url', ARGV[3], 'rooms', ARGV[4], 'players', ARGV[5], 'cpu', ARGV[6],
  'maxRooms', ARGV[7], 'maxTotalPlayers', ARGV[8], 'draining', ARGV[9], 'startedAt', ARGV[10],
  'heartbeatMs', ARGV[11],
  'seenAt', now)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZADD', KEYS[5], now + math.floor(2.5 * tonumber(ARGV[11])), ARGV[1])
if ARGV[9] == '1' then
  redis.call('SADD', KEYS[3], ARGV[1])
else
  redis.call('SREM', KEYS[3], ARGV[1])
end
return redis.call('SCARD', KEYS[4])
