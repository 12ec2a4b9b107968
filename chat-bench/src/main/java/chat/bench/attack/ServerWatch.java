package chat.bench.attack;

import chat.bench.load.Clients;
import chat.bench.load.Protocol;
import chat.bench.load.ProcStats;
import chat.bench.load.Report;
import io.netty.channel.Channel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the server went through during one attack, read from {@code /proc/PID} and its captured
 * log: RSS before, peak (sampled every 100 ms) and {@link #AFTER} after the attackers stopped or
 * left; CPU seconds; open files; lines logged; whether a fresh connection is greeted with
 * {@code Enter your name:}; and whether the server still answers at the end, which a fresh
 * client tells by joining and getting {@code You are NAME}.
 *
 * <p>Threading: the runner's thread calls every method; joining probes run on two event loops
 * of their own, greeting probes on the caller's thread.
 */
final class ServerWatch implements AutoCloseable {

    static final Duration AFTER = Duration.ofSeconds(5);
    private static final Duration PROBE = Duration.ofSeconds(5);
    private static final String PROMPT = "Enter your name:";

    private final String host;
    private final int port;
    private final int pid;
    private final Report report;
    private final Clients probes;
    private final ServerLog log;
    private final ProcStats rss;
    private final double cpuStart;
    private final double selfStart;
    private final long logStart;
    private final long warningsStart;
    private int probeCount;
    private String firstPromptFailure;

    ServerWatch(AttackOptions o, Report report) {
        this.host = o.host();
        this.port = o.port();
        this.pid = o.serverPid();
        this.report = report;
        this.probes = Clients.lineNamed(o.host(), o.port());
        this.log = new ServerLog(o.serverLog());
        report.put("server_rss_before_kib", ProcStats.rssKiB(pid));
        report.put("server_open_files_before", Descriptors.open(String.valueOf(pid)));
        report.put("server_open_files_limit", Descriptors.limit(String.valueOf(pid)));
        rss = ProcStats.watch(pid);
        cpuStart = ProcStats.cpuSeconds(pid);
        selfStart = ProcStats.selfCpuSeconds();
        logStart = log.lines();
        warningsStart = log.warnings();
    }

    /** Lines the server has logged since the watch began; -1 without its log. */
    long logLines() {
        long now = log.lines();
        return now < 0 ? -1 : now - logStart;
    }

    /** The attackers have stopped or left: waits {@link #AFTER}, ends the phase "after", samples RSS. */
    void attackOver(HonestClients honest) throws InterruptedException {
        Thread.sleep(AFTER.toMillis());
        honest.endPhase("after");
        report.put("server_rss_after_kib", ProcStats.rssKiB(pid));
        report.put("server_open_files_after", Descriptors.open(String.valueOf(pid)));
    }

    /** Whether a fresh client joins within {@code within}. */
    boolean answers(Duration within) throws InterruptedException {
        List<Channel> probe = probes.join(1, "probe" + probeCount++ + "x", Protocol.Side.RECEIVER, 0, Instant.now().plus(within),
                i -> new Clients.Discard());
        Clients.closeAll(probe);
        return probe.get(0) != null;
    }

    /** The first reason a probe failed, or null. */
    String firstProbeFailure() {
        return probes.firstFailure();
    }

    /**
     * Whether a fresh connection is greeted with {@code Enter your name:} within {@code within}
     * (to connect, and again to read); it then closes without a name. Keeps the first failure.
     */
    boolean prompts(Duration within) {
        int millis = (int) within.toMillis();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), millis);
            s.setSoTimeout(millis);
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (PROMPT.equals(line)) {
                return true;
            }
            firstPromptFailure = firstPromptFailure != null ? firstPromptFailure : "first line: " + line;
        } catch (IOException e) {
            firstPromptFailure = firstPromptFailure != null ? firstPromptFailure : e.toString();
        }
        return false;
    }

    /** The first reason a connection got no prompt, or null. */
    String firstPromptFailure() {
        return firstPromptFailure;
    }

    /** Puts the peak RSS, CPU, the log's lines and whether the server still answers. */
    void finish() throws InterruptedException {
        boolean answering = answers(PROBE);
        report.put("server_answering", answering);
        if (!answering) {
            report.note("at the end a fresh client did not join within " + PROBE.toSeconds() + "s: "
                    + firstProbeFailure());
        }
        report.put("server_rss_peak_kib", rss.peakKiB());
        report.put("server_cpu_s", ProcStats.cpuSeconds(pid) - cpuStart, 2);
        report.put("attack_cpu_s", ProcStats.selfCpuSeconds() - selfStart, 2);
        report.put("server_log_lines", logLines());
        report.put("server_log_warnings", log.warnings() < 0 ? -1 : log.warnings() - warningsStart);
        if (log.firstWarning() != null) {
            report.note("first WARN/ERROR the server logged: " + log.firstWarning());
        }
    }

    @Override
    public void close() {
        rss.close();
        probes.close();
    }
}
