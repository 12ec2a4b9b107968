-- What a node needs to catch up after a start or an outage: for every room, its key, display
-- name, generation, last line number and the kept lines after the number the node has (all held lines when
-- it has none). ARGV: node, then pairs of room key and the last number the node has.
local have = {}
for i = 2, #ARGV, 2 do
  have[ARGV[i]] = tonumber(ARGV[i + 1])
end
local out = {}
local rooms = redis.call('HGETALL', P .. 'rooms')
for i = 1, #rooms, 2 do
  local room = rooms[i]
  local seq = tonumber(redis.call('HGET', P .. 'seq', room) or '0')
  local after = have[room] or 0
  local lines = {}
  if seq > after then
    lines = redis.call('XRANGE', P .. 'log:' .. room, '0-' .. (after + 1), '+')
  end
  local flat = {}
  for _, entry in ipairs(lines) do
    local f = entry[2]
    local t, l
    for j = 1, #f, 2 do
      if f[j] == 't' then t = f[j + 1] elseif f[j] == 'l' then l = f[j + 1] end
    end
    flat[#flat + 1] = string.match(entry[1], '^0%-(%d+)$')
    flat[#flat + 1] = t
    flat[#flat + 1] = l
  end
  local info = split(rooms[i + 1])
  out[#out + 1] = {room, info[1], info[3], tostring(seq), flat}
end
-- How long the nodes still claim their clients again after Redis lost its data (ms; no line can be
-- said meanwhile, so this answer stays true until then).
return {tostring(math.max(0, redis.call('PTTL', P .. 'restoring'))), out}
