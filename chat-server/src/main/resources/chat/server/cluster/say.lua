-- A chat or /me line: numbered in its room, kept in the room's stream (trimmed to the history
-- length), and published with its number, its time and who sent it (its node counts it as back).
-- ARGV: node, session, room, history length, line, deadline
local node = ARGV[1]
local refused = refusal(node)
if refused then
  return refused
end
local room, history = ARGV[3], tonumber(ARGV[4])
local now = now_ms()
local _, gen = room_info(room)
local seq = redis.call('HINCRBY', P .. 'seq', room, 1)
if history > 0 then
  redis.call('XADD', P .. 'log:' .. room, 'MAXLEN', history, '0-' .. seq, 't', now, 'l', ARGV[5])
end
redis.call('PUBLISH', BUS, 'K\n' .. room .. '\n' .. gen .. '\n' .. seq .. '\n' .. now .. '\n' .. node .. '\n' .. ARGV[2]
  .. '\n' .. ARGV[5])
return 'ok'
