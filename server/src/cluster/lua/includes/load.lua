-- How placement ranks processes: a load is a list compared element by element, lower first (the
-- scripts that choose a process build it from their heartbeat's figures). Used by place-room and
-- handover-begin.
local function lighter(load, best)
  if best == nil then return true end
  for k = 1, #load do
    if load[k] ~= best[k] then return load[k] < best[k] end
  end
  return false
end
