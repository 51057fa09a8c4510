-- A matchmaking request's answer, kept for the seat's lifetime under its requestId, so a retried
-- request (the first answer timed out on the way back) gets the same room and seat, never a second.
local function recallAnswer(requestKey, requestId)
  if requestId == '' then return nil end
  return redis.call('GET', requestKey) or nil
end

local function storeAnswer(requestKey, requestId, answer, ttlMs)
  local encoded = cjson.encode(answer)
  if requestId ~= '' then redis.call('SET', requestKey, encoded, 'PX', ttlMs) end
  return encoded
end
