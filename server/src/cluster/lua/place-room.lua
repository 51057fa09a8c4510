-- Place a new room on the least-loaded live process that is not draining, and reserve the
-- creator's seat in it, in one step. The room counts against that process at once (its
-- tw:proc-rooms set), so a burst of creates between two heartbeats spreads out, and --max-rooms
-- holds. The process makes the room when the first seat's socket arrives (its record carries the
-- settings); a placed room nobody joins expires (the sweep). Runs once per room created.
--
-- Least loaded: a process under 90 % CPU before one over it, then the fewest rooms (counted here),
-- then the fewest players, then the least CPU (players and CPU from the heartbeats).
--
-- KEYS[1] tw:procs   KEYS[2] tw:draining   KEYS[3] tw:placed   KEYS[4] tw:req:<requestId> (placeholder without one)
-- KEYS[5] tw:open:<shape>   KEYS[6] tw:public   KEYS[7] tw:room:<rid>   KEYS[8] tw:seats:<rid>
-- KEYS[9] tw:code:<code> (placeholder for a public room)   KEYS[10] tw:fresh
-- KEYS[9+2i], KEYS[10+2i] for i = 1..n: tw:proc:<pid_i>, tw:proc-rooms:<pid_i>
-- ARGV[1] rid   ARGV[2] scenario   ARGV[3] maxPlayers   ARGV[4] tickRate   ARGV[5] snapshotRate
-- ARGV[6] private '0' | '1'   ARGV[7] code ('' for a public room)   ARGV[8] nonce
-- ARGV[9] seat lifetime ms   ARGV[10] margin ms   ARGV[11] requestId ('' for none)
-- ARGV[12] mode: 'create' | 'joinable' (answer 'retry' if the shape's index holds an open room)
-- ARGV[13] viewRadius (world units, 0 = everything)   ARGV[14] the lobby channel   ARGV[14+i] pid_i
-- Returns JSON: {status='ok', room, pid, url, nonce, exp, createdAt} | {status='retry'} |
--   {status='at-capacity'} | {status='draining'} | {status='code-taken'} | {status='id-taken'}
--@include now
--@include seats
--@include load
--@include answer

local now = nowMs()
local recalled = recallAnswer(KEYS[4], ARGV[11])
if recalled then return recalled end
local rid, maxPlayers, isPrivate, code = ARGV[1], tonumber(ARGV[3]), ARGV[6], ARGV[7]
local nonce, ttl, margin = ARGV[8], tonumber(ARGV[9]), tonumber(ARGV[10])
if ARGV[12] == 'joinable' and #redis.call('ZRANGE', KEYS[5], 1, '+inf', 'BYSCORE', 'LIMIT', 0, 1) > 0 then
  return cjson.encode({ status = 'retry' })
end
if redis.call('EXISTS', KEYS[7]) == 1 then return cjson.encode({ status = 'id-taken' }) end

local best, bestLoad, anyDraining = nil, nil, false
local n = (#KEYS - 10) / 2
for i = 1, n do
  local pid = ARGV[14 + i]
  if processAlive(KEYS[1], pid, now) and processFresh(KEYS[10], pid, now) then
    if redis.call('SISMEMBER', KEYS[2], pid) == 1 then
      anyDraining = true
    else
      local p = redis.call('HMGET', KEYS[9 + 2 * i], 'url', 'players', 'cpu', 'maxRooms', 'maxTotalPlayers')
      if p[1] then
        local rooms = redis.call('SCARD', KEYS[10 + 2 * i])
        local players, cpu = tonumber(p[2]) or 0, tonumber(p[3]) or 0
        if rooms < tonumber(p[4]) and players < tonumber(p[5]) then
          local load = { cpu >= 0.9 and 1 or 0, rooms, players, cpu }
          if lighter(load, bestLoad) then best, bestLoad = { pid = pid, url = p[1], roomsKey = KEYS[10 + 2 * i] }, load end
        end
      end
    end
  end
end
if best == nil then
  return cjson.encode({ status = (anyDraining and 'draining' or 'at-capacity') })
end
if code ~= '' and not redis.call('SET', KEYS[9], rid, 'NX') then
  return cjson.encode({ status = 'code-taken' })
end

local exp = now + ttl
redis.call('HSET', KEYS[7], 'id', rid, 'proc', best.pid, 'url', best.url, 'scenario', ARGV[2],
  'maxPlayers', ARGV[3], 'tickRate', ARGV[4], 'snapshotRate', ARGV[5], 'private', isPrivate,
  'code', code, 'createdAt', now, 'players', 0, 'state', 'placed', 'viewRadius', ARGV[13])
redis.call('ZADD', KEYS[8], exp + margin, nonce)
redis.call('SADD', best.roomsKey, rid)
redis.call('ZADD', KEYS[3], exp + margin, rid)
indexRoom(KEYS[5], rid, maxPlayers - 1, isPrivate)
if isPrivate ~= '1' then
  redis.call('ZADD', KEYS[6], now, rid)
  redis.call('PUBLISH', ARGV[14], cjson.encode({
    type = 'added', id = rid, scenario = ARGV[2], players = 0, maxPlayers = maxPlayers,
    tickRate = tonumber(ARGV[4]), createdAt = now, processId = best.pid, processUrl = best.url,
  }))
end
return storeAnswer(KEYS[4], ARGV[11], {
  status = 'ok', room = rid, pid = best.pid, url = best.url, nonce = nonce, exp = exp, createdAt = now,
  code = (code ~= '' and code or nil),
}, ttl)
