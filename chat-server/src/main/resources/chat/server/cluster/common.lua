-- Shared by every script (RedisScripts puts it in front of each). ARGV[1] is always the
-- calling node's id. Keys (one Redis, not Redis Cluster: a script touches many rooms):
--   chat:nodes            ZSET  node -> lease end (ms, Redis time)
--   chat:dead:NODE        a node the others declared dead, for a day
--   chat:sessions:NODE    HASH  session -> member \n room \n name key \n name skeleton
--   chat:nk:KEY, chat:ns:SKELETON   who holds a name: NODE \n SESSION
--   chat:rooms            HASH  room key -> display name \n skeleton \n generation
--   chat:restoring        set for a lease when a node finds Redis lost its data: until every
--                         node has claimed its clients again, no command may run
--   chat:roomgen          the last room generation: each room made gets the next (a room made
--                         again after it ended is told apart from the one before)
--   chat:roomsk           HASH  room skeleton -> room key
--   chat:members:ROOM     ZSET  score 0, member = sort key SPACE display name (lexical = who-list order)
--   chat:seq              HASH  room key -> number of its last kept line
--   chat:log:ROOM         STREAM of kept lines, id 0-SEQ, fields t (ms) and l (the line)
-- Messages: chat:bus for every node (K kept line, L left, J arrived, R renamed, E room ended);
-- chat:to:NODE for one node (D a session's result, P a private line). Fields split by LF.
local P = 'chat:'
local BUS = P .. 'bus'

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function registered(node)
  return redis.call('ZSCORE', P .. 'nodes', node)
end

-- Why a client's command may not run, or nil: its node is no longer in the cluster ('gone'); or
-- ('late') the command comes after the Redis time, its last argument, after which its sender has
-- been told it failed (Redis was stalled, or the command waited behind others), or while the
-- nodes claim their clients again after Redis lost its data (a name claimed now could be one a
-- node has not claimed back yet).
local function refusal(node)
  if not registered(node) then
    return 'gone'
  end
  if now_ms() > tonumber(ARGV[#ARGV]) or redis.call('EXISTS', P .. 'restoring') == 1 then
    return 'late'
  end
  return nil
end

local function announces(limit, members)
  return limit == 0 or members <= limit
end

local function split(s)
  local parts = {}
  for part in string.gmatch(s, '[^\n]+') do
    parts[#parts + 1] = part
  end
  return parts
end

local function display_of(member)
  return string.match(member, ' (.*)$')
end

-- The result of a session's command, to its node, after everything the command published.
local function result(node, sess, op, fields)
  local msg = 'D\n' .. sess .. '\n' .. op
  for _, f in ipairs(fields) do
    msg = msg .. '\n' .. f
  end
  redis.call('PUBLISH', P .. 'to:' .. node, msg)
end

local function end_room(room)
  local info = redis.call('HGET', P .. 'rooms', room)
  if info then
    redis.call('HDEL', P .. 'roomsk', split(info)[2])
  end
  redis.call('HDEL', P .. 'rooms', room)
  redis.call('HDEL', P .. 'seq', room)
  redis.call('DEL', P .. 'members:' .. room, P .. 'log:' .. room)
  redis.call('PUBLISH', BUS, 'E\n' .. room)
end

local function leave_room(room, member, limit, lobby)
  local members = P .. 'members:' .. room
  local size = redis.call('ZCARD', members)
  if redis.call('ZREM', members, member) == 0 then
    return
  end
  if announces(limit, size) then
    redis.call('PUBLISH', BUS, 'L\n' .. room .. '\n' .. display_of(member))
  end
  if size == 1 and room ~= lobby then
    end_room(room)
  end
end

-- Returns the members before, and the first 100 of them in who-list order.
local function enter_room(room, member, limit)
  local members = P .. 'members:' .. room
  local size = redis.call('ZCARD', members)
  local first = redis.call('ZRANGE', members, 0, 99)
  if announces(limit, size + 1) then
    redis.call('PUBLISH', BUS, 'J\n' .. room .. '\n' .. display_of(member))
  end
  redis.call('ZADD', members, 0, member)
  return size, first
end

local function name_free(owner, key, skel)
  local k = redis.call('GET', P .. 'nk:' .. key)
  local s = redis.call('GET', P .. 'ns:' .. skel)
  return (not k or k == owner) and (not s or s == owner)
end

local function claim_name(owner, key, skel)
  redis.call('SET', P .. 'nk:' .. key, owner)
  redis.call('SET', P .. 'ns:' .. skel, owner)
end

local function release_name(owner, key, skel)
  if redis.call('GET', P .. 'nk:' .. key) == owner then
    redis.call('DEL', P .. 'nk:' .. key)
  end
  if redis.call('GET', P .. 'ns:' .. skel) == owner then
    redis.call('DEL', P .. 'ns:' .. skel)
  end
end

-- For a named session's command: why it may not run, or nil and what Redis records the session
-- holds (member, room, name key, name skeleton). No record: Redis lost it ('gone'), and the node
-- makes Redis hold what it holds again.
local function holding(node, sess)
  local refused = refusal(node)
  if refused then
    return refused
  end
  local record = redis.call('HGET', P .. 'sessions:' .. node, sess)
  if not record then
    return 'gone'
  end
  return nil, split(record)
end

local function remember(node, sess, member, room, key, skel)
  redis.call('HSET', P .. 'sessions:' .. node, sess, member .. '\n' .. room .. '\n' .. key .. '\n' .. skel)
end

-- What a session holds goes: its name, its place in its room (announced as left).
local function drop(node, sess, info, limit, lobby)
  local parts = split(info)
  release_name(node .. '\n' .. sess, parts[3], parts[4])
  leave_room(parts[2], parts[1], limit, lobby)
end

local function drop_session(node, sess, limit, lobby)
  local info = redis.call('HGET', P .. 'sessions:' .. node, sess)
  if info then
    drop(node, sess, info, limit, lobby)
    redis.call('HDEL', P .. 'sessions:' .. node, sess)
  end
end

local function drop_node(node, limit, lobby)
  local sessions = redis.call('HGETALL', P .. 'sessions:' .. node)
  for i = 1, #sessions, 2 do
    drop(node, sessions[i], sessions[i + 1], limit, lobby)
  end
  redis.call('DEL', P .. 'sessions:' .. node)
  return #sessions / 2
end

local function ensure_room(room, display, skel)
  if redis.call('HEXISTS', P .. 'rooms', room) == 0 then
    local gen = redis.call('INCR', P .. 'roomgen')
    redis.call('HSET', P .. 'rooms', room, display .. '\n' .. skel .. '\n' .. gen)
    redis.call('HSET', P .. 'roomsk', skel, room)
  end
end

-- The room's display name and generation.
local function room_info(room)
  local raw = redis.call('HGET', P .. 'rooms', room)
  if not raw then
    return room, '0'
  end
  local info = split(raw)
  return info[1], info[3]
end
