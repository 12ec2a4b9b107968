package chat.bench.attack;

import chat.bench.load.ProcStats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@link FloodWorker} processes of one flood, started with this JVM's java and class path,
 * each holding an equal share of the connections; their stderr goes to ours. Reads their answer
 * lines and adds them up. A worker that does not answer in time counts as zero.
 *
 * <p>Threading: the runner's thread; one daemon thread per worker moves its stdout lines into a
 * queue.
 */
final class FloodWorkers implements AutoCloseable {

    private static final long STOP_MILLIS = 15_000;

    private final List<Process> processes = new ArrayList<>();
    private final List<BlockingQueue<String>> answers = new ArrayList<>();

    /**
     * Starts enough workers that none holds more than {@code perWorker} of {@code conns}
     * connections to {@code port}, each living at most {@code life}.
     */
    static FloodWorkers start(int port, int conns, int perWorker, int sources, Duration connectTime, Duration life)
            throws IOException {
        FloodWorkers w = new FloodWorkers();
        int count = (conns + perWorker - 1) / perWorker;
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int k = 0; k < count; k++) {
            int from = (int) ((long) conns * k / count);
            int to = (int) ((long) conns * (k + 1) / count);
            Process p = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx256m", "-Xss256k",
                    "-cp", System.getProperty("java.class.path"), FloodWorker.class.getName(),
                    "--port", String.valueOf(port), "--from", String.valueOf(from), "--to", String.valueOf(to),
                    "--sources", String.valueOf(sources), "--connect-time", connectTime.toMillis() + "ms",
                    "--life", life.toMillis() + "ms")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            w.processes.add(p);
            w.answers.add(reader(p, k));
        }
        return w;
    }

    private static BlockingQueue<String> reader(Process p, int k) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; ) {
                    q.add(line);
                }
            } catch (IOException e) {
                q.add("error " + e);
            }
        }, "flood-worker-" + k);
        t.setDaemon(true);
        t.start();
        return q;
    }

    int count() {
        return processes.size();
    }

    /**
     * Waits until every worker has said {@code connected C failed F skipped S}, at most until
     * {@code deadlineNanos}; returns the sums [C, F, S, workers that answered]. {@code meanwhile}
     * runs about once a second while waiting.
     */
    long[] awaitConnected(long deadlineNanos, Runnable meanwhile) throws InterruptedException {
        long[] sums = new long[4];
        for (BlockingQueue<String> q : answers) {
            String line = null;
            while (line == null && System.nanoTime() < deadlineNanos) {
                line = q.poll(1, TimeUnit.SECONDS);
                meanwhile.run();
            }
            long[] v = numbers(line, "connected", 3);
            if (v != null) {
                sums[0] += v[0];
                sums[1] += v[1];
                sums[2] += v[2];
                sums[3]++;
            }
        }
        return sums;
    }

    /** Asks each worker for {@code open O closed X}; returns the sums [O, X, workers that answered]. */
    long[] status() throws InterruptedException {
        long[] sums = new long[3];
        for (int k = 0; k < processes.size(); k++) {
            tell(k, "status");
        }
        for (BlockingQueue<String> q : answers) {
            long[] v = numbers(q.poll(5, TimeUnit.SECONDS), "open", 2);
            if (v != null) {
                sums[0] += v[0];
                sums[1] += v[1];
                sums[2]++;
            }
        }
        return sums;
    }

    /** CPU seconds the workers have used so far. */
    double cpuSeconds() {
        double sum = 0;
        for (Process p : processes) {
            sum += Math.max(0, ProcStats.cpuSeconds((int) p.pid()));
        }
        return sum;
    }

    /** Tells every worker to close its connections and waits for it to exit; kills what remains. */
    @Override
    public void close() throws InterruptedException {
        for (int k = 0; k < processes.size(); k++) {
            tell(k, "stop");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_MILLIS);
        for (Process p : processes) {
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        }
    }

    private void tell(int k, String line) {
        try {
            OutputStream out = processes.get(k).getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // The worker has gone: its missing answer is counted as zero.
        }
    }

    /** The numbers of {@code "WORD a x b y c"} after the first word and each name; null if it is not that. */
    private static long[] numbers(String line, String first, int n) {
        if (line == null || !line.startsWith(first + " ")) {
            return null;
        }
        String[] f = line.split(" ");
        long[] v = new long[n];
        for (int i = 0; i < n && 2 * i + 1 < f.length; i++) {
            v[i] = Long.parseLong(f[2 * i + 1]);
        }
        return v;
    }
}
