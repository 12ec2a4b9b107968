package chat.bench.load;

import java.util.Timer;

/**
 * Drives a running server on loopback with one scenario (fanout, latency, idle, slow) the way
 * {@code peers/loadgen} does, prints a table and one JSON line on stdout, and exits 0 when the run
 * worked, 1 when it failed, 2 on a bad flag. The server is ours (line protocol over TCP, TLS or our
 * WebSocket gateway) or a peer (Redis, NATS, an IRC server), chosen with {@code --proto}; only the
 * {@link Protocol} differs, the load and the figures are the same. A watchdog ends the run, with a
 * JSON line, three minutes after the scenario's own limits.
 *
 * <pre>
 *   java -cp chat-bench/target/benchmarks.jar chat.bench.load.LoadGenerator --scenario fanout --port 8000
 *   java -cp chat-bench/target/benchmarks.jar chat.bench.load.LoadGenerator --proto nats --scenario idle --port 4222
 *   java -cp chat-bench/target/benchmarks.jar chat.bench.load.LoadGenerator --scenario fanout --port 9001,9002,9003
 * </pre>
 *
 * <p>Threading: the main thread runs the scenario; clients run on two event loops.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) throws InterruptedException {
        LoadOptions o;
        try {
            o = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadGenerator: " + e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        Report report = new Report(o.peer(), o.proto(), o.scenario());
        long limitMillis = o.timeout().toMillis() + (o.scenario().equals("idle") ? 15_000 : 0) + 180_000;
        Timer watchdog = report.haltAfter(limitMillis);
        Protocol protocol = Protocol.named(o.proto(), o.host(), o.port());
        try (Clients clients = new Clients(protocol, o.host(), o.ports())) {
            if (o.scenario().equals("idle")) {
                new IdleScenario(o, protocol, clients, report).run();
            } else {
                new DeliveryScenario(o, protocol, clients, report).run();
            }
        }
        watchdog.cancel();
        report.print(System.out);
        System.exit(report.ok() ? 0 : 1);
    }
}
