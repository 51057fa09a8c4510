-- owned ──begin──► handing-over(target, epoch + 1): a draining process offers one of its rooms to
-- another process, with the room's state blob. Runs once per room the source moves (its drain).
--
-- The target: a live process that is not the source, not draining, and under its --max-rooms
-- (rooms hosted, placed and incoming) and --max-total-players (with this room's players). Preferred
-- in this order: one that started at or after the drain began (in a rolling deploy a room then moves
-- once, to a new process, not once per old one), under 90 % CPU, fewest rooms, fewest players,
-- least CPU (as place-room.lua). The offer is published on the target's own channel.
--
-- KEYS[1] tw:procs   KEYS[2] tw:draining   KEYS[3] tw:handovers   KEYS[4] tw:room:<rid>
-- KEYS[5] tw:room-state:<rid>
-- KEYS[3+3i], KEYS[4+3i], KEYS[5+3i] for i = 1..n: tw:proc:<pid_i>, tw:proc-rooms:<pid_i>, tw:proc-incoming:<pid_i>
-- ARGV[1] rid   ARGV[2] source pid   ARGV[3] state blob (bytes)   ARGV[4] handover lifetime ms
-- ARGV[5] when the source's drain began (epoch ms, compared with the processes' startedAt)
-- ARGV[4+2i], ARGV[5+2i] for i = 1..n: pid_i, tw:proc-channel:<pid_i>
-- Returns JSON: {status='ok', target, url, epoch, until} | {status='no-target'} |
--   {status='not-owner', pid} (no such room, another process holds it, or it is placed and not yet made) | {status='busy', epoch}
--   (already handing over) | {status='not-alive'} (the source's own heartbeat lapsed)
--@include now
--@include seats
--@include load

local now = nowMs()
local rid, source, ttl, drainedAt = ARGV[1], ARGV[2], tonumber(ARGV[4]), tonumber(ARGV[5])
local room = redis.call('HMGET', KEYS[4], 'proc', 'state', 'move', 'epoch', 'players')
if room[1] ~= source or room[2] ~= 'hosted' then
  return cjson.encode({ status = 'not-owner', pid = room[1] or '' })
end
local epoch = tonumber(room[4]) or 0
if room[3] == 'handing-over' then return cjson.encode({ status = 'busy', epoch = epoch }) end
if not processAlive(KEYS[1], source, now) then return cjson.encode({ status = 'not-alive' }) end

local roomPlayers = tonumber(room[5]) or 0
local best, bestLoad = nil, nil
local n = (#KEYS - 5) / 3
for i = 1, n do
  local pid = ARGV[4 + 2 * i]
  if pid ~= source and processAlive(KEYS[1], pid, now) and redis.call('SISMEMBER', KEYS[2], pid) == 0 then
    local p = redis.call('HMGET', KEYS[3 + 3 * i], 'url', 'players', 'cpu', 'maxRooms', 'maxTotalPlayers', 'startedAt')
    if p[1] then
      local rooms = redis.call('SCARD', KEYS[4 + 3 * i]) + redis.call('SCARD', KEYS[5 + 3 * i])
      local players, cpu = tonumber(p[2]) or 0, tonumber(p[3]) or 0
      if rooms < tonumber(p[4]) and players + roomPlayers <= tonumber(p[5]) then
        local older = (tonumber(p[6]) or 0) >= drainedAt and 0 or 1
        local load = { older, cpu >= 0.9 and 1 or 0, rooms, players, cpu }
        if lighter(load, bestLoad) then
          best, bestLoad = { pid = pid, url = p[1], incoming = KEYS[5 + 3 * i], channel = ARGV[5 + 2 * i] }, load
        end
      end
    end
  end
end
if best == nil then return cjson.encode({ status = 'no-target' }) end

epoch = epoch + 1
local untilMs = now + ttl
redis.call('HSET', KEYS[4], 'move', 'handing-over', 'epoch', epoch, 'from', source, 'target', best.pid,
  'targetUrl', best.url, 'moveUntil', untilMs)
redis.call('SET', KEYS[5], ARGV[3], 'PX', ttl)
redis.call('HSET', KEYS[3], rid, best.pid)
redis.call('SADD', best.incoming, rid)
redis.call('PUBLISH', best.channel, cjson.encode({ type = 'handover', room = rid, epoch = epoch, from = source }))
return cjson.encode({ status = 'ok', target = best.pid, url = best.url, epoch = epoch, ['until'] = untilMs })
