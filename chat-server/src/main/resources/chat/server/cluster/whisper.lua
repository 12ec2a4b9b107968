-- /msg: find who holds the name anywhere in the cluster and send them the line.
-- ARGV: node, session, op, target key, target skeleton, line for the target, deadline
local node, sess, op = ARGV[1], ARGV[2], ARGV[3]
local refused = refusal(node)
if refused then
  return refused
end
local owner = redis.call('GET', P .. 'nk:' .. ARGV[4]) or redis.call('GET', P .. 'ns:' .. ARGV[5])
local info = owner and redis.call('HGET', P .. 'sessions:' .. split(owner)[1], split(owner)[2])
if not info then
  result(node, sess, op, {'none'})
  return 'ok'
end
local to = split(owner)
redis.call('PUBLISH', P .. 'to:' .. to[1], 'P\n' .. to[2] .. '\n' .. ARGV[6])
result(node, sess, op, {'ok', display_of(split(info)[1])})
return 'ok'
