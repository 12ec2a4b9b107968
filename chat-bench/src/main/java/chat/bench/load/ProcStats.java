package chat.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's resident memory and CPU time from {@code /proc/PID}, and this process's own CPU
 * time. Without a server PID every server figure is -1. A server may be several processes (the
 * nodes of a cluster): their figures are summed, and -1 when any of them cannot be read, so that a
 * node gone is not counted as a small one. An instance samples the servers' summed VmRSS every
 * 100 ms on a daemon thread of its own and keeps the peak.
 */
public final class ProcStats implements AutoCloseable {

    private static final int CLOCK_TICKS = 100; // USER_HZ on Linux

    private final List<Integer> pids;
    private final ScheduledExecutorService sampler;
    private volatile long peakKiB;

    private ProcStats(List<Integer> pids) {
        this.pids = pids;
        peakKiB = rssKiB(pids);
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rss-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Starts sampling the peak RSS of {@code pid}. */
    public static ProcStats watch(int pid) {
        return watch(pid > 0 ? List.of(pid) : List.of());
    }

    /** Starts sampling the peak of the summed RSS of {@code pids}. */
    public static ProcStats watch(List<Integer> pids) {
        return new ProcStats(pids);
    }

    private void sample() {
        long v = rssKiB(pids);
        if (v > peakKiB) {
            peakKiB = v;
        }
    }

    /** Stops sampling and returns the peak seen, -1 without a PID. */
    public long peakKiB() {
        close();
        sample();
        return peakKiB;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    /** The summed VmRSS of {@code pids} in KiB, or -1. */
    public static long rssKiB(List<Integer> pids) {
        long sum = pids.isEmpty() ? -1 : 0;
        for (int pid : pids) {
            long v = rssKiB(pid);
            if (v < 0) {
                return -1;
            }
            sum += v;
        }
        return sum;
    }

    /** VmRSS of {@code pid} in KiB, or -1. */
    public static long rssKiB(int pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The summed utime + stime of {@code pids} in seconds, or -1. */
    public static double cpuSeconds(List<Integer> pids) {
        double sum = pids.isEmpty() ? -1 : 0;
        for (int pid : pids) {
            double v = cpuSeconds(pid);
            if (v < 0) {
                return -1;
            }
            sum += v;
        }
        return sum;
    }

    /** utime + stime of {@code pid} (all threads) in seconds, or -1. */
    public static double cpuSeconds(int pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name may hold spaces: fields start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This process's CPU time in seconds. */
    public static double selfCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return -1;
    }

    /** net.ipv4.tcp_wmem max plus a quarter: more than the kernel buffers for one socket. */
    static int fillBytes() {
        try {
            String[] f = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            int max = Integer.parseInt(f[2]);
            return max + max / 4;
        } catch (IOException | RuntimeException e) {
            return 5 << 20;
        }
    }
}
