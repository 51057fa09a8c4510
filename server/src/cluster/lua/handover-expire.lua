-- The sweep's handover step: a handover whose target's heartbeat lapsed, or whose deadline passed
-- unclaimed, returns to owned by its source (handing-over ──target dead / deadline──► owned); an
-- entry whose room was removed meanwhile is forgotten. Runs once per heartbeat per process when
-- tw:handovers is not empty. The source learns of it from its abort's answer ('aborted').
--
-- KEYS[1] tw:procs   KEYS[2] tw:handovers
-- KEYS[3i], KEYS[3i+1], KEYS[3i+2] for i = 1..n: tw:room:<rid_i>, tw:room-state:<rid_i>, tw:proc-incoming:<target_i>
-- ARGV[2i-1] rid_i   ARGV[2i] target_i (as tw:handovers named it when read)
-- Returns JSON: {returned = n, forgotten = n}
--@include now
--@include seats
--@include handover

local now = nowMs()
local returned, forgotten = 0, 0
local n = (#KEYS - 2) / 3
for i = 1, n do
  local roomKey, stateKey, incomingKey = KEYS[3 * i], KEYS[3 * i + 1], KEYS[3 * i + 2]
  local rid, target = ARGV[2 * i - 1], ARGV[2 * i]
  if redis.call('HGET', KEYS[2], rid) == target then
    local room = redis.call('HMGET', roomKey, 'move', 'target', 'moveUntil')
    if room[1] ~= 'handing-over' or room[2] ~= target then
      -- The room was removed (or its record lost) while handing over: nothing to return.
      redis.call('HDEL', KEYS[2], rid)
      redis.call('SREM', incomingKey, rid)
      redis.call('DEL', stateKey)
      forgotten = forgotten + 1
    elseif (tonumber(room[3]) or 0) < now or not processAlive(KEYS[1], target, now) then
      returnToSource(roomKey, stateKey, KEYS[2], incomingKey, rid)
      returned = returned + 1
    end
  end
end
return cjson.encode({ returned = returned, forgotten = forgotten })
