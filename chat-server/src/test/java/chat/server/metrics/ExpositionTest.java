package chat.server.metrics;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ExpositionTest {

    private static final Pattern HELP = Pattern.compile("# HELP ([a-z_]+) \\S.*");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-z_]+) (counter|gauge|histogram)");
    private static final Pattern SAMPLE =
            Pattern.compile("([a-z_]+)(\\{[a-z]+=\"(?:[^\"\\\\\\n]|\\\\.)*\"\\})? (-?[0-9.]+(?:E-?[0-9]+)?)");

    private final ChatMetrics metrics = new ChatMetrics();

    @Test
    void everySampleBelongsToAFamilyWithHelpAndTypeDeclaredOnceBeforeIt() {
        Map<String, String> types = typesOf(render());
        assertThat(types).isNotEmpty();
    }

    @Test
    void existingNamesKeepTheirTypes() {
        assertThat(typesOf(render())).containsAllEntriesOf(Map.ofEntries(
                Map.entry("chat_connections_open", "gauge"),
                Map.entry("chat_clients_joined", "gauge"),
                Map.entry("chat_lines_received_total", "counter"),
                Map.entry("chat_lines_delivered_total", "counter"),
                Map.entry("chat_lines_dropped_total", "counter"),
                Map.entry("chat_slow_consumer_disconnects_total", "counter"),
                Map.entry("chat_flood_pauses_total", "counter"),
                Map.entry("chat_rooms_open", "gauge"),
                Map.entry("chat_lines_replayed_total", "counter"),
                Map.entry("chat_history_bytes", "gauge"),
                Map.entry("chat_connections_rejected_total", "counter"),
                Map.entry("chat_cluster_up", "gauge"),
                Map.entry("chat_cluster_unavailable_total", "counter"),
                Map.entry("chat_fanout_seconds", "histogram")));
    }

    @Test
    void disconnectsAreCountedByReasonWithEveryReasonShownFromTheStart() {
        metrics.disconnect(DisconnectReason.IDLE);
        metrics.disconnect(DisconnectReason.IDLE);
        metrics.disconnect(DisconnectReason.PEER_CLOSED);
        String text = render();
        assertThat(typesOf(text)).containsEntry("chat_disconnects_total", "counter");
        assertThat(value(text, "chat_disconnects_total{reason=\"idle\"}")).isEqualTo(2);
        assertThat(value(text, "chat_disconnects_total{reason=\"peer_closed\"}")).isEqualTo(1);
        for (String reason : new String[] {"quit", "no_name", "server_full", "too_many_from_address", "shutdown",
                "slow_consumer", "error"}) {
            assertThat(value(text, "chat_disconnects_total{reason=\"" + reason + "\"}")).as(reason).isZero();
        }
    }

    @Test
    void metricsConnectionsTurnedAwayAreCounted() {
        metrics.metricsConnectionRejected();
        String text = render();
        assertThat(typesOf(text)).containsEntry("chat_metrics_connections_rejected_total", "counter");
        assertThat(value(text, "chat_metrics_connections_rejected_total")).isEqualTo(1);
    }

    @Test
    void heapDirectMemoryAndGcAreReported() {
        String text = render();
        Map<String, String> types = typesOf(text);
        assertThat(types).containsEntry("chat_jvm_heap_bytes", "gauge")
                .containsEntry("chat_direct_memory_bytes", "gauge")
                .containsEntry("chat_netty_allocator_direct_bytes", "gauge")
                .containsEntry("chat_gc_pause_seconds_total", "counter")
                .containsEntry("chat_gc_collections_total", "counter");
        double used = value(text, "chat_jvm_heap_bytes{area=\"used\"}");
        assertThat(used).isPositive();
        assertThat(value(text, "chat_jvm_heap_bytes{area=\"committed\"}")).isGreaterThanOrEqualTo(used);
        assertThat(value(text, "chat_direct_memory_bytes{pool=\"jvm\"}")).isNotNegative();
        assertThat(text).containsPattern("(?m)^chat_gc_pause_seconds_total\\{gc=\"[^\"]+\"\\} ")
                .containsPattern("(?m)^chat_gc_collections_total\\{gc=\"[^\"]+\"\\} ");
    }

    @Test
    void fileDescriptorsAndCpuTimeOfTheProcessAreReported() {
        String text = render();
        assertThat(typesOf(text)).containsEntry("chat_process_open_fds", "gauge")
                .containsEntry("chat_process_max_fds", "gauge")
                .containsEntry("chat_process_cpu_seconds_total", "counter");
        double open = value(text, "chat_process_open_fds");
        assertThat(open).isPositive().isLessThanOrEqualTo(value(text, "chat_process_max_fds"));
        assertThat(value(text, "chat_process_cpu_seconds_total")).isPositive();
    }

    @Test
    void residentMemoryIsVmRssFromProcSelfStatus(@TempDir Path dir) throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 9999 kB\nVmRSS:\t    1234 kB\nThreads:\t20\n");
        String text = render(status);
        assertThat(typesOf(text)).containsEntry("chat_process_resident_memory_bytes", "gauge");
        assertThat(value(text, "chat_process_resident_memory_bytes")).isEqualTo(1234 * 1024);
    }

    @Test
    void residentMemoryIsLeftOutWhereThereIsNoProcSelfStatus(@TempDir Path dir) {
        String text = render(dir.resolve("missing"));
        assertThat(typesOf(text)).doesNotContainKey("chat_process_resident_memory_bytes");
        assertThat(text).doesNotContain("chat_process_resident_memory_bytes");
    }

    @Test
    void labelValuesAreEscaped() {
        String text = new PrometheusText().sample("x", "gc", "a\"b\\c\nd", 1L).toString();
        assertThat(text).isEqualTo("x{gc=\"a\\\"b\\\\c\\nd\"} 1\n");
        assertThat(typesOf("# HELP x y\n# TYPE x gauge\n" + text)).containsEntry("x", "gauge");
    }

    private String render() {
        return render(RuntimeMetrics.PROC_SELF_STATUS);
    }

    private String render(Path procStatus) {
        return new Exposition(metrics, new RuntimeMetrics(ByteBufAllocator.DEFAULT, procStatus)).render();
    }

    /**
     * The families by name and type, after checking the text the way a scraper would: HELP, then
     * TYPE, then samples of that family only (histograms: _bucket, _sum, _count); no family twice.
     */
    private static Map<String, String> typesOf(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Integer> helps = new HashMap<>();
        String family = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher help = HELP.matcher(line);
            Matcher type = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (help.matches()) {
                assertThat(helps.merge(help.group(1), 1, Integer::sum)).as("HELP twice: " + line).isEqualTo(1);
                family = help.group(1);
            } else if (type.matches()) {
                assertThat(type.group(1)).as("TYPE right after its HELP").isEqualTo(family);
                assertThat(types.put(family, type.group(2))).as("TYPE twice: " + line).isNull();
            } else {
                assertThat(sample.matches()).as("a sample: " + line).isTrue();
                String name = sample.group(1);
                String base = "histogram".equals(types.get(family))
                        ? name.replaceFirst("_(bucket|sum|count)$", "") : name;
                assertThat(base).as("sample of the family declared last: " + line).isEqualTo(family);
            }
        }
        assertThat(text).endsWith("\n");
        return types;
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as(series + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
