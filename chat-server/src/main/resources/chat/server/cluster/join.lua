-- /join: leave the room the session is in (told, and ended if it was the last one there), then
-- enter the target, made if it does not exist and the room limit allows. What the session holds
-- now is read from the node's record of it.
-- ARGV: node, session, op, target key, target display, target skeleton, max rooms, announce limit, lobby key, deadline
local node, sess, op = ARGV[1], ARGV[2], ARGV[3]
local refused, held = holding(node, sess)
if refused then
  return refused
end
local member, from = held[1], held[2]
local limit, lobby = tonumber(ARGV[8]), ARGV[9]
local target = redis.call('HGET', P .. 'roomsk', ARGV[6]) or ARGV[4]
local info = redis.call('HGET', P .. 'rooms', target)
if target == from then
  result(node, sess, op, {'already', split(info)[1]})
  return 'ok'
end
if not info then
  local leaving_frees_one = from ~= lobby and redis.call('ZCARD', P .. 'members:' .. from) == 1
  if redis.call('HLEN', P .. 'rooms') >= tonumber(ARGV[7]) and not leaving_frees_one then
    result(node, sess, op, {'full'})
    return 'ok'
  end
end
leave_room(from, member, limit, lobby)
ensure_room(target, ARGV[5], ARGV[6])
local display, gen = room_info(target)
remember(node, sess, member, target, held[3], held[4])
local size, first = enter_room(target, member, limit)
local fields = {'ok', target, display, gen, tostring(size)}
for _, m in ipairs(first) do
  fields[#fields + 1] = m
end
result(node, sess, op, fields)
return 'ok'
