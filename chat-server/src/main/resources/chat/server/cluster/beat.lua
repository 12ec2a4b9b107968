-- The node's heartbeat: renews its lease and, when it may, declares the nodes whose lease ran
-- out dead: each of their sessions is announced as left, once (ZREM decides who does it).
-- Returns {status, Redis time (ms), then per node declared dead: its id, its sessions dropped}: 'dead' (this node was declared dead),
-- 'new' (Redis did not know it: first beat, or Redis lost its data), or 'ok'.
-- A node told it was dead, and that has closed its sessions, beats again with revive set.
-- ARGV: node, lease ms, reap (1 or 0), announce limit, lobby key, tombstone ms, lobby display,
--       lobby skeleton, revive (1 or 0), reap deadline (a heartbeat that ran late, after Redis
--       stalled, must not declare dead the nodes whose heartbeats waited behind it), known (1 if
--       Redis listed this node before: finding it missing means Redis lost its data)
local node = ARGV[1]
if redis.call('EXISTS', P .. 'dead:' .. node) == 1 then
  if ARGV[9] ~= '1' then
    return {'dead'}
  end
  redis.call('DEL', P .. 'dead:' .. node)
end
local now = now_ms()
local added = redis.call('ZADD', P .. 'nodes', now + tonumber(ARGV[2]), node)
if added == 1 and ARGV[11] == '1' then
  -- Every node notices within a lease of the first one, and claims its clients again; no
  -- command runs meanwhile. (Set once: a node that is up again must not be refused again.)
  redis.call('SET', P .. 'restoring', '1', 'PX', tonumber(ARGV[2]), 'NX')
end
ensure_room(ARGV[5], ARGV[7], ARGV[8])
local out = {added == 1 and 'new' or 'ok', tostring(now)}
if ARGV[3] == '1' and now <= tonumber(ARGV[10]) then
  for _, dead in ipairs(redis.call('ZRANGEBYSCORE', P .. 'nodes', '-inf', now, 'LIMIT', 0, 16)) do
    redis.call('ZREM', P .. 'nodes', dead)
    redis.call('SET', P .. 'dead:' .. dead, '1', 'PX', tonumber(ARGV[6]))
    out[#out + 1] = dead
    out[#out + 1] = drop_node(dead, tonumber(ARGV[4]), ARGV[5])
  end
end
return out
