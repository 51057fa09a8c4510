-- The Redis server's clock in ms: the one clock every process agrees on (seat expiry, liveness),
-- so no machine's own clock decides. Used by every script that judges time.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
