-- /rooms: every room's display name and size (the node sorts them).
-- ARGV: node, session, op, deadline
local node, sess, op = ARGV[1], ARGV[2], ARGV[3]
local refused = refusal(node)
if refused then
  return refused
end
local fields = {'ok'}
local rooms = redis.call('HGETALL', P .. 'rooms')
for i = 1, #rooms, 2 do
  fields[#fields + 1] = split(rooms[i + 1])[1]
  fields[#fields + 1] = tostring(redis.call('ZCARD', P .. 'members:' .. rooms[i]))
end
result(node, sess, op, fields)
return 'ok'
