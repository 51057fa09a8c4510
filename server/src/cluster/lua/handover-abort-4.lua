-- handing-over(target, epoch) ──abort──► owned: the source gives up (its deadline passed, or it
-- cannot wait). Succeeds only if the room is still handing over at that epoch, or the sweep already
-- returned it to the source at that epoch. Runs at most once per handover, on the source.
--
-- Only 'aborted' lets the source run the room again; on any other answer the room is not the
-- source's any more (claimed: live on the target; stale or gone: it changed hands or was removed).
--
-- KEYS[1] tw:handovers   KEYS[2] tw:room:<rid>   KEYS[3] tw:room-state:<rid>   KEYS[4] tw:proc-incoming:<target>
-- ARGV[1] rid   ARGV[2] source pid (the caller)   ARGV[3] epoch (from begin's answer)   ARGV[4] target pid (from begin's answer)
-- Returns JSON: {status='aborted'} | {status='claimed', pid, url} | {status='stale', epoch} | {status='gone'}
--@include handover

local rid, source, epoch, target = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local room = redis.call('HMGET', KEYS[2], 'proc', 'url', 'move', 'epoch', 'from', 'target')
if not room[1] then return cjson.encode({ status = 'gone' }) end
local current = tonumber(room[4]) or 0
if current ~= epoch then return cjson.encode({ status = 'stale', epoch = current }) end
if room[3] == 'handing-over' and room[5] == source and room[6] == target then
  returnToSource(KEYS[2], KEYS[3], KEYS[1], KEYS[4], rid)
  return cjson.encode({ status = 'aborted' })
end
if room[3] == 'claimed' and room[1] ~= source then
  return cjson.encode({ status = 'claimed', pid = room[1], url = room[2] })
end
if room[1] == source and room[3] ~= 'handing-over' then return cjson.encode({ status = 'aborted' }) end
return cjson.encode({ status = 'gone' })
