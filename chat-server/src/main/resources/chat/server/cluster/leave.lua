-- A named session's connection ended: its room is told, its name is free. What it holds is read
-- from the node's record, which every earlier command of the session has already updated.
-- ARGV: node, session, announce limit, lobby key
local node, sess = ARGV[1], ARGV[2]
drop_session(node, sess, tonumber(ARGV[3]), ARGV[4])
return 'ok'
