package chat.server.chat;

import chat.protocol.Command;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import chat.protocol.ServerLines;
import chat.server.cluster.MemberEntry;
import chat.server.cluster.RedisCluster;
import chat.server.cluster.RedisScript;
import chat.server.config.History;
import chat.server.delivery.Delivery;
import chat.server.metrics.DisconnectReason;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The chat of a server in a cluster (PROTOCOL.md, "Clusters"): what needs the other servers
 * goes through Redis, and its result comes back as a message, in Redis's order, after every
 * line the command published. Meanwhile the session's next lines wait (see {@link Inbox}), so
 * a client sees its own line, then the answer to its next command, as on a server alone.
 *
 * <p>What stays local: the connections, each room's members on this server and its log of kept
 * lines (fed by the bus, in order, for every room), delivery, {@code /history}, {@code /help}
 * and {@code /quit}. Chat executor only.
 */
final class ClusterChat implements RedisCluster.Node {

    private final Broadcaster chat;
    private final Delivery delivery;
    private final RedisCluster cluster;
    /** Sessions Redis knows (named, or naming): results and private lines are addressed to them. */
    private final Map<String, Session> byId = new HashMap<>();
    /**
     * Messages from the cluster held while delivery here is behind. Past {@link
     * RedisCluster#MAX_HELD_CHARS}, this server has fallen too far behind the others' traffic: it
     * drops them and catches up from Redis (kept lines; the notices meanwhile are lost), like a
     * slow reader with history.
     */
    private final ArrayDeque<String> held = new ArrayDeque<>();
    private long heldChars;
    private final Runnable handleHeld;

    ClusterChat(Broadcaster chat, RedisCluster cluster) {
        this.chat = chat;
        this.delivery = chat.delivery;
        this.cluster = cluster;
        Runnable work = this::handleHeld;
        this.handleHeld = () -> chat.executor.execute(work);
    }

    /** A name the local checks allowed: claim it cluster-wide, then enter the lobby. */
    void hello(Session s, String name) {
        String key = Names.key(name);
        String skeleton = Names.skeleton(name);
        Room lobby = chat.rooms.lobby;
        await(s, RedisScript.HELLO, result -> {
            if (result[0].equals("taken")) {
                reply(s, ServerLines.nameTaken(name));
                reply(s, ServerLines.enterName());
                return;
            }
            chat.welcome(s, name);
            enter(s, chat.rooms.known(lobby.key, lobby.name, result[1]), result, 2);
        }, key, skeleton, MemberEntry.of(name), lobby.key, lobby.name, lobby.skeleton, announceLimit());
    }

    /** Runs the commands that need the cluster; false for those that stay local. */
    boolean run(Session s, Command command) {
        if (command instanceof Command.Say say) {
            say(s, ServerLines.chat(s.name, say.text()));
        } else if (command instanceof Command.Act act) {
            say(s, ServerLines.action(s.name, act.text()));
        } else if (command instanceof Command.Whisper w) {
            whisper(s, w);
        } else if (command instanceof Command.Rename r) {
            rename(s, Names.display(r.newName()));
        } else if (command instanceof Command.Join j) {
            join(s, RoomNames.display(j.room()));
        } else if (command instanceof Command.Rooms) {
            await(s, RedisScript.ROOMS, result -> reply(s, roomList(result)));
        } else if (command instanceof Command.Who) {
            await(s, RedisScript.WHO, result -> reply(s, ServerLines.hereNow(names(result, 2), Integer.parseInt(result[1]))),
                    s.room.key);
        } else if (command instanceof Command.History && !cluster.available()) {
            unavailable(s);
        } else {
            return false;
        }
        return true;
    }

    /**
     * A chat line: it does not wait for its result, so a fast sender has several on their way
     * (the connection to Redis keeps them in order); whatever the sender sends next that is not a
     * chat line waits for them to come back (see {@link Inbox}).
     */
    private void say(Session s, String line) {
        if (!cluster.available()) {
            unavailable(s);
            return;
        }
        s.inFlight++;
        byId.put(s.clusterId, s);
        cluster.call(RedisScript.SAY, () -> {
            unavailable(s);
            lineBack(s);
        }, s.clusterId, s.room.key, Integer.toString(chat.config.history().lines()), line);
    }

    /** One of the session's chat lines came back (or failed): the next command may go once none is left. */
    private void lineBack(Session s) {
        if (s.inFlight > 0) {
            s.inFlight--;
        }
        if (s.inFlight == 0 && s.awaiting == Session.LINES_IN_FLIGHT) {
            s.awaiting = 0;
            chat.resume(s);
        }
    }

    private void whisper(Session from, Command.Whisper w) {
        String to = Names.display(w.to());
        await(from, RedisScript.WHISPER, result -> reply(from, result[0].equals("none")
                        ? ServerLines.noOneNamed(w.to()) : ServerLines.privateTo(result[1], w.text())),
                Names.key(to), Names.skeleton(to), ServerLines.privateFrom(from.name, w.text()));
    }

    private void rename(Session s, String newName) {
        String problem = chat.names.problem(s, newName);
        if (problem != null) {
            reply(s, problem);
            return;
        }
        String oldName = s.name;
        await(s, RedisScript.RENAME, result -> {
            if (result[0].equals("taken")) {
                reply(s, ServerLines.nameTaken(newName));
                return;
            }
            chat.names.claim(s, newName);
            s.room.renamed(oldName, newName);
        }, Names.key(newName), Names.skeleton(newName), MemberEntry.of(newName), announceLimit());
    }

    private void join(Session s, String roomName) {
        if (!RoomNames.isValid(roomName)) {
            reply(s, ServerLines.invalidRoomName());
            return;
        }
        await(s, RedisScript.JOIN, result -> {
            switch (result[0]) {
                case "already" -> reply(s, ServerLines.alreadyIn(result[1]));
                case "full" -> reply(s, ServerLines.tooManyRooms(chat.rooms.limit()));
                default -> {
                    Room from = s.room;
                    chat.unsettle(s);
                    chat.rooms.left(from);
                    Room target = chat.rooms.known(result[1], result[2], result[3]);
                    reply(s, ServerLines.youAreIn(result[2]));
                    enter(s, target, result, 4);
                }
            }
        }, RoomNames.key(roomName), roomName, RoomNames.skeleton(roomName), Integer.toString(chat.rooms.limit()), announceLimit(),
                chat.rooms.lobby.key);
    }

    /** {@code result[at]} is how many were in the room before, the names follow. */
    private void enter(Session s, Room room, String[] result, int at) {
        chat.show(s, room, names(result, at + 1), Integer.parseInt(result[at]));
        chat.settle(s, room);
    }

    /** The session's connection ended: Redis is told (now, or when it is back). */
    void depart(Session s) {
        if (s.joined()) {
            Room room = s.room;
            chat.unsettle(s);
            chat.rooms.left(room);
            chat.names.release(s);
        }
        if (byId.remove(s.clusterId) != null) {
            cluster.leave(s.clusterId, announceLimit(), chat.rooms.lobby.key);
        }
    }

    /**
     * Sends the session's command; {@code onResult} gets the fields of its result. Until then the
     * session's next lines wait. If chat is not available, the sender gets the error line instead.
     */
    private void await(Session s, RedisScript script, Consumer<String[]> onResult, String... args) {
        if (!cluster.available()) {
            unavailable(s);
            return;
        }
        int command = ++s.lastCommand;
        s.awaiting = command;
        s.onResult = onResult;
        byId.put(s.clusterId, s);
        String[] argv = new String[args.length + 2];
        argv[0] = s.clusterId;
        argv[1] = Integer.toString(command);
        System.arraycopy(args, 0, argv, 2, args.length);
        cluster.call(script, () -> failed(s, command), argv);
    }

    private void failed(Session s, int command) {
        if (s.awaiting == command) {
            finish(s, null);
        }
    }

    /** The command's result, or null if it failed: the sender is answered, its next lines go. */
    private void finish(Session s, String[] result) {
        Consumer<String[]> onResult = s.onResult;
        s.awaiting = 0;
        s.onResult = null;
        if (!s.closing && !chat.stopping()) {
            if (result == null) {
                unavailable(s);
            } else {
                onResult.accept(result);
            }
        }
        if (!s.joined() && s.closing) {
            byId.remove(s.clusterId);
        }
        chat.resume(s);
    }

    private void unavailable(Session s) {
        chat.metrics.clusterUnavailable();
        reply(s, ServerLines.chatUnavailable());
        if (s.name == null) {
            reply(s, ServerLines.enterName());
        }
    }

    /**
     * A message from the cluster. Bus messages are not read less when this server is behind (the
     * others' clients do not wait for it), so they wait here while delivery catches up.
     */
    @Override
    public void message(String message) {
        if (chat.stopping()) {
            return;
        }
        if (held.isEmpty() && !chat.fanOut.saturated()) {
            handle(message);
            return;
        }
        if (heldChars + message.length() > RedisCluster.MAX_HELD_CHARS) {
            held.clear();
            heldChars = 0;
            cluster.fellBehind();
            return;
        }
        held.add(message);
        heldChars += message.length();
        if (held.size() == 1) {
            chat.fanOut.whenDrained(handleHeld);
        }
    }

    private void handleHeld() {
        while (!held.isEmpty() && !chat.fanOut.saturated() && !chat.stopping()) {
            String message = held.poll();
            heldChars -= message.length();
            handle(message);
        }
        if (!held.isEmpty()) {
            chat.fanOut.whenDrained(handleHeld);
        }
    }

    private void handle(String message) {
        String[] f = message.split("\n", -1);
        switch (f[0]) {
            case "K" -> kept(f);
            case "J" -> notice(f[1], ServerLines.arrived(f[2]), null);
            case "L" -> notice(f[1], ServerLines.left(f[2]), f[2]);
            case "R" -> notice(f[1], ServerLines.renamed(f[2], f[3]), null);
            case "E" -> {
                Room r = chat.rooms.byKey(f[1]);
                if (r != null) {
                    chat.rooms.ended(r);
                }
            }
            case "P" -> {
                Session to = byId.get(f[1]);
                if (to != null && to.joined()) {
                    delivery.notice(to.outbox(), f[2]);
                }
            }
            case "D" -> {
                Session s = byId.get(f[1]);
                if (s != null && s.awaiting == Integer.parseInt(f[2])) {
                    finish(s, Arrays.copyOfRange(f, 3, f.length));
                }
            }
            default -> throw new IllegalArgumentException("unknown cluster message " + f[0]);
        }
    }

    /** K room generation seq time node session line: a kept line, numbered by Redis. */
    private void kept(String[] f) {
        Room room = chat.rooms.known(f[1], f[1], f[2]);
        long seq = Long.parseLong(f[3]);
        if (seq > room.log.head()) { // not already caught up from the room's stream
            chat.deliverKept(room, seq, f[7], Long.parseLong(f[4]));
        }
        if (f[5].equals(cluster.nodeId())) {
            Session s = byId.get(f[6]);
            if (s != null) {
                lineBack(s);
            }
        }
    }

    /** A line to a room's members here; not to {@code leaver}, who has already gone from it. */
    private void notice(String roomKey, String line, String leaver) {
        Room room = chat.rooms.byKey(roomKey);
        if (room == null || room.isEmpty()) {
            return;
        }
        Session gone = leaver == null ? null : chat.names.find(leaver);
        delivery.notice(room.outboxes(), line, gone != null && gone.room == room ? gone.outbox() : null);
    }

    @Override
    public List<String> heads() {
        List<String> heads = new ArrayList<>();
        for (Room r : chat.rooms.all()) {
            heads.add(r.key);
            heads.add(Long.toString(r.log.head()));
        }
        return heads;
    }

    @Override
    public void synced(List<Object> rooms) {
        held.clear(); // older than what the catching up brings
        heldChars = 0;
        for (Object o : rooms) {
            List<?> entry = (List<?>) o;
            String key = (String) entry.get(0);
            long seq = Long.parseLong((String) entry.get(3));
            boolean complete = entry.get(4).equals("1");
            Room room = chat.rooms.known(key, (String) entry.get(1), (String) entry.get(2));
            List<?> lines = (List<?>) entry.get(5);
            for (int i = 0; i + 2 < lines.size(); i += 3) {
                long n = Long.parseLong((String) lines.get(i));
                if (n > room.log.head()) {
                    chat.deliverKept(room, n, (String) lines.get(i + 2), Long.parseLong((String) lines.get(i + 1)));
                }
            }
            if (complete) {
                room.log.skipTo(seq); // lines that left the stream, or none kept (--history 0)
            }
        }
    }

    @Override
    public void roomsAre(Set<String> keys) {
        List<Room> gone = new ArrayList<>();
        for (Room r : chat.rooms.all()) {
            if (!keys.contains(r.key)) {
                gone.add(r);
            }
        }
        gone.forEach(chat.rooms::ended);
    }

    @Override
    public List<String> restoreArguments() {
        List<String> args = new ArrayList<>();
        args.add(chat.rooms.lobby.key);
        for (Session s : byId.values()) {
            if (s.joined()) {
                args.addAll(List.of(s.clusterId, MemberEntry.of(s.name), s.room.key, s.room.name, s.room.skeleton,
                        s.key, s.skeleton));
            }
        }
        for (Room r : chat.rooms.all()) {
            args.addAll(List.of("seq", r.key, Long.toString(r.log.head())));
        }
        return args;
    }

    @Override
    public void nameLost(List<String> sessions) {
        for (String id : sessions) {
            Session s = byId.remove(id);
            if (s != null && s.joined()) {
                chat.unsettle(s);
                chat.names.release(s);
                chat.disconnect(s, DisconnectReason.CLUSTER, ServerLines.chatUnavailable());
            }
        }
    }

    @Override
    public void declaredDead() {
        List<Session> sessions = new ArrayList<>(byId.values());
        byId.clear();
        for (Session s : sessions) {
            if (s.joined()) {
                chat.unsettle(s);
                chat.names.release(s);
            }
            s.awaiting = 0;
            s.inFlight = 0;
            chat.disconnect(s, DisconnectReason.CLUSTER, ServerLines.chatUnavailable());
        }
    }

    @Override
    public void unavailable() {
        for (Session s : new ArrayList<>(byId.values())) {
            if (s.awaiting > 0) {
                finish(s, null);
            } else if (s.inFlight > 0) {
                s.inFlight = 1; // each failed line answers for itself; the next command need not wait
                lineBack(s);
            }
        }
    }

    /** {@code /rooms} from {@code ok, name, count, name, count...}, sorted as names. */
    private static String roomList(String[] result) {
        List<String[]> rooms = new ArrayList<>();
        for (int i = 1; i + 1 < result.length; i += 2) {
            rooms.add(new String[] {result[i], result[i + 1]});
        }
        rooms.sort((a, b) -> Names.DISPLAY_ORDER.compare(a[0], b[0]));
        List<String> entries = new ArrayList<>(rooms.size());
        for (String[] r : rooms) {
            entries.add(ServerLines.roomEntry(r[0], Integer.parseInt(r[1])));
        }
        return ServerLines.rooms(entries);
    }

    /** The names held by member entries {@code result[from..]}, in who-list order. */
    private static List<String> names(String[] result, int from) {
        List<String> names = new ArrayList<>(Math.max(0, result.length - from));
        for (int i = from; i < result.length; i++) {
            names.add(MemberEntry.name(result[i]));
        }
        return names;
    }

    private String announceLimit() {
        return Integer.toString(chat.config.limits().announceLimit());
    }

    private void reply(Session s, String line) {
        delivery.reply(s.outbox(), line);
    }
}
