-- The sweep's second step: drop the rooms of processes that are still dead, and placed rooms still
-- unclaimed with no live seat, then forget the dead processes, atomically: a key's TTL removes no
-- member of an index, so this is what leaves nothing stale behind (no room without a live
-- process, no process without its key). Runs when find-expired found something.
--
-- KEYS[1] tw:procs   KEYS[2] tw:public   KEYS[3] tw:placed   KEYS[4] tw:draining   KEYS[5] tw:fresh
-- KEYS[5+j] for j = 1..d: tw:proc-rooms:<dead pid_j>
-- KEYS[5+d+5(i-1)+1..5] for i = 1..r: tw:room:<rid_i>, tw:seats:<rid_i>, tw:open:<shape_i>,
--   tw:code:<code_i> (placeholder), tw:proc-rooms:<owner_i>
-- ARGV[1] the lobby channel   ARGV[2] d   ARGV[2+j] dead pid_j
-- ARGV[2+d+2(i-1)+1] rid_i   ARGV[2+d+2(i-1)+2] why: 'dead' (its process is dead) | 'placed' (nobody came)
-- Returns JSON: {processes = n, rooms = n} forgotten.
--@include now
--@include seats
--@include drop

local now = nowMs()
local channel, d = ARGV[1], tonumber(ARGV[2])
local stillDead = {}
for j = 1, d do
  local pid = ARGV[2 + j]
  if not processAlive(KEYS[1], pid, now) then stillDead[pid] = KEYS[5 + j] end
end
local rooms = 0
local r = (#KEYS - 5 - d) / 5
for i = 1, r do
  local base = 5 + d + 5 * (i - 1)
  local roomKey, seatsKey = KEYS[base + 1], KEYS[base + 2]
  local rid, why = ARGV[2 + d + 2 * (i - 1) + 1], ARGV[2 + d + 2 * (i - 1) + 2]
  local owner, state = unpack(redis.call('HMGET', roomKey, 'proc', 'state'))
  local drop = false
  if why == 'dead' then
    if owner then
      drop = stillDead[owner] ~= nil
    else
      redis.call('SREM', KEYS[base + 5], rid) -- listed under its process, but its record is gone
    end
  elseif state == 'placed' then
    drop = liveSeats(seatsKey, now) == 0
  elseif not owner then
    redis.call('ZREM', KEYS[3], rid) -- the record is gone already
  end
  if drop then
    dropRoom(roomKey, seatsKey, KEYS[base + 3], KEYS[base + 4], KEYS[base + 5], KEYS[2], KEYS[3], rid, channel)
    rooms = rooms + 1
  end
end
local processes = 0
for pid, roomsKey in pairs(stillDead) do
  -- Rooms of it not listed in this call (over the per-call limit) wait for the next sweep.
  if redis.call('SCARD', roomsKey) == 0 then
    redis.call('ZREM', KEYS[1], pid)
    redis.call('SREM', KEYS[4], pid)
    redis.call('ZREM', KEYS[5], pid)
    processes = processes + 1
  end
end
return cjson.encode({ processes = processes, rooms = rooms })
