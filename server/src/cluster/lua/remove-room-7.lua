-- The hosting process removes one of its rooms (disposed: idle, failed or closed). Runs once per room.
--
-- KEYS[1] tw:room:<rid>   KEYS[2] tw:seats:<rid>   KEYS[3] tw:open:<shape>   KEYS[4] tw:public
-- KEYS[5] tw:placed       KEYS[6] tw:proc-rooms:<pid>   KEYS[7] tw:code:<code> (placeholder for a public room)
-- ARGV[1] rid   ARGV[2] pid   ARGV[3] the lobby channel
-- Returns 1 if removed, 0 if another process holds the room or it is handing over (nothing
-- changes: the handover's claim, abort or sweep decides where it lives; see roomMoves.ts).
--@include drop

local owner, move = unpack(redis.call('HMGET', KEYS[1], 'proc', 'move'))
if owner and owner ~= ARGV[2] then return 0 end
if move == 'handing-over' then return 0 end
dropRoom(KEYS[1], KEYS[2], KEYS[3], KEYS[7], KEYS[6], KEYS[4], KEYS[5], ARGV[1], ARGV[3])
return 1
