package chat.server.transport;

import chat.server.config.Limits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Keeps {@code --max-connections} within what the process's open-file limit allows. Every
 * connection is a file descriptor; past the limit, accept() fails with EMFILE, new clients get
 * nothing at all, and the log fills with warnings. Capped, a client over the limit gets
 * {@code Disconnected: server is full} like any other. Read once at start.
 */
public final class OpenFileBudget {

    private static final Logger log = LoggerFactory.getLogger(OpenFileBudget.class);
    /** For the JVM (jars, epoll, pipes), the listeners and the metrics port's 64 connections. */
    static final int RESERVED = 256;

    private OpenFileBudget() {
    }

    /** {@code limits}, with at most as many connections as {@code maxOpenFiles} leaves room for (unknown: -1). */
    public static Limits fit(Limits limits, long maxOpenFiles) {
        if (maxOpenFiles <= 0 || limits.maxConnections() <= maxOpenFiles - RESERVED) {
            return limits;
        }
        int allowed = (int) Math.max(1, maxOpenFiles - RESERVED);
        log.warn("--max-connections {} is more than the open-file limit ({}) allows: at most {} connections"
                + " (raise the limit with ulimit -n)", limits.maxConnections(), maxOpenFiles, allowed);
        return limits.withConnections(allowed, Math.min(limits.maxConnectionsPerIp(), allowed));
    }

    /** This process's open-file limit, or -1 where the platform does not say. */
    public static long processLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }
}
