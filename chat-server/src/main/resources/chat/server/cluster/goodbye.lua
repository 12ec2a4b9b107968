-- The node stops: its sessions are announced as left and their names freed, now rather than
-- after --node-timeout. ARGV: node, announce limit, lobby key
local node = ARGV[1]
redis.call('ZREM', P .. 'nodes', node)
return drop_node(node, tonumber(ARGV[2]), ARGV[3])
