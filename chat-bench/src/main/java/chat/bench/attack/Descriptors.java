package chat.bench.attack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Open files of a process, from {@code /proc}: how many it may open (the soft {@code ulimit -n})
 * and how many it has. The attacks size themselves by the first and tell what the server
 * accepted by the second. Stateless; any thread. A figure that cannot be read is -1.
 */
final class Descriptors {

    /** Files a JVM keeps open besides the sockets (jars, epoll, pipes), with room to spare. */
    static final int HEADROOM = 300;

    private Descriptors() {
    }

    /** The soft limit on open files of {@code pid} ("self" for this process). */
    static long limit(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Files {@code pid} has open now ("self" for this process). */
    static long open(String pid) {
        long n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", pid, "fd"))) {
            for (Path ignored : fds) {
                n++;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return n;
    }

    /** How many more sockets this process may open, keeping {@link #HEADROOM}. */
    static long spare() {
        long limit = limit("self");
        long open = open("self");
        return limit < 0 || open < 0 ? -1 : limit - open - HEADROOM;
    }
}
