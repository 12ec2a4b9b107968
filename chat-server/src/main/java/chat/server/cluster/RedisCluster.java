package chat.server.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * This server's link to the others of its cluster, through one Redis: two connections (commands,
 * pipelined and flushed once per turn of the chat executor; and one subscription for the whole
 * node), the node's heartbeat, and whether chat is available.
 *
 * <p>Availability: {@code UP} while both connections work and the node's lease holds. Anything
 * else ({@code DOWN}) makes every call fail at once, and drops what arrives. Each heartbeat tick
 * while down tries to recover ({@code SYNCING}): the heartbeat tells whether the others declared
 * this node dead (its sessions are closed, then it comes back empty) or whether Redis lost its
 * data (the node claims its sessions' names and places again); then the node catches up on the
 * kept lines it missed, holding what arrives meanwhile, and is up again.
 *
 * <p>Leases: a node's lease is 4/5 of {@code --node-timeout}, renewed every 1/5; a node may
 * declare others dead only after it has been up for a whole lease itself, so that after an
 * outage everyone has had the time to renew first.
 *
 * <p>Threading: all state is the chat executor's; Lettuce's callbacks hop onto it.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
    public static final String BUS = "chat:bus";
    private static final String TO = "chat:to:";
    private static final long TOMBSTONE_MILLIS = TimeUnit.DAYS.toMillis(1);
    /**
     * Characters of messages from Redis that may wait at each of three places (the chat
     * executor's queue, here while catching up, and in the chat while delivery is behind); past
     * it this server drops them and catches up from Redis again, as after an outage.
     */
    public static final long MAX_HELD_CHARS = 16L << 20;
    /** Kept lines per page of catching up: a few MB at most (a line is 2 KB at most by default). */
    private static final int SYNC_PAGE_LINES = 2000;

    /** The chat, as the cluster link sees it. Chat executor only. */
    public interface Node {
        /** A message from the bus or for this node, in Redis's order. */
        void message(String message);

        /** The rooms this node holds lines of: room key, number of its last line, pairs. */
        List<String> heads();

        /** A page of what {@code sync.lua} returned: rooms, with the kept lines this node lacks. */
        void synced(List<Object> rooms);

        /** Caught up: these are all the rooms the cluster has; the others have ended. */
        void roomsAre(Set<String> keys);

        /** Redis lost this node's data: the arguments of {@code restore.lua} after the node id. */
        List<String> restoreArguments();

        /** Sessions whose name another took while Redis had forgotten it (see {@code restore.lua}). */
        void nameLost(List<String> sessions);

        /** The others declared this node dead: its sessions are gone from the cluster. */
        void declaredDead();

        /** Chat stopped being available: calls waiting for a result will not get one. */
        void unavailable();
    }

    /** What the scripts need to know of this server's options. */
    public record Settings(Duration nodeTimeout, int announceLimit, String lobbyKey, String lobbyDisplay,
            String lobbySkeleton) {
    }

    private enum State { DOWN, SYNCING, UP }

    private final EventExecutor executor;
    private final Settings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final String nodeId;
    private final long leaseMillis;
    private final long commandTimeoutMillis;
    /** Redis's clock less this machine's, from the last heartbeat: for the commands' deadlines. */
    private volatile long redisClockOffset;
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private final Consumer<Boolean> upGauge;
    private Node node;

    private State state = State.DOWN;
    private long upSinceNanos;
    private long lastBeatNanos;
    private boolean beating;
    private boolean revive;
    /** Redis has listed this node (under its id) before: if it does not now, it lost its data. */
    private boolean known;
    private long outageSinceNanos;
    private List<String> held = new ArrayList<>();
    private long heldChars;
    private final List<String[]> pendingLeaves = new ArrayList<>();
    private boolean flushScheduled;
    private ScheduledFuture<?> ticks;
    private volatile boolean closed;
    private final CountDownLatch firstUp = new CountDownLatch(1);

    /**
     * Connects and subscribes; throws {@link io.lettuce.core.RedisConnectionException} when Redis
     * cannot be reached. Nothing is available until {@link #start}.
     */
    public RedisCluster(String uri, Settings settings, EventExecutor executor, Consumer<Boolean> upGauge) {
        this.executor = executor;
        this.settings = settings;
        this.upGauge = upGauge;
        this.nodeId = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        this.leaseMillis = settings.nodeTimeout().toMillis() * 4 / 5;
        Duration commandTimeout = Duration.ofMillis(Math.max(500, leaseMillis / 2));
        this.commandTimeoutMillis = commandTimeout.toMillis();
        // The server runs on epoll; without this Lettuce warns that io_uring is there too, and picks epoll.
        if (System.getProperty("io.lettuce.core.iouring") == null) {
            System.setProperty("io.lettuce.core.iouring", "false");
        }
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(1)
                .computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, RedisURI.create(uri));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While Redis is away a line gets an error now; it is not queued for later.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // Nor is a command that was on its way when the connection broke sent again later:
                // its sender got the error line, so it must not take effect after all.
                .replayFilter(command -> true)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
                if (!closed) {
                    executor.execute(() -> down("connection lost"));
                }
            }
        });
        try {
            connection = client.connect(StringCodec.UTF8);
            // Commands go out in one write per turn of the chat executor (see scheduleFlush).
            connection.setAutoFlushCommands(false);
            commands = connection.async();
            subscription = client.connectPubSub(StringCodec.UTF8);
            subscription.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    // Lettuce reads as fast as Redis sends: what waits for the chat executor is bounded here.
                    if (queuedChars.addAndGet(message.length()) > MAX_HELD_CHARS) {
                        queuedChars.addAndGet(-message.length());
                        if (overflowing.compareAndSet(false, true)) { // one task for the whole overflow
                            executor.execute(() -> {
                                overflowing.set(false);
                                fellBehind();
                            });
                        }
                        return;
                    }
                    executor.execute(() -> {
                        queuedChars.addAndGet(-message.length());
                        arrived(message);
                    });
                }
            });
            subscription.sync().subscribe(BUS, TO + nodeId);
        } catch (RuntimeException e) {
            shutDownClient();
            throw e;
        }
    }

    /** Starts the heartbeat and waits (up to the node timeout) until this node is up. */
    public void start(Node n) throws InterruptedException {
        executor.execute(() -> {
            this.node = n;
            ticks = executor.scheduleAtFixedRate(this::tick, tickMillis(), tickMillis(), TimeUnit.MILLISECONDS);
            recover();
        });
        if (!firstUp.await(settings.nodeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IllegalStateException("Redis answers, but this server could not join the cluster in time");
        }
        log.info("cluster: node {} joined, node timeout {} ms", nodeId, settings.nodeTimeout().toMillis());
    }

    public String nodeId() {
        return nodeId;
    }

    /** Whether a line that needs Redis can be handled now. Chat executor only. */
    public boolean available() {
        if (state == State.UP && leaseLapsed()) {
            down("this server's heartbeat went unanswered for " + millisSince(lastBeatNanos)
                    + " ms: it was frozen, or Redis was slow");
        }
        return state == State.UP;
    }

    /**
     * Runs {@code script} with this node's id first; its result comes as a message. When chat
     * is not available, or the call fails, {@code failed} runs instead (on the chat executor).
     */
    public void call(RedisScript script, Runnable failed, String... args) {
        if (!available()) {
            failed.run();
            return;
        }
        // The sender is told it failed once the command times out: Redis must not run it after that.
        String[] withDeadline = Arrays.copyOf(args, args.length + 1);
        withDeadline[args.length] = Long.toString(System.currentTimeMillis() + redisClockOffset + commandTimeoutMillis / 2);
        run(script, withDeadline).whenComplete((reply, error) -> executor.execute(() -> {
            if (error != null) {
                down(describe(error));
                failed.run();
            } else if ("late".equals(reply)) {
                failed.run();
            } else if ("gone".equals(reply)) {
                down("Redis no longer holds what this server's clients hold");
                failed.run();
            }
        }));
    }

    /** A session's departure; kept until Redis can be told when it cannot be now. */
    public void leave(String... args) {
        if (state == State.DOWN) {
            pendingLeaves.add(args);
            return;
        }
        run(RedisScript.LEAVE, args).whenComplete((reply, error) -> {
            if (error != null) {
                executor.execute(() -> {
                    down(describe(error));
                    pendingLeaves.add(args);
                });
            }
        });
    }

    /** The chat could not keep up with the cluster's messages and dropped some: it catches up as after an outage. */
    public void fellBehind() {
        down("this server fell behind the cluster's traffic and catches up");
    }

    private void tick() {
        if (closed) {
            return;
        }
        if (state == State.DOWN) {
            recover();
        } else if (!beating && (state == State.SYNCING || available())) {
            beat(); // while catching up too: the lease must hold until this node is up again
        }
    }

    private void beat() {
        beating = true;
        boolean mayReap = state == State.UP && millisSince(upSinceNanos) >= leaseMillis;
        long sent = System.nanoTime();
        run(RedisScript.BEAT, beatArguments(mayReap)).whenComplete((reply, error) -> executor.execute(() -> {
            beating = false;
            if (error != null) {
                down(describe(error));
                return;
            }
            List<?> out = (List<?>) reply;
            String status = (String) out.get(0);
            if (!status.equals("ok")) {
                down(status.equals("dead") ? "the others declared this node dead" : "Redis lost the cluster's data");
                recover();
                return;
            }
            beatAnswered(sent, out);
            for (int i = 2; i + 1 < out.size(); i += 2) {
                log.info("cluster: node {} stopped answering; {} of its clients announced as left", out.get(i), out.get(i + 1));
            }
        }));
    }

    /** DOWN to SYNCING to UP: the heartbeat says where this node stands, then it catches up. */
    private void recover() {
        if (state != State.DOWN || closed || !connection.isOpen() || !subscription.isOpen()) {
            return;
        }
        state = State.SYNCING;
        held = new ArrayList<>();
        heldChars = 0;
        // Redis may have restarted and forgotten the scripts: load them before anything needs them.
        for (RedisScript script : RedisScript.values()) {
            commands.scriptLoad(script.body);
        }
        long sent = System.nanoTime();
        run(RedisScript.BEAT, beatArguments(false)).whenComplete((reply, error) -> executor.execute(() -> {
            if (error != null || state != State.SYNCING) {
                failRecovery(error);
                return;
            }
            String status = (String) ((List<?>) reply).get(0);
            if (status.equals("dead")) {
                // The others announced this node's clients as left: they are closed, and the node comes back empty.
                log.warn("cluster: the other servers declared this one dead; closing its connections");
                pendingLeaves.clear();
                node.declaredDead();
                revive = true;
                state = State.DOWN;
                recover();
                return;
            }
            revive = false;
            beatAnswered(sent, (List<?>) reply);
            // Departures meanwhile are announced first; then Redis is made to hold what this node's
            // sessions hold (it may have lost its data, or kept results the node never heard of).
            for (String[] leave : pendingLeaves) {
                run(RedisScript.LEAVE, leave);
            }
            pendingLeaves.clear();
            restore();
            catchUp(1, new HashSet<>());
        }));
    }

    private void restore() {
        List<String> args = node.restoreArguments();
        run(RedisScript.RESTORE, args.toArray(String[]::new)).whenComplete((reply, error) -> executor.execute(() -> {
            if (error != null) {
                failRecovery(error);
            } else if (!((List<?>) reply).isEmpty()) {
                node.nameLost(strings((List<?>) reply));
            }
        }));
    }

    /** The lease runs from when the heartbeat was sent; Redis's clock is read from its answer. */
    private void beatAnswered(long sentNanos, List<?> reply) {
        known = true;
        lastBeatNanos = sentNanos;
        redisClockOffset = Long.parseLong((String) reply.get(1)) - System.currentTimeMillis();
    }

    /** Catches up a page of rooms at a time, from room {@code from} in key order; {@code seen} collects their keys. */
    private void catchUp(int from, Set<String> seen) {
        List<String> args = new ArrayList<>(List.of(Integer.toString(SYNC_PAGE_LINES), Integer.toString(from)));
        args.addAll(node.heads());
        run(RedisScript.SYNC, args.toArray(String[]::new)).whenComplete((reply, error) -> executor.execute(() -> {
            if (error != null || state != State.SYNCING) {
                failRecovery(error);
                return;
            }
            List<?> answer = (List<?>) reply;
            @SuppressWarnings("unchecked")
            List<Object> rooms = (List<Object>) answer.get(2);
            node.synced(rooms);
            for (Object room : rooms) {
                seen.add((String) ((List<?>) room).get(0));
            }
            int next = Integer.parseInt((String) answer.get(1));
            if (next > 0) {
                catchUp(next, seen);
                return;
            }
            node.roomsAre(seen);
            long restoring = Long.parseLong((String) answer.get(0));
            if (restoring > 0) {
                // Redis lost its data and the other nodes are still claiming their clients again.
                executor.schedule(this::goUp, restoring, TimeUnit.MILLISECONDS);
            } else {
                goUp();
            }
        }));
    }

    /** Caught up: what arrived meanwhile is delivered, and chat is available again. */
    private void goUp() {
        if (state != State.SYNCING) {
            return;
        }
        List<String> arrived = held;
        held = new ArrayList<>();
        heldChars = 0;
        state = State.UP;
        upSinceNanos = System.nanoTime();
        upGauge.accept(true);
        if (outageSinceNanos != 0) {
            log.info("redis: available again after {} ms; chat resumes", millisSince(outageSinceNanos));
            outageSinceNanos = 0;
        }
        for (String message : arrived) {
            node.message(message);
        }
        firstUp.countDown();
    }

    private void failRecovery(Throwable error) {
        if (state == State.SYNCING) {
            state = State.DOWN;
        }
        if (error != null) {
            log.debug("cluster: recovery failed: {}", describe(error));
        }
    }

    private void arrived(String message) {
        if (state == State.UP && available()) {
            node.message(message);
        } else if (state == State.SYNCING) {
            held.add(message);
            heldChars += message.length();
            if (heldChars > MAX_HELD_CHARS) {
                state = State.DOWN;
                held = new ArrayList<>();
                heldChars = 0;
            }
        }
    }

    private void down(String why) {
        if (state == State.DOWN || closed) {
            return;
        }
        boolean wasUp = state == State.UP;
        state = State.DOWN;
        held = new ArrayList<>();
        heldChars = 0;
        if (wasUp) {
            upGauge.accept(false);
            if (outageSinceNanos == 0) {
                outageSinceNanos = System.nanoTime();
                log.warn("redis: unavailable ({}); lines that need it get an error until it is back", why);
            }
            node.unavailable();
        }
    }

    private boolean leaseLapsed() {
        // Frozen (SIGSTOP) or starved for longer than the lease: the others may have declared us dead.
        return millisSince(lastBeatNanos) > leaseMillis;
    }

    private String[] beatArguments(boolean mayReap) {
        long reapDeadline = System.currentTimeMillis() + redisClockOffset + tickMillis() / 2;
        return new String[] {Long.toString(leaseMillis), mayReap ? "1" : "0",
                Integer.toString(settings.announceLimit()), settings.lobbyKey(), Long.toString(TOMBSTONE_MILLIS),
                settings.lobbyDisplay(), settings.lobbySkeleton(), revive ? "1" : "0", Long.toString(reapDeadline),
                known && !revive ? "1" : "0"};
    }

    private long tickMillis() {
        return Math.max(50, settings.nodeTimeout().toMillis() / 5);
    }

    private CompletionStage<Object> run(RedisScript script, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = nodeId;
        System.arraycopy(args, 0, argv, 1, args.length);
        CompletionStage<Object> sent = commands.evalsha(script.sha, script.output, new String[0], argv);
        scheduleFlush();
        return sent.exceptionallyCompose(e -> {
            if (!(unwrap(e) instanceof RedisNoScriptException)) {
                return CompletableFuture.failedStage(e);
            }
            // Redis forgot the script (it restarted): send it whole; it is known again from then on.
            CompletionStage<Object> resent = commands.eval(script.body, script.output, new String[0], argv);
            connection.flushCommands();
            return resent;
        });
    }

    /** Every command issued in this turn of the chat executor goes out in one write, after it. */
    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            executor.execute(() -> {
                flushScheduled = false;
                connection.flushCommands();
            });
        }
    }

    /** The node stops: its clients are announced as left now. Blocks for a second at most. */
    public void goodbye() {
        CompletableFuture<Object> done = new CompletableFuture<>();
        executor.execute(() -> {
            // From now on this node neither beats nor claims anything again: it is leaving.
            closed = true;
            if (ticks != null) {
                ticks.cancel(false);
            }
            if (state != State.UP) {
                done.complete(null);
                return;
            }
            run(RedisScript.GOODBYE, Integer.toString(settings.announceLimit()), settings.lobbyKey())
                    .whenComplete((r, e) -> done.complete(r));
        });
        try {
            done.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("cluster: goodbye not confirmed: {}", describe(e));
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.execute(() -> {
            if (ticks != null) {
                ticks.cancel(false);
            }
        });
        shutDownClient();
    }

    private void shutDownClient() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }

    private static List<String> strings(List<?> values) {
        List<String> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(String.valueOf(v));
        }
        return out;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String describe(Throwable e) {
        Throwable t = unwrap(e);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
