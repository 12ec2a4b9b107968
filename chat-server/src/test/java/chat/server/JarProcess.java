package chat.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded jar in a child process, with no {@code CHAT_*} variables but those given. Its stdout
 * (the log) and stderr are read by threads into lists that tests wait on with a deadline.
 */
final class JarProcess implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final Process process;
    private final Output out;
    private final Output err;

    private JarProcess(Process process) {
        this.process = process;
        this.out = new Output(process.getInputStream());
        this.err = new Output(process.getErrorStream());
    }

    static JarProcess start(Map<String, String> env, String... args) throws IOException {
        return start(List.of(), env, args);
    }

    /** With JVM flags (a small heap, for one) before {@code -jar}. */
    static JarProcess start(List<String> jvmFlags, Map<String, String> env, String... args) throws IOException {
        return start(List.of(), jvmFlags, env, args);
    }

    /** Under an open-file limit of {@code maxOpenFiles} (ulimit -n in a shell that then execs java). */
    static JarProcess startWithOpenFiles(int maxOpenFiles, Map<String, String> env, String... args) throws IOException {
        return start(List.of("bash", "-c", "ulimit -n " + maxOpenFiles + " && exec \"$0\" \"$@\""), List.of(), env, args);
    }

    private static JarProcess start(List<String> launcher, List<String> jvmFlags, Map<String, String> env,
            String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", System.getProperty("chat.server.jar", "target/chat-server.jar")));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
        pb.environment().putAll(env);
        return new JarProcess(pb.start());
    }

    /** Waits for a log line that {@code pattern} finds something in, and returns the match. */
    Matcher awaitLog(Pattern pattern) throws InterruptedException {
        return out.await(pattern);
    }

    /** Waits for the plain TCP listening line; the address is 127.0.0.1 and the port the one it names. */
    InetSocketAddress awaitListening() throws InterruptedException {
        Matcher m = awaitLog(Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)$"));
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }

    /** Sends the signal ({@code TERM}, {@code INT}) and waits up to {@code within} for the exit code, or null. */
    Integer signal(String signal, Duration within) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** Waits for the exit and returns its status; fails if the process runs past the wait. */
    int exitCode() throws InterruptedException {
        assertThat(process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("exited").isTrue();
        return process.exitValue();
    }

    /** Everything on stderr, once the process has exited. */
    List<String> stderrAfterExit() throws InterruptedException {
        exitCode();
        return err.toEnd();
    }

    /** Everything on stdout, once the process has exited. */
    List<String> stdoutAfterExit() throws InterruptedException {
        exitCode();
        return out.toEnd();
    }

    /** Waits for a stderr line that {@code pattern} finds something in, and returns the match. */
    Matcher awaitStderr(Pattern pattern) throws InterruptedException {
        return err.await(pattern);
    }

    /** The log (stdout) so far, while the process runs. */
    List<String> logSoFar() {
        return out.soFar();
    }

    /** Stderr so far, while the process runs. */
    List<String> stderrSoFar() {
        return err.soFar();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One stream, read line by line on a daemon thread. */
    private static final class Output {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Output(InputStream in) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        Matcher await(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            synchronized (lines) {
                for (int seen = 0; ; ) {
                    for (; seen < lines.size(); seen++) {
                        Matcher m = pattern.matcher(lines.get(seen));
                        if (m.find()) {
                            return m;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || (!reader.isAlive() && seen == lines.size())) {
                        throw new AssertionError("no line matching " + pattern + " in " + lines);
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            }
        }

        List<String> toEnd() throws InterruptedException {
            reader.join(WAIT.toMillis());
            assertThat(reader.isAlive()).as("stream ended").isFalse();
            return soFar();
        }

        List<String> soFar() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }
    }
}
