-- A chat or /me line: numbered in its room, kept in the room's stream (trimmed to the history
-- length), and published with its number, its time and who sent it (which ends the sender's command).
-- ARGV: node, session, op, room, history length, line, deadline
local node = ARGV[1]
local refused = refusal(node)
if refused then
  return refused
end
local room, history = ARGV[4], tonumber(ARGV[5])
local now = now_ms()
local _, gen = room_info(room)
local seq = redis.call('HINCRBY', P .. 'seq', room, 1)
if history > 0 then
  redis.call('XADD', P .. 'log:' .. room, 'MAXLEN', history, '0-' .. seq, 't', now, 'l', ARGV[6])
end
redis.call('PUBLISH', BUS, 'K\n' .. room .. '\n' .. gen .. '\n' .. seq .. '\n' .. now .. '\n' .. node .. '\n' .. ARGV[2]
  .. '\n' .. ARGV[3] .. '\n' .. ARGV[6])
return 'ok'
