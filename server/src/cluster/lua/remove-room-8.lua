-- The hosting process removes one of its rooms. Runs once per room disposed (and again, each
-- heartbeat, until Redis has answered). An idle room (no players, no seat its process knew of) that
-- Redis still holds a live seat for was reserved in the last moments by another process: it is not
-- dropped but placed on this process again, so the seat's holder gets a fresh room, not 410.
--
-- KEYS[1] tw:room:<rid>   KEYS[2] tw:seats:<rid>   KEYS[3] tw:open:<shape>   KEYS[4] tw:public
-- KEYS[5] tw:placed       KEYS[6] tw:proc-rooms:<pid>   KEYS[7] tw:code:<code> (placeholder for a public room)
-- KEYS[8] tw:draining
-- ARGV[1] rid   ARGV[2] pid   ARGV[3] the lobby channel   ARGV[4] why: 'idle' | 'ended'
-- Returns 1 if removed, 2 if placed again (idle, a seat is out), 0 if another process holds the room.
--@include now
--@include seats
--@include drop

local now = nowMs()
local owner = redis.call('HGET', KEYS[1], 'proc')
if owner and owner ~= ARGV[2] then return 0 end
if owner and ARGV[4] == 'idle' and redis.call('SISMEMBER', KEYS[8], ARGV[2]) == 0 then
  local pending = liveSeats(KEYS[2], now)
  if pending > 0 then
    local last = redis.call('ZRANGE', KEYS[2], 0, 0, 'REV', 'WITHSCORES')
    redis.call('HSET', KEYS[1], 'players', 0, 'state', 'placed')
    redis.call('ZADD', KEYS[5], tonumber(last[2]), ARGV[1])
    local max, private = unpack(redis.call('HMGET', KEYS[1], 'maxPlayers', 'private'))
    indexRoom(KEYS[3], ARGV[1], tonumber(max) - pending, private)
    return 2
  end
end
dropRoom(KEYS[1], KEYS[2], KEYS[3], KEYS[7], KEYS[6], KEYS[4], KEYS[5], ARGV[1], ARGV[3])
return 1
