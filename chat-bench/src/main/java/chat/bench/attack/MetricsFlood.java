package chat.bench.attack;

import chat.bench.load.Report;

import java.io.IOException;
import java.time.Duration;

/**
 * {@code metrics-flood}: {@code --conns} idle TCP connections to the metrics port, made by
 * {@link FloodWorkers} from 127.0.0.2 and up, held for {@code --hold} once made, then closed.
 * Throughout, about once a second, a fresh chat connection waits for {@code Enter your name:}
 * (3 s to connect, 3 s to read it) and the server's open files are counted: their growth over the count before is what the server accepted. The report gives
 * the connections made and still open at the end (as the clients see them), those the server
 * closed, the server's open files at their peak, the chat probes that were greeted, and the lines the
 * server logged during the flood. Honest phases: {@code flood}, {@code after}.
 *
 * <p>Threading: the runner's thread; the connections live in the worker processes.
 */
final class MetricsFlood {

    private static final Duration PROBE = Duration.ofSeconds(3);

    private final AttackOptions o;
    private final Report report;
    private final ServerWatch watch;
    private final String pid;
    private long serverFilesPeak;
    private int probes;
    private int prompted;

    MetricsFlood(AttackOptions o, Report report, ServerWatch watch) {
        this.o = o;
        this.report = report;
        this.watch = watch;
        this.pid = String.valueOf(o.serverPid());
    }

    /** Connections one worker may hold: this process's open-file limit less a JVM's own files. */
    static long perWorker() {
        long limit = Descriptors.limit("self");
        return limit < 0 ? -1 : Math.min(Integer.MAX_VALUE, limit - Descriptors.HEADROOM);
    }

    void run(HonestClients honest) throws InterruptedException, IOException {
        long filesBefore = Descriptors.open(pid);
        serverFilesPeak = filesBefore;
        long logBefore = watch.logLines();
        long start = System.nanoTime();
        Duration life = o.connectTime().plus(o.hold()).plusSeconds(120);
        report.put("flood_conns", o.conns());
        report.put("flood_sources", Math.min(o.sources(), o.conns()));
        try (FloodWorkers workers = FloodWorkers.start(o.metricsPort(), o.conns(), (int) perWorker(), o.sources(),
                o.connectTime(), life)) {
            report.put("flood_workers", workers.count());
            long[] made = workers.awaitConnected(start + o.connectTime().plusSeconds(15).toNanos(), this::tick);
            report.put("flood_connect_s", (System.nanoTime() - start) / 1e9, 2);
            report.put("flood_connected", made[0]);
            report.put("flood_connect_failed", made[1]);
            report.put("flood_connect_skipped", made[2]);
            if (made[3] < workers.count()) {
                report.note((workers.count() - made[3]) + " flood workers did not report their connections");
            }
            long holdEnd = System.nanoTime() + o.hold().toNanos();
            while (System.nanoTime() < holdEnd) {
                tick();
                Thread.sleep(Math.max(0, Math.min(1000, (holdEnd - System.nanoTime()) / 1_000_000)));
            }
            long[] status = workers.status();
            report.put("flood_open_at_end", status[0]);
            report.put("flood_closed_by_server", status[1]);
            report.put("server_open_files_peak", serverFilesPeak);
            if (filesBefore >= 0) {
                report.put("flood_accepted_by_server", serverFilesPeak - filesBefore);
            }
            report.put("flood_log_lines", logBefore < 0 ? -1 : watch.logLines() - logBefore);
            report.put("flood_workers_cpu_s", workers.cpuSeconds(), 2);
        }
        report.put("flood_s", (System.nanoTime() - start) / 1e9, 2);
        report.put("chat_probes", probes);
        report.put("chat_probes_prompted", prompted);
        if (prompted < probes) {
            report.note("during the flood " + (probes - prompted) + " of " + probes + " fresh chat connections got no '"
                    + "Enter your name:' within " + PROBE.toSeconds() + "s; first reason: " + watch.firstPromptFailure());
        }
        honest.endPhase("flood");
        watch.attackOver(honest);
    }

    /** One chat probe and one count of the server's open files. */
    private void tick() {
        long files = Descriptors.open(pid);
        serverFilesPeak = Math.max(serverFilesPeak, files);
        probes++;
        prompted += watch.prompts(PROBE) ? 1 : 0;
    }
}
