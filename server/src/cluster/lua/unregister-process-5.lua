-- A process leaves the cluster on a clean exit (after its rooms were removed one by one). Runs once.
--
-- KEYS[1] tw:proc:<pid>   KEYS[2] tw:procs   KEYS[3] tw:draining   KEYS[4] tw:proc-rooms:<pid>
-- KEYS[5] tw:fresh
-- ARGV[1] pid
-- Returns the rooms still listed for it (0 on a clean drain). With some left (a placed room never
-- made, a removal Redis never heard), the process is marked dead and draining at once instead: no
-- room or seat goes to it from now on, and the next sweep drops those rooms and then forgets it.
local left = redis.call('SCARD', KEYS[4])
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[5], ARGV[1])
if left == 0 then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
else
  redis.call('ZADD', KEYS[2], 0, ARGV[1])
  redis.call('SADD', KEYS[3], ARGV[1])
end
return left
