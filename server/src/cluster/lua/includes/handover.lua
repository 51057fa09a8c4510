-- A room's move between processes (the state machine is drawn in server/src/cluster/roomMoves.ts):
-- the fields of tw:room:<rid> it keeps, and the one way back from handing-over to owned. Used by
-- the handover scripts (begin, claim, abort, expire).
--
-- Fields: move = 'owned' (or absent) | 'handing-over' | 'claimed'; epoch = the last handover begun
-- (0 or absent before any; it only grows, so a claim or abort of an earlier handover never matches
-- a later one); from, target, targetUrl, moveUntil (Redis ms) while handing-over.

-- handing-over ──abort / target dead / deadline──► owned (by the source, at the same epoch): the
-- blob is deleted and the target no longer counts the room as incoming.
local function returnToSource(roomKey, stateKey, handoversKey, incomingKey, rid)
  redis.call('HSET', roomKey, 'move', 'owned')
  redis.call('HDEL', roomKey, 'target', 'targetUrl', 'moveUntil')
  redis.call('DEL', stateKey)
  redis.call('HDEL', handoversKey, rid)
  redis.call('SREM', incomingKey, rid)
end
