-- After an outage, Redis is made to hold exactly what this node's sessions hold now, whatever it
-- kept meanwhile: nothing (it restarted empty), an older snapshot, or results of commands whose
-- answers never reached the node. First what Redis records for the node goes, silently (the
-- departures during the outage were announced before this runs); then each session claims its
-- name and place again, and rooms number new lines after the ones the node has seen. Returns the
-- sessions whose name someone else holds now.
-- ARGV: node, lobby key, then per session: session, member, room key, room display, room
--       skeleton, name key, name skeleton; then per room: 'seq', room key, last seq
local node, lobby = ARGV[1], ARGV[2]
local recorded = redis.call('HGETALL', P .. 'sessions:' .. node)
for i = 1, #recorded, 2 do
  local info = split(recorded[i + 1])
  release_name(node .. '\n' .. recorded[i], info[3], info[4])
  redis.call('ZREM', P .. 'members:' .. info[2], info[1])
end
redis.call('DEL', P .. 'sessions:' .. node)
local lost = {}
local i = 3
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
-- Rooms that only this node's records kept alive end now.
for j = 1, #recorded, 2 do
  local room = split(recorded[j + 1])[2]
  if room ~= lobby and redis.call('EXISTS', P .. 'members:' .. room) == 0 and redis.call('HEXISTS', P .. 'rooms', room) == 1 then
    end_room(room)
  end
end
return lost
