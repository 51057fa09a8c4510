-- Take a room out of every listing and index, atomically, and tell the lobbies if it was listed.
-- Used when its process removes it, when its process is dead, and when nobody took a placed room.
local function dropRoom(roomKey, seatsKey, indexKey, codeKey, procRoomsKey, publicKey, placedKey, rid, channel)
  redis.call('DEL', roomKey, seatsKey)
  redis.call('ZREM', indexKey, rid)
  redis.call('ZREM', placedKey, rid)
  redis.call('SREM', procRoomsKey, rid)
  if redis.call('GET', codeKey) == rid then redis.call('DEL', codeKey) end
  if redis.call('ZREM', publicKey, rid) == 1 then
    redis.call('PUBLISH', channel, cjson.encode({ type = 'removed', id = rid }))
  end
end
