-- /nick: the new name is claimed and the old one freed at once, and the room is told. What the
-- session holds now is read from the node's record of it.
-- ARGV: node, session, op, new key, new skeleton, new member, announce limit, deadline
local node, sess, op = ARGV[1], ARGV[2], ARGV[3]
local refused, old = holding(node, sess)
if refused then
  return refused
end
local owner = node .. '\n' .. sess
local key, skel, member = ARGV[4], ARGV[5], ARGV[6]
if not name_free(owner, key, skel) then
  result(node, sess, op, {'taken'})
  return 'ok'
end
local room = old[2]
release_name(owner, old[3], old[4])
claim_name(owner, key, skel)
remember(node, sess, member, room, key, skel)
local members = P .. 'members:' .. room
redis.call('ZREM', members, old[1])
redis.call('ZADD', members, 0, member)
if announces(tonumber(ARGV[7]), redis.call('ZCARD', members)) then
  redis.call('PUBLISH', BUS, 'R\n' .. room .. '\n' .. display_of(old[1]) .. '\n' .. display_of(member))
end
result(node, sess, op, {'ok'})
return 'ok'
