-- Reserve one seat in the first candidate room that has a free one: the capacity check and the
-- reservation are one step, so racing calls on any number of processes never overfill a room.
-- Runs once per join (by id or code) and per joinOrCreate round (after reading its shape's index).
--
-- KEYS[1] tw:procs   KEYS[2] tw:draining   KEYS[3] tw:placed   KEYS[4] tw:req:<requestId> (placeholder without one)
-- KEYS[5] the open index of the rooms' shape   KEYS[6] tw:fresh
-- KEYS[5+2i], KEYS[6+2i] for i = 1..n: tw:room:<rid_i>, tw:seats:<rid_i>
-- ARGV[1] nonce   ARGV[2] seat lifetime ms   ARGV[3] margin ms (Redis holds the place this much longer)
-- ARGV[4] requestId ('' for none)   ARGV[5] mode: 'join' (the room named, private or not) |
--         'joinable' (public rooms only, and 'retry' when the index holds an open room not offered)
-- ARGV[5+i] rid_i
-- Returns JSON: {status='ok', room, pid, url, nonce, exp, createdAt} | {status='full'} |
--   {status='none'} (no such room) | {status='retry'} | {status='draining'} | {status='late'} (its process's heartbeats are late)
--@include now
--@include seats
--@include answer

local now = nowMs()
local recalled = recallAnswer(KEYS[4], ARGV[4])
if recalled then return recalled end
local nonce, ttl, margin, mode = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[5]
local n = (#KEYS - 6) / 2
local offered, full, draining, late = {}, false, false, false
for i = 1, n do
  local roomKey, seatsKey, rid = KEYS[5 + 2 * i], KEYS[6 + 2 * i], ARGV[5 + i]
  offered[rid] = true
  local room = redis.call('HMGET', roomKey, 'proc', 'url', 'maxPlayers', 'players', 'private', 'createdAt')
  if not room[1] then
    redis.call('ZREM', KEYS[5], rid) -- gone: a stale index entry
  elseif not processAlive(KEYS[1], room[1], now) then
    redis.call('ZREM', KEYS[5], rid) -- its process is dead: no seat for it; the sweep drops the rest
  elseif not processFresh(KEYS[6], room[1], now) then
    redis.call('ZREM', KEYS[5], rid) -- its heartbeats are late (it may be dead): none now; its report re-indexes it
    late = true
  elseif redis.call('SISMEMBER', KEYS[2], room[1]) == 1 then
    redis.call('ZREM', KEYS[5], rid)
    draining = true
  elseif not (mode == 'joinable' and room[5] == '1') then
    local free = tonumber(room[3]) - (tonumber(room[4]) or 0) - liveSeats(seatsKey, now)
    if free > 0 then
      local exp = now + ttl
      redis.call('ZADD', seatsKey, exp + margin, nonce)
      redis.call('ZADD', KEYS[3], 'XX', 'GT', exp + margin, rid) -- a placed room lives while a seat may come
      indexRoom(KEYS[5], rid, free - 1, room[5])
      return storeAnswer(KEYS[4], ARGV[4], {
        status = 'ok', room = rid, pid = room[1], url = room[2], nonce = nonce, exp = exp,
        createdAt = tonumber(room[6]),
      }, ttl)
    end
    indexRoom(KEYS[5], rid, free, room[5])
    full = true
  end
end
if mode == 'joinable' then
  -- Rooms in the index that were not offered came after the caller's read: read again.
  local open = redis.call('ZRANGE', KEYS[5], 1, '+inf', 'BYSCORE', 'LIMIT', 0, n + 1)
  for _, rid in ipairs(open) do
    if not offered[rid] then return cjson.encode({ status = 'retry' }) end
  end
  return cjson.encode({ status = 'none' })
end
if full then return cjson.encode({ status = 'full' }) end
if draining then return cjson.encode({ status = 'draining' }) end
if late then return cjson.encode({ status = 'late' }) end
return cjson.encode({ status = 'none' })
