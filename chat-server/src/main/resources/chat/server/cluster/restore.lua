-- Redis came back without this node's data (restarted empty): claim again what its sessions
-- hold, and number new lines after the ones the node has seen. Returns the sessions whose name
-- someone else took meanwhile.
-- ARGV: node, then per session: session, member, room key, room display,
--       room skeleton, name key, name skeleton; then per room: 'seq', room key, last seq
local node = ARGV[1]
local lost = {}
local i = 2
while i <= #ARGV do
  if ARGV[i] == 'seq' then
    local room, seq = ARGV[i + 1], tonumber(ARGV[i + 2])
    if tonumber(redis.call('HGET', P .. 'seq', room) or '0') < seq then
      redis.call('HSET', P .. 'seq', room, seq)
    end
    i = i + 3
  else
    local sess, member, room, key, skel = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 5], ARGV[i + 6]
    local owner = node .. '\n' .. sess
    if name_free(owner, key, skel) then
      claim_name(owner, key, skel)
      ensure_room(room, ARGV[i + 3], ARGV[i + 4])
      remember(node, sess, member, room, key, skel)
      redis.call('ZADD', P .. 'members:' .. room, 0, member)
    else
      lost[#lost + 1] = sess
    end
    i = i + 7
  end
end
return lost
