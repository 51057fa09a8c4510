-- The sweep's first step: which processes' heartbeats have lapsed and which placed rooms nobody
-- took, by the Redis clock. Runs once per heartbeat per process (read only).
--
-- KEYS[1] tw:procs   KEYS[2] tw:placed
-- Returns JSON: {dead = {pid, …}, placed = {rid, …}} (at most 100 of each per call)
--@include now

local now = nowMs()
local dead = redis.call('ZRANGE', KEYS[1], '-inf', '(' .. now, 'BYSCORE', 'LIMIT', 0, 100)
local placed = redis.call('ZRANGE', KEYS[2], '-inf', '(' .. now, 'BYSCORE', 'LIMIT', 0, 100)
return cjson.encode({ dead = dead, placed = placed })
