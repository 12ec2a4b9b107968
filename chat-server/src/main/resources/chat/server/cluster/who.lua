-- /who: the room's size and the first 100 members in who-list order.
-- ARGV: node, session, op, room, deadline
local node, sess, op = ARGV[1], ARGV[2], ARGV[3]
local refused = refusal(node)
if refused then
  return refused
end
local members = P .. 'members:' .. ARGV[4]
local fields = {'ok', tostring(redis.call('ZCARD', members))}
for _, m in ipairs(redis.call('ZRANGE', members, 0, 99)) do
  fields[#fields + 1] = m
end
result(node, sess, op, fields)
return 'ok'
