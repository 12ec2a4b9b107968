-- What a node needs to catch up after a start or an outage, a page at a time (so that no answer
-- is bigger than a few MB however many rooms and lines there are): for each room in key order
-- from the given position, its key, display name, generation, last line number, whether the page
-- holds all its kept lines after the number the node has ('1') or only the first ones ('0'), and
-- those lines (number, time, line). The node applies a page, then asks for the next from where
-- it ended, with its numbers updated.
-- ARGV: node, most lines per page, first room position (1-based), then pairs of room key and
--       the last number the node has. Returns {restoring ms, next position (0: done), rooms}.
local budget, from = tonumber(ARGV[2]), tonumber(ARGV[3])
local have = {}
for i = 4, #ARGV, 2 do
  have[ARGV[i]] = tonumber(ARGV[i + 1])
end
local keys = redis.call('HKEYS', P .. 'rooms')
table.sort(keys)
local out = {}
local next = 0
for i = from, #keys do
  if budget <= 0 then
    next = i
    break
  end
  local room = keys[i]
  local seq = tonumber(redis.call('HGET', P .. 'seq', room) or '0')
  local after = have[room] or 0
  local lines = {}
  if seq > after then
    lines = redis.call('XRANGE', P .. 'log:' .. room, '0-' .. (after + 1), '+', 'COUNT', budget)
  end
  local flat = {}
  local last = after
  for _, entry in ipairs(lines) do
    local f = entry[2]
    local t, l
    for j = 1, #f, 2 do
      if f[j] == 't' then t = f[j + 1] elseif f[j] == 'l' then l = f[j + 1] end
    end
    local n = string.match(entry[1], '^0%-(%d+)$')
    flat[#flat + 1] = n
    flat[#flat + 1] = t
    flat[#flat + 1] = l
    last = tonumber(n)
  end
  budget = budget - #lines
  local complete = #lines == 0 or last >= seq or budget > 0
  local info = split(redis.call('HGET', P .. 'rooms', room))
  out[#out + 1] = {room, info[1], info[3], tostring(seq), complete and '1' or '0', flat}
  if not complete then
    next = i -- the rest of this room's lines on the next page
    break
  end
end
-- How long the nodes still claim their clients again after Redis lost its data (ms; no line can be
-- said meanwhile, so this answer stays true until then).
return {tostring(math.max(0, redis.call('PTTL', P .. 'restoring'))), tostring(next), out}
