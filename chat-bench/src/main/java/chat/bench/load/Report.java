package chat.bench.load;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;

/**
 * The figures of one run in the order they were put: printed as a table for people and as one
 * JSON line (field names as in {@code peers/loadgen}) for scripts. Fields never put, and server
 * figures of -1 (no PID), are left out. Used by one thread at a time.
 */
public final class Report {

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private String error;

    public Report(String peer, String proto, String scenario) {
        fields.put("peer", peer);
        fields.put("proto", proto);
        fields.put("scenario", scenario);
        fields.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    public void put(String name, long value) {
        if (value >= 0) {
            fields.put(name, value);
        }
    }

    /** Puts {@code value} rounded to {@code digits} decimals. */
    public void put(String name, double value, int digits) {
        if (value >= 0) {
            double scale = Math.pow(10, digits);
            fields.put(name, Math.round(value * scale) / scale);
        }
    }

    public void put(String name, boolean value) {
        fields.put(name, value);
    }

    public void put(String name, String value) {
        fields.put(name, value);
    }

    public void note(String note) {
        notes.add(note);
    }

    /** Marks the run failed; the first error wins. */
    public void error(String message) {
        if (error == null) {
            error = message;
        }
    }

    public boolean ok() {
        return error == null;
    }

    public void print(PrintStream out) {
        out.println();
        out.printf("%-34s %s%n", "ok", ok());
        if (error != null) {
            out.printf("%-34s %s%n", "error", error);
        }
        fields.forEach((k, v) -> out.printf("%-34s %s%n", k, v));
        notes.forEach(n -> out.printf("%-34s %s%n", "note", n));
        out.println(json());
        out.flush();
    }

    public String json() {
        StringBuilder b = new StringBuilder("{");
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("ok", ok());
        if (error != null) {
            all.put("error", error);
        }
        all.putAll(fields);
        all.forEach((k, v) -> {
            b.append(b.length() > 1 ? "," : "").append(quote(k)).append(':');
            b.append(v instanceof String s ? quote(s) : String.valueOf(v));
        });
        if (!notes.isEmpty()) {
            b.append(",\"notes\":[");
            for (int i = 0; i < notes.size(); i++) {
                b.append(i > 0 ? "," : "").append(quote(notes.get(i)));
            }
            b.append(']');
        }
        return b.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * A watchdog for a run that must end by itself: after {@code limitMillis} it marks this
     * report failed, prints its JSON line and halts the process with status 1. The caller
     * cancels the timer when the run ends in time. The timer's thread reads the report then,
     * while the run may still be writing it: a report cut short is what is wanted.
     */
    public Timer haltAfter(long limitMillis) {
        Timer watchdog = new Timer("watchdog", true);
        watchdog.schedule(new TimerTask() {
            @Override
            public void run() {
                error("watchdog: run exceeded " + limitMillis / 1000 + "s");
                System.out.println(json());
                Runtime.getRuntime().halt(1);
            }
        }, limitMillis);
        return watchdog;
    }

    /** A progress line on stderr, so that stdout stays the report. */
    public static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "loadgen: " + format + "%n", args);
    }
}
