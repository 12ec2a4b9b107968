package chat.bench.attack;

import chat.bench.load.Report;

import java.time.Duration;
import java.util.Timer;

/**
 * Runs one attack on a running chat server over loopback, beside three {@link HonestClients},
 * and prints a table and one JSON line on stdout (progress goes to stderr). Exits 0 when the run
 * worked, whatever it found; 1 when it could not be run as asked; 2 on a bad flag or an attack
 * too big for this process's open-file limit. A watchdog ends the run, with a JSON line, a few
 * minutes after its own limits. {@code chat-bench/attack.sh} starts a server and runs this.
 *
 * <pre>
 *   java -cp chat-bench/target/benchmarks.jar chat.bench.attack.AttackRunner --attack chatters --port 8000 --pid 1234
 * </pre>
 *
 * <p>Order: watch the server, honest clients join and send for {@link #CALM} (phase
 * {@code before}), the attack (its own phases, then {@code after}), honest clients stop and
 * drain, a fresh client checks that the server still answers.
 *
 * <p>Threading: the main thread runs the attack; clients run on event loops, two per group.
 */
public final class AttackRunner {

    static final Duration CALM = Duration.ofSeconds(2);

    private AttackRunner() {
    }

    public static void main(String[] args) throws Exception {
        AttackOptions o;
        try {
            o = AttackOptions.parse(args);
            checkFits(o);
        } catch (IllegalArgumentException e) {
            System.err.println("AttackRunner: " + e.getMessage());
            System.err.println(AttackOptions.USAGE);
            System.exit(2);
            return;
        }
        Report report = new Report("netty-chat", "line-named", o.attack());
        long limitMillis = budget(o).toMillis();
        Timer watchdog = report.haltAfter(limitMillis);
        try {
            run(o, report);
        } catch (Exception | AssertionError e) {
            report.error("the runner failed: " + e);
            e.printStackTrace();
        }
        watchdog.cancel();
        report.print(System.out);
        System.exit(report.ok() ? 0 : 1);
    }

    private static void run(AttackOptions o, Report report) throws Exception {
        try (ServerWatch watch = new ServerWatch(o, report);
             HonestClients honest = new HonestClients(o.host(), o.port(), o.size(), report)) {
            if (!honest.start()) {
                return;
            }
            Thread.sleep(CALM.toMillis());
            honest.endPhase("before");
            Report.progress("%s: attack begins", o.attack());
            switch (o.attack()) {
                case "chatters", "renamers" -> new PacedAttack(o, report).run(honest, watch);
                case "join-who-leave" -> new JoinWhoLeave(o, report).run(honest, watch);
                case "metrics-flood" -> new MetricsFlood(o, report, watch).run(honest);
                default -> throw new IllegalStateException(o.attack());
            }
            Report.progress("%s: attack over; honest clients drain", o.attack());
            honest.finish();
            watch.finish();
        }
    }

    /**
     * Refuses an attack whose connections cannot fit this process's open-file limit; the
     * metrics flood is split over worker processes instead, each under the same limit.
     */
    private static void checkFits(AttackOptions o) {
        long spare = Descriptors.spare();
        int own = o.chatAttackers() + HonestClients.COUNT + 2; // the probes
        if (spare >= 0 && own > spare) {
            throw new IllegalArgumentException("--clients " + o.clients() + " needs about " + own
                    + " open files here, but this process may open only " + spare
                    + " more (ulimit -n " + Descriptors.limit("self") + "); raise ulimit -n or lower --clients");
        }
        if (o.attack().equals("metrics-flood") && MetricsFlood.perWorker() < 1) {
            throw new IllegalArgumentException("ulimit -n " + Descriptors.limit("self") + " is too low for a flood worker");
        }
    }

    /** The longest a run may take: its phases' own limits plus three minutes. */
    private static Duration budget(AttackOptions o) {
        Duration attack = switch (o.attack()) {
            case "chatters", "renamers" -> o.connectTime().plus(o.duration());
            case "join-who-leave" -> o.connectTime().multipliedBy(2);
            default -> o.connectTime().plus(o.hold()).plusSeconds(60);
        };
        return attack.plus(CALM).plus(ServerWatch.AFTER).plusSeconds(180);
    }
}
