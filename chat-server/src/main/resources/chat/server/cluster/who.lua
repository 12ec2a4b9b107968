-- /who: the room's size and the first 100 members in who-list order.
-- ARGV: node, session, op, room, deadline
local node, sess, op = ARGV[1], ARGV[2], ARGV[3]
if not registered(node) then
  return 'gone'
end
if late() then
  return 'late'
end
local members = P .. 'members:' .. ARGV[4]
local fields = {'ok', tostring(redis.call('ZCARD', members))}
for _, m in ipairs(redis.call('ZRANGE', members, 0, 99)) do
  fields[#fields + 1] = m
end
result(node, sess, op, fields)
return 'ok'
