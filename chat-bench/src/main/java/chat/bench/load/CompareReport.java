package chat.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Prints one markdown table per scenario from the JSON lines of {@link LoadGenerator} runs, as
 * {@code compare.sh} collects them: a row per peer, in the order the peers first appear, showing the
 * run with the median main figure (deliveries/s; p99 for latency; KiB per connection for idle) and
 * the range of that figure over the runs. The columns are those of {@code results/2026-11-25.md}.
 * A line that is not a JSON object is skipped; a failed run is a row with its error.
 *
 * <pre>
 *   java -cp chat-bench/target/benchmarks.jar chat.bench.load.CompareReport results/DAY-compare.jsonl
 * </pre>
 */
public final class CompareReport {

    private final Map<String, Map<String, List<Run>>> byScenario = new LinkedHashMap<>();
    private final PrintStream out;

    private CompareReport(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: CompareReport FILE.jsonl...");
            System.exit(2);
        }
        CompareReport report = new CompareReport(System.out);
        for (String file : args) {
            for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                if (line.strip().startsWith("{")) {
                    report.add(new Run(JsonLine.parse(line.strip())));
                }
            }
        }
        report.print();
    }

    private void add(Run r) {
        byScenario.computeIfAbsent(r.text("scenario"), s -> new LinkedHashMap<>())
                .computeIfAbsent(r.text("peer"), p -> new ArrayList<>()).add(r);
    }

    private void print() {
        List<Run> rows = pick("fanout", r -> r.number("deliveries_per_s"), "%.0f");
        if (!rows.isEmpty()) {
            Run r0 = first(rows);
            out.printf(Locale.ROOT, "### fanout (%s receivers, %s publishers × %s messages, %s-byte payload)%n%n",
                    r0.whole("receivers"), r0.whole("publishers"), r0.whole("messages_per_publisher"),
                    r0.whole("payload_bytes"));
            header("peer", "deliveries/s", "runs (range)", "received / expected", "lost %", "undelivered %",
                    "reorders", "dups", "p50 ms", "p99 ms", "max ms", "elapsed s", "server CPU s", "loadgen CPU s",
                    "server RSS peak MiB", "status", "notes");
            for (Run r : rows) {
                row(r.text("peer"), r.whole("deliveries_per_s"), r.range, received(r), r.fixed("loss_pct", 2),
                        r.fixed("undelivered_pct", 2), r.whole("reorders"), r.whole("duplicates"),
                        r.fixed("lat_p50_ms", 2), r.fixed("lat_p99_ms", 2), r.fixed("lat_max_ms", 2),
                        r.fixed("elapsed_s", 2), r.fixed("server_cpu_s", 2), r.fixed("loadgen_cpu_s", 2),
                        r.mib("server_rss_peak_kib"), status(r), notes(r));
            }
            out.println();
        }
        rows = pick("latency", r -> r.number("lat_p99_ms"), "%.1f");
        if (!rows.isEmpty()) {
            Run r0 = first(rows);
            out.printf(Locale.ROOT, "### latency (%s receivers, %s msg/s total from %s publishers = %.0f deliveries/s"
                            + " offered, %s-byte payload)%n%n", r0.whole("receivers"), r0.whole("rate_msgs_per_s"),
                    r0.whole("publishers"), r0.number("rate_msgs_per_s") * r0.number("receivers"),
                    r0.whole("payload_bytes"));
            header("peer", "p50 ms", "p99 ms", "runs (p99 range)", "p99.9 ms", "max ms", "lost %", "undelivered %",
                    "received / expected", "deliveries/s", "server CPU s", "server RSS peak MiB", "status", "notes");
            for (Run r : rows) {
                row(r.text("peer"), r.fixed("lat_p50_ms", 2), r.fixed("lat_p99_ms", 2), r.range,
                        r.fixed("lat_p999_ms", 2), r.fixed("lat_max_ms", 2), r.fixed("loss_pct", 2),
                        r.fixed("undelivered_pct", 2), received(r), r.whole("deliveries_per_s"),
                        r.fixed("server_cpu_s", 2), r.mib("server_rss_peak_kib"), status(r), notes(r));
            }
            out.println();
        }
        rows = pick("idle", r -> r.number("kib_per_conn"), "%.1f");
        if (!rows.isEmpty()) {
            out.printf(Locale.ROOT, "### idle (%s connections, joined, reading, not sending)%n%n",
                    first(rows).whole("idle_target"));
            header("peer", "connected / target", "confirmed joined", "connect s", "settled", "RSS before MiB",
                    "RSS after MiB", "KiB per conn", "runs (range)", "MiB pushed to idle clients", "server CPU s",
                    "notes");
            for (Run r : rows) {
                String settled = r.has("error") ? "error: " + r.text("error") : r.flag("settled") ? "yes" : "no";
                row(r.text("peer"), r.whole("idle_connected") + " / " + r.whole("idle_target"),
                        r.whole("idle_joined_confirmed"), r.fixed("connect_s", 1), settled,
                        r.mib("server_rss_before_kib"), r.mib("server_rss_after_kib"), r.fixed("kib_per_conn", 1),
                        r.range, String.format(Locale.ROOT, "%.1f", r.number("idle_bytes_received") / 1048576),
                        r.fixed("server_cpu_s", 2), notes(r));
            }
            out.println();
        }
        rows = pick("slow", r -> r.number("deliveries_per_s"), "%.0f");
        if (!rows.isEmpty()) {
            Run r0 = first(rows);
            out.printf(Locale.ROOT, "### slow (%s healthy receivers + %s stalled (never read, small SO_RCVBUF),"
                            + " %s publishers × %s messages)%n%n", r0.whole("receivers"), r0.whole("stalled"),
                    r0.whole("publishers"), r0.whole("messages_per_publisher"));
            out.printf(Locale.ROOT, "Before the healthy receivers join, a filler pushes %.1f MiB to every stalled"
                    + " receiver (more than the kernel buffers for a socket), so the server itself must hold, drop"
                    + " or cut off what it owes them.%n%n", r0.number("fill_bytes_per_stalled") / 1048576);
            header("peer", "healthy deliveries/s", "runs (range)", "healthy received / expected", "healthy lost %",
                    "undelivered %", "p99 ms", "elapsed s", "stalled cut off by server", "server RSS growth MiB",
                    "status", "notes");
            for (Run r : rows) {
                row(r.text("peer"), r.whole("deliveries_per_s"), r.range, received(r), r.fixed("loss_pct", 2),
                        r.fixed("undelivered_pct", 2), r.fixed("lat_p99_ms", 2), r.fixed("elapsed_s", 2),
                        r.whole("stalled_disconnected_by_server") + " / " + r.whole("stalled"),
                        r.mib("server_rss_growth_kib"), status(r), notes(r));
            }
            out.println();
        }
    }

    /** Per peer of {@code scenario}, the run with the median {@code metric}, its range noted in it. */
    private List<Run> pick(String scenario, Function<Run, Double> metric, String format) {
        List<Run> rows = new ArrayList<>();
        for (List<Run> runs : byScenario.getOrDefault(scenario, Map.of()).values()) {
            List<Run> sorted = new ArrayList<>(runs);
            sorted.sort(Comparator.comparing(metric));
            Run median = sorted.get((sorted.size() - 1) / 2);
            median.range = sorted.size() == 1 ? "1" : String.format(Locale.ROOT, "%d (" + format + "–" + format + ")",
                    sorted.size(), metric.apply(sorted.get(0)), metric.apply(sorted.get(sorted.size() - 1)));
            rows.add(median);
        }
        return rows;
    }

    /** The first run that worked, for the settings in a table's title; else the first. */
    private static Run first(List<Run> rows) {
        return rows.stream().filter(r -> r.flag("ok")).findFirst().orElse(rows.get(0));
    }

        private static String received(Run r) {
        return r.whole("received") + " / " + r.whole("expected_deliveries");
    }

    private static String status(Run r) {
        if (r.has("error")) {
            return "error: " + r.text("error");
        }
        if (r.flag("complete")) {
            return "complete";
        }
        if (r.flag("server_stalled")) {
            return "server stalled";
        }
        return r.flag("timed_out") ? "timed out" : "drained, with loss";
    }

    private static String notes(Run r) {
        List<String> all = new ArrayList<>(r.notes());
        if (r.number("connect_errors") > 0) {
            all.add(r.whole("connect_errors") + " connect errors (" + r.text("first_connect_error") + ")");
        }
        return String.join("; ", all).replace('|', '/');
    }

    private void header(String... columns) {
        row(columns);
        StringBuilder rule = new StringBuilder("|---|");
        for (int i = 1; i < columns.length; i++) {
            boolean text = columns[i].startsWith("runs") || columns[i].equals("status") || columns[i].equals("notes")
                    || columns[i].equals("settled");
            rule.append(text ? "---|" : "---:|");
        }
        out.println(rule);
    }

    private void row(String... cells) {
        out.println("| " + String.join(" | ", cells) + " |");
    }

    /** One run's JSON line. Absent figures read as 0 and print as a dash, absent text as "". */
    private static final class Run {
        private final Map<String, Object> fields;
        private String range = "1";

        Run(Map<String, Object> fields) {
            this.fields = fields;
        }

        boolean has(String name) {
            return fields.containsKey(name);
        }

        String text(String name) {
            Object v = fields.get(name);
            return v == null ? "" : String.valueOf(v);
        }

        double number(String name) {
            return fields.get(name) instanceof Double d ? d : 0;
        }

        boolean flag(String name) {
            return Boolean.TRUE.equals(fields.get(name));
        }

        String whole(String name) {
            return fixed(name, 0);
        }

        /** The figure with {@code digits} decimals, or a dash when the run did not report it. */
        String fixed(String name, int digits) {
            return has(name) ? String.format(Locale.ROOT, "%." + digits + "f", number(name)) : "–";
        }

        String mib(String name) {
            double kib = number(name);
            return kib <= 0 ? "–" : String.format(Locale.ROOT, "%.1f", kib / 1024);
        }

        List<String> notes() {
            List<String> notes = new ArrayList<>();
            if (fields.get("notes") instanceof List<?> list) {
                list.forEach(n -> notes.add(String.valueOf(n)));
            }
            return notes;
        }
    }
}
