-- A room's pending seats and its place in its shape's open index. Used by the scripts that reserve,
-- report or drop rooms.

-- Live pending seats at `now`: expired ones are forgotten first, so the count is exact.
local function liveSeats(seatsKey, now)
  redis.call('ZREMRANGEBYSCORE', seatsKey, '-inf', now)
  return redis.call('ZCARD', seatsKey)
end

-- A public room with a free seat is in its shape's open index, scored by free seats (so the fullest
-- comes first); a full or private room is not.
local function indexRoom(indexKey, rid, free, isPrivate)
  if isPrivate == '1' or free <= 0 then
    redis.call('ZREM', indexKey, rid)
  else
    redis.call('ZADD', indexKey, free, rid)
  end
end

-- Whether a process beat recently (tw:fresh: within about two and a half of its heartbeats). One that
-- did not may be dead: its rooms stay listed until its TTL, but no new room or seat goes to it.
local function processFresh(freshKey, pid, now)
  local freshUntil = tonumber(redis.call('ZSCORE', freshKey, pid))
  return freshUntil ~= nil and freshUntil >= now
end

-- Whether a process is alive at `now`: its entry in tw:procs is refreshed with its key's TTL.
local function processAlive(procsKey, pid, now)
  local aliveUntil = tonumber(redis.call('ZSCORE', procsKey, pid))
  return aliveUntil ~= nil and aliveUntil >= now
end
