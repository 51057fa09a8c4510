-- handing-over(target, epoch) ──claim──► claimed(owner = target): the target takes the room and its
-- state blob in one step. Succeeds only if the room is handing over to THIS process at THAT epoch
-- and the claimant's own heartbeat is alive (a process the sweep counts as dead never takes a room).
-- Runs once per offer a process hears of.
--
-- KEYS[1] tw:procs   KEYS[2] tw:handovers   KEYS[3] tw:room:<rid>   KEYS[4] tw:room-state:<rid>
-- KEYS[5] tw:proc-rooms:<source>   KEYS[6] tw:proc-rooms:<target>   KEYS[7] tw:proc-incoming:<target>
-- ARGV[1] rid   ARGV[2] target pid (the caller)   ARGV[3] epoch   ARGV[4] source pid (from the offer)
-- Returns an array: {'ok', epoch, blob} (now the room's process: restore and run it) |
--   {'refused', epoch} (not handing over to this process at that epoch: do nothing) |
--   {'not-alive', epoch} (the claimant's heartbeat lapsed) | {'no-state', epoch} (the blob expired;
--   the handover returns to its source) | {'gone', 0} (no such room)
--@include now
--@include seats

local now = nowMs()
local rid, target, epoch, source = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
if redis.call('EXISTS', KEYS[3]) == 0 then return { 'gone', 0 } end
local room = redis.call('HMGET', KEYS[3], 'move', 'epoch', 'from', 'target', 'targetUrl')
local current = tonumber(room[2]) or 0
if room[1] ~= 'handing-over' or current ~= epoch or room[4] ~= target or room[3] ~= source then
  return { 'refused', current }
end
if not processAlive(KEYS[1], target, now) then return { 'not-alive', current } end
local blob = redis.call('GET', KEYS[4])
if not blob then return { 'no-state', current } end

redis.call('HSET', KEYS[3], 'proc', target, 'url', room[5], 'move', 'claimed')
redis.call('HDEL', KEYS[3], 'target', 'targetUrl', 'moveUntil')
redis.call('SREM', KEYS[5], rid)
redis.call('SADD', KEYS[6], rid)
redis.call('SREM', KEYS[7], rid)
redis.call('HDEL', KEYS[2], rid)
redis.call('DEL', KEYS[4])
return { 'ok', current, blob }
