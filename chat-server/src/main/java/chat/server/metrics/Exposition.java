package chat.server.metrics;

import java.util.Locale;

/**
 * What {@code GET /metrics} answers: the chat's counters, then the JVM's and the process's, in
 * Prometheus text format. Every family is present at every scrape, most with a value of 0 at
 * first, so a dashboard has no gaps. Rendered on the metrics thread; reads only counters that
 * are safe to read from anywhere.
 */
final class Exposition {

    private final ChatMetrics metrics;
    private final RuntimeMetrics runtime;

    Exposition(ChatMetrics metrics, RuntimeMetrics runtime) {
        this.metrics = metrics;
        this.runtime = runtime;
    }

    String render() {
        PrometheusText out = new PrometheusText();
        chat(out);
        disconnects(out);
        out.counter("chat_metrics_connections_rejected_total",
                "Connections to the metrics port closed at once: it already had its maximum.",
                metrics.metricsConnectionsRejected());
        runtime.writeTo(out);
        return out.toString();
    }

    private void chat(PrometheusText out) {
        out.gauge("chat_connections_open", "Connections open, named or not.", metrics.connectionsOpen());
        out.gauge("chat_clients_joined", "Clients that have chosen a name.", metrics.clientsJoined());
        out.counter("chat_lines_received_total", "Lines received from clients.", metrics.linesReceived());
        out.counter("chat_lines_delivered_total", "Lines queued for delivery to a client.",
                metrics.linesDelivered());
        out.counter("chat_lines_dropped_total", "Lines dropped because the receiver was too slow.",
                metrics.linesDropped());
        out.counter("chat_slow_consumer_disconnects_total",
                "Connections closed for staying unwritable past --slow-consumer-timeout.",
                metrics.slowConsumerDisconnects());
        out.counter("chat_flood_pauses_total", "Times flood control stopped reading from a client.",
                metrics.floodPauses());
        out.gauge("chat_rooms_open", "Rooms that exist, #lobby included.", metrics.roomsOpen());
        out.counter("chat_lines_replayed_total", "Kept lines sent to slow readers catching up.",
                metrics.linesReplayed());
        out.gauge("chat_history_bytes", "Bytes of encoded lines held in the rooms' history.",
                metrics.historyBytes());
        out.family("chat_connections_rejected_total", "Connections turned away, by reason.", "counter")
                .sample("chat_connections_rejected_total", "reason", "server_full",
                        metrics.rejectedServerFullTotal())
                .sample("chat_connections_rejected_total", "reason", "too_many_from_address",
                        metrics.rejectedPerAddressTotal());
        out.gauge("chat_cluster_up", "Clusters: 1 while Redis answers and this server is up in its cluster, "
                + "0 while not, -1 without --redis.", metrics.clusterUp());
        out.counter("chat_cluster_unavailable_total", "Clusters: lines answered with 'chat is unavailable'.",
                metrics.clusterUnavailableTotal());
        fanOut(out, metrics.fanOutTime());
    }

    private void disconnects(PrometheusText out) {
        out.family("chat_disconnects_total", "Connections closed, by reason.", "counter");
        for (DisconnectReason reason : DisconnectReason.values()) {
            out.sample("chat_disconnects_total", "reason", reason.label(), metrics.disconnects(reason));
        }
    }

    private static void fanOut(PrometheusText out, FanOutTimer timer) {
        String name = "chat_fanout_seconds";
        out.family(name, "Time the broadcaster takes to fan one line out to every member.", "histogram");
        long cumulative = 0;
        for (int i = 0; i <= FanOutTimer.BOUNDS.length; i++) {
            cumulative += timer.bucket(i);
            String le = i < FanOutTimer.BOUNDS.length
                    ? String.format(Locale.ROOT, "%s", FanOutTimer.BOUNDS[i]) : "+Inf";
            out.sample(name + "_bucket", "le", le, cumulative);
        }
        out.sample(name + "_sum", timer.sumSeconds());
        out.sample(name + "_count", cumulative);
    }
}
