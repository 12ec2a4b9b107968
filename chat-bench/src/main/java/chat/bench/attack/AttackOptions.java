package chat.bench.attack;

import chat.bench.load.Flags;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The attack runner's flags, checked when parsed; immutable. Flags left out take the attack's
 * defaults (the full-scale sizes). Only loopback is accepted, as host and as metrics host.
 */
record AttackOptions(String attack, String host, int port, int serverPid, int clients, double rate,
        Duration duration, int size, int metricsPort, int conns, int sources, Duration hold,
        Duration connectTime, Path serverLog) {

    static final Set<String> ATTACKS = Set.of("chatters", "renamers", "join-who-leave", "metrics-flood");
    static final String USAGE = """
            usage: AttackRunner --attack NAME --port P --pid SERVER_PID [flags]
              --attack NAME       chatters | renamers | join-who-leave | metrics-flood
              --host H            127.0.0.1 (default), localhost or ::1; nothing else
              --port P            the chat port
              --pid PID           the server's process: RSS, CPU and open files from /proc
              --clients N         attacking chat clients: chatters, renamers 2000; join-who-leave 5000
              --rate R            lines per second per attacker: chatters 20, renamers 16
              --duration D        chatters, renamers: sending time: 15s
              --size BYTES        chat line payload of honest clients and chatters: 48
              --metrics-port P    metrics-flood: the server's metrics port
              --conns N           metrics-flood: idle connections: 20000
              --sources N         metrics-flood: source addresses 127.0.0.2 and up: 200 (at most 253)
              --hold D            metrics-flood: time the connections stay open once made: 10s
              --connect-time D    longest time to make the attackers' connections: 120s
              --server-log FILE   the server's captured stdout, to count the lines it logs
            Durations: 10s, 500ms, 2m, or plain seconds.""";

    AttackOptions {
        if (!ATTACKS.contains(attack)) {
            throw new IllegalArgumentException("--attack must be one of " + ATTACKS + ", got " + attack);
        }
        if (!Set.of("127.0.0.1", "localhost", "::1").contains(host)) {
            throw new IllegalArgumentException("--host must be 127.0.0.1, localhost or ::1 (loopback only), got " + host);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("--port must be 1-65535, got " + port);
        }
        if (serverPid < 1) {
            throw new IllegalArgumentException("--pid is required: the server's process id");
        }
        if (clients < 1 || conns < 1 || size < 32 || rate <= 0) {
            throw new IllegalArgumentException("--clients, --conns and --rate must be positive, --size at least 32");
        }
        if (sources < 1 || sources > 253) {
            throw new IllegalArgumentException("--sources must be 1-253, got " + sources);
        }
        if (attack.equals("metrics-flood") && (metricsPort < 1 || metricsPort > 65_535)) {
            throw new IllegalArgumentException("metrics-flood needs --metrics-port, the server's metrics port");
        }
        if (attack.equals("metrics-flood") && !host.equals("127.0.0.1")) {
            throw new IllegalArgumentException("metrics-flood comes from 127.0.0.x: use --host 127.0.0.1");
        }
        for (Duration d : new Duration[] {duration, hold, connectTime}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("--duration, --hold and --connect-time must be positive");
            }
        }
    }

    static AttackOptions parse(String[] args) {
        String attack = null;
        String host = "127.0.0.1";
        int port = 0;
        int pid = 0;
        Integer clients = null;
        Double rate = null;
        Duration duration = Duration.ofSeconds(15);
        int size = 48;
        int metricsPort = 0;
        int conns = 20_000;
        int sources = 200;
        Duration hold = Duration.ofSeconds(10);
        Duration connectTime = Duration.ofSeconds(120);
        Path serverLog = null;
        for (Map.Entry<String, String> pair : Flags.pairs(args)) {
            String flag = pair.getKey();
            String value = pair.getValue();
            switch (flag) {
                case "--attack" -> attack = value;
                case "--host" -> host = value;
                case "--port" -> port = Flags.integer(flag, value);
                case "--pid" -> pid = Flags.integer(flag, value);
                case "--clients" -> clients = Flags.integer(flag, value);
                case "--rate" -> rate = Flags.number(flag, value);
                case "--duration" -> duration = Flags.duration(flag, value);
                case "--size" -> size = Flags.integer(flag, value);
                case "--metrics-port" -> metricsPort = Flags.integer(flag, value);
                case "--conns" -> conns = Flags.integer(flag, value);
                case "--sources" -> sources = Flags.integer(flag, value);
                case "--hold" -> hold = Flags.duration(flag, value);
                case "--connect-time" -> connectTime = Flags.duration(flag, value);
                case "--server-log" -> serverLog = Path.of(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (attack == null) {
            throw new IllegalArgumentException("--attack is required");
        }
        if (clients == null) {
            clients = attack.equals("join-who-leave") ? 5000 : 2000;
        }
        if (rate == null) {
            rate = attack.equals("renamers") ? 16.0 : 20.0;
        }
        return new AttackOptions(attack, host, port, pid, clients, rate, duration, size, metricsPort, conns,
                sources, hold, connectTime, serverLog);
    }

    /** Connections the attack itself opens in this process (metrics-flood opens its own in workers). */
    int chatAttackers() {
        return attack.equals("metrics-flood") ? 0 : clients;
    }
}
