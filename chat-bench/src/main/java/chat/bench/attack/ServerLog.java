package chat.bench.attack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The server's captured stdout, read as it grows: counts its lines, and its WARN and ERROR lines,
 * and keeps the first of those with the line after it (where the exception says why). Without a
 * file every count is -1. Used by one thread at a time.
 */
final class ServerLog {

    private static final int KEPT_CHARS = 200;

    private final Path file;
    private long offset;
    private long lines;
    private long warnings;
    private String firstWarning;
    private boolean firstWarningOpen;
    private final StringBuilder partial = new StringBuilder();

    ServerLog(Path file) {
        this.file = file;
    }

    /** Lines written so far, reading what was added since the last call; -1 without a file. */
    long lines() {
        if (file == null) {
            return -1;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(offset);
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; offset += n) {
                scan(buf, n);
            }
        } catch (IOException e) {
            return -1;
        }
        return lines;
    }

    // Only the start of a line is kept: the level is near the start, and a stack trace may be long.
    private void scan(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                lines++;
                String line = partial.toString();
                if (firstWarning != null && firstWarningOpen) {
                    firstWarning += " / " + line.strip(); // the exception, usually, that says why
                    firstWarningOpen = false;
                }
                if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                    warnings++;
                    if (firstWarning == null) {
                        firstWarning = line;
                        firstWarningOpen = true;
                    }
                }
                partial.setLength(0);
            } else if (partial.length() < KEPT_CHARS) {
                partial.append((char) (buf[i] & 0xff));
            }
        }
    }

    /** WARN and ERROR lines among {@link #lines()}; -1 without a file. */
    long warnings() {
        return file == null ? -1 : warnings;
    }

    /** The first WARN or ERROR line and the next, each cut at 200 characters, or null. */
    String firstWarning() {
        return firstWarning == null ? null : new String(firstWarning.getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8);
    }
}
