-- The hosting process's report of one room: its settings and its players as an absolute value
-- (never +1/−1, which drift across retries and outages), with the seats used since the last report.
-- Runs on every change of the room's players and once per heartbeat; it also re-lists a room whose
-- record was lost (Redis restarted, or the process was swept while it stalled).
--
-- KEYS[1] tw:room:<rid>   KEYS[2] tw:seats:<rid>   KEYS[3] tw:open:<shape>   KEYS[4] tw:public
-- KEYS[5] tw:placed       KEYS[6] tw:proc-rooms:<pid>   KEYS[7] tw:code:<code> (placeholder for a public room)
-- ARGV[1] rid   ARGV[2] pid   ARGV[3] process url   ARGV[4] scenario   ARGV[5] maxPlayers
-- ARGV[6] tickRate   ARGV[7] snapshotRate   ARGV[8] private '0' | '1'   ARGV[9] code ('' if public)
-- ARGV[10] createdAt   ARGV[11] players   ARGV[12] the lobby channel   ARGV[13] viewRadius (world units)
-- ARGV[14..] nonces used since the last report
-- Returns JSON: {status='ok', pending} (seats reserved and not used) | {status='other', pid} (another process holds it)
--@include now
--@include seats

local now = nowMs()
local rid, pid, players = ARGV[1], ARGV[2], tonumber(ARGV[11])
local owner = redis.call('HGET', KEYS[1], 'proc')
if owner and owner ~= pid then return cjson.encode({ status = 'other', pid = owner }) end
local before = tonumber(redis.call('HGET', KEYS[1], 'players'))
for i = 14, #ARGV do redis.call('ZREM', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'id', rid, 'proc', pid, 'url', ARGV[3], 'scenario', ARGV[4],
  'maxPlayers', ARGV[5], 'tickRate', ARGV[6], 'snapshotRate', ARGV[7], 'private', ARGV[8],
  'code', ARGV[9], 'createdAt', ARGV[10], 'players', players, 'state', 'hosted', 'viewRadius', ARGV[13])
redis.call('SADD', KEYS[6], rid)
redis.call('ZREM', KEYS[5], rid)
if ARGV[9] ~= '' then redis.call('SET', KEYS[7], rid, 'NX') end -- never another room's code
local pending = liveSeats(KEYS[2], now)
indexRoom(KEYS[3], rid, tonumber(ARGV[5]) - players - pending, ARGV[8])
if ARGV[8] ~= '1' then
  if redis.call('ZADD', KEYS[4], 'NX', tonumber(ARGV[10]), rid) == 1 then
    redis.call('PUBLISH', ARGV[12], cjson.encode({
      type = 'added', id = rid, scenario = ARGV[4], players = players, maxPlayers = tonumber(ARGV[5]),
      tickRate = tonumber(ARGV[6]), createdAt = tonumber(ARGV[10]), processId = pid, processUrl = ARGV[3],
    }))
  elseif before ~= players then
    redis.call('PUBLISH', ARGV[12], cjson.encode({ type = 'players', id = rid, players = players }))
  end
end
return cjson.encode({ status = 'ok', pending = pending })
