-- /rooms: every room's display name and size (the node sorts them).
-- ARGV: node, session, op, deadline
local node, sess, op = ARGV[1], ARGV[2], ARGV[3]
if not registered(node) then
  return 'gone'
end
if late() then
  return 'late'
end
local fields = {'ok'}
local rooms = redis.call('HGETALL', P .. 'rooms')
for i = 1, #rooms, 2 do
  fields[#fields + 1] = split(rooms[i + 1])[1]
  fields[#fields + 1] = tostring(redis.call('ZCARD', P .. 'members:' .. rooms[i]))
end
result(node, sess, op, fields)
return 'ok'
