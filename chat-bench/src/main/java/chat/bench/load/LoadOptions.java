package chat.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load generator's flags, checked when parsed; immutable. Flags left out take the defaults of
 * the Go load generator in {@code peers/loadgen}, per scenario. Only loopback hosts are accepted.
 * Several ports are the nodes of one cluster: clients are spread over them (see {@link Clients}),
 * and the server figures are summed over the server PIDs.
 */
record LoadOptions(String proto, String peer, String host, List<Integer> ports, String scenario, int receivers,
        int publishers, int messages, int size, double rate, Duration duration, int conns, int stalled,
        List<Integer> serverPids, int redisPid, Duration timeout) {

    static final Set<String> SCENARIOS = Set.of("fanout", "latency", "idle", "slow");
    static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");
    static final String USAGE = """
            usage: LoadGenerator --scenario fanout|latency|idle|slow --port N [flags]
              --proto P         line-named (default): our line protocol over TCP;
                                ws: through our WebSocket gateway (--port is --web-port);
                                tls: our line protocol over TLS (--port is --tls-port);
                                redis, nats, irc: the pub/sub and IRC peers
              --peer NAME       name in the results (netty-chat, netty-chat-ws,
                                netty-chat-tls, else the protocol's name)
              --host H          127.0.0.1 (default), localhost or ::1; nothing else
              --port P[,P...]   several ports: a cluster's nodes; receivers and publishers
                                are spread round-robin (client i to port i mod n)
              --receivers N     fanout, latency: 500; slow: 200 healthy
              --publishers N    4
              --messages N      per publisher (fanout, slow): 2000
              --size BYTES      payload: 64
              --rate R          latency: messages/s over all publishers: 200
              --duration D      latency: publishing time: 10s
              --conns N         idle: connections: 10000
              --stalled N       slow: receivers that never read: 20
              --server-pid PIDS read the server's RSS and CPU from /proc; several
                                (comma-separated: a cluster's nodes) are summed
              --redis-pid PID   a cluster's Redis: its CPU, reported apart
              --timeout D       hard limit of the measured phase (fanout, slow: 20s;
                                latency: duration+8s; idle: 60s to connect)
            Durations: 10s, 500ms, 2m, or plain seconds.""";

    LoadOptions {
        if (!Protocol.NAMES.contains(proto)) {
            throw new IllegalArgumentException("--proto must be one of " + String.join(", ", Protocol.NAMES)
                    + ", got " + proto);
        }
        if (peer.isBlank()) {
            throw new IllegalArgumentException("--peer must not be empty");
        }
        if (!SCENARIOS.contains(scenario)) {
            throw new IllegalArgumentException("--scenario must be fanout, latency, idle or slow, got " + scenario);
        }
        if (!LOOPBACK.contains(host)) {
            throw new IllegalArgumentException("--host must be 127.0.0.1, localhost or ::1 (loopback only), got " + host);
        }
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("--port is required");
        }
        for (int port : ports) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("--port must be 1-65535, got " + port);
            }
        }
        if (serverPids.stream().anyMatch(pid -> pid < 0) || redisPid < 0) {
            throw new IllegalArgumentException("--server-pid and --redis-pid must not be negative");
        }
        if (receivers < 1 || publishers < 1 || messages < 1 || conns < 1 || stalled < 0) {
            throw new IllegalArgumentException("--receivers, --publishers, --messages, --conns must be positive");
        }
        if (size < 32) {
            throw new IllegalArgumentException("--size must be at least 32 bytes, got " + size);
        }
        if (rate <= 0 || duration.isNegative() || duration.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--rate, --duration and --timeout must be positive");
        }
    }

    static LoadOptions parse(String[] args) {
        String proto = "line-named";
        String peer = null;
        String host = "127.0.0.1";
        String scenario = "fanout";
        List<Integer> ports = List.of();
        Integer receivers = null;
        Integer stalled = null;
        Duration timeout = null;
        int publishers = 4;
        int messages = 2000;
        int size = 64;
        double rate = 200;
        Duration duration = Duration.ofSeconds(10);
        int conns = 10_000;
        List<Integer> serverPids = List.of();
        int redisPid = 0;
        for (Map.Entry<String, String> pair : Flags.pairs(args)) {
            String flag = pair.getKey();
            String value = pair.getValue();
            switch (flag) {
                case "--proto" -> proto = value;
                case "--peer" -> peer = value;
                case "--host" -> host = value;
                case "--port" -> ports = Flags.integers(flag, value);
                case "--scenario" -> scenario = value;
                case "--receivers" -> receivers = Flags.integer(flag, value);
                case "--publishers" -> publishers = Flags.integer(flag, value);
                case "--messages" -> messages = Flags.integer(flag, value);
                case "--size" -> size = Flags.integer(flag, value);
                case "--rate" -> rate = Flags.number(flag, value);
                case "--duration" -> duration = Flags.duration(flag, value);
                case "--conns" -> conns = Flags.integer(flag, value);
                case "--stalled" -> stalled = Flags.integer(flag, value);
                case "--server-pid" -> serverPids = Flags.integers(flag, value);
                case "--redis-pid" -> redisPid = Flags.integer(flag, value);
                case "--timeout" -> timeout = Flags.duration(flag, value);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (receivers == null) {
            receivers = scenario.equals("slow") ? 200 : 500;
        }
        if (stalled == null) {
            stalled = scenario.equals("slow") ? 20 : 0;
        }
        if (timeout == null) {
            timeout = switch (scenario) {
                case "latency" -> duration.plusSeconds(8);
                case "idle" -> Duration.ofSeconds(60);
                default -> Duration.ofSeconds(20);
            };
        }
        if (peer == null) {
            peer = switch (proto) {
                case "line-named" -> "netty-chat";
                case "ws", "tls" -> "netty-chat-" + proto;
                default -> proto;
            };
        }
        return new LoadOptions(proto, peer, host, ports, scenario, receivers, publishers, messages, size, rate,
                duration, conns, stalled, serverPids, redisPid, timeout);
    }

    /** The first port: the one server, or the node that stalled, filler and probe clients use. */
    int port() {
        return ports.get(0);
    }
}
