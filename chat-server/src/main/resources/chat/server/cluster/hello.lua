-- A name given at the prompt: claim it cluster-wide, then enter the lobby.
-- ARGV: node, session, op, name key, name skeleton, member, lobby key, lobby display, lobby skeleton, announce limit, deadline
local node, sess, op = ARGV[1], ARGV[2], ARGV[3]
local refused = refusal(node)
if refused then
  return refused
end
local owner = node .. '\n' .. sess
local key, skel, member, lobby = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
if not name_free(owner, key, skel) then
  result(node, sess, op, {'taken'})
  return 'ok'
end
-- A name this session claimed in a command whose result it never got (an outage) goes first.
drop_session(node, sess, tonumber(ARGV[10]), lobby)
ensure_room(lobby, ARGV[8], ARGV[9])
claim_name(owner, key, skel)
remember(node, sess, member, lobby, key, skel)
local size, first = enter_room(lobby, member, tonumber(ARGV[10]))
local _, gen = room_info(lobby)
local fields = {'ok', gen, tostring(size)}
for _, m in ipairs(first) do
  fields[#fields + 1] = m
end
result(node, sess, op, fields)
return 'ok'
