package chat.server;

import chat.server.config.Limits;
import chat.server.config.Listeners;
import chat.server.config.ServerConfig;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetricsIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void metricsEndpointCountsWhatClientsDo() throws Exception {
        ServerConfig config = RunningServer.V1.with(new Listeners("127.0.0.1", 0, 0)).with(Limits.DEFAULTS.withConnections(10, 2));
        try (RunningServer server = RunningServer.start(config)) {
            String url = "http://127.0.0.1:" + server.server.metricsAddress().getPort() + "/metrics";
            String before = scrape(url);
            assertThat(before).contains("# TYPE chat_lines_received_total counter");
            assertThat(value(before, "chat_clients_joined")).isZero();

            try (LineClient ann = LineClient.joined(server.address, "ann");
                 LineClient bob = LineClient.joined(server.address, "bob");
                 LineClient third = LineClient.connect(server.address)) {
                third.expect("Disconnected: too many connections from your address");
                ann.expect("bob has arrived");
                ann.send("hello");
                ann.expect("ann: hello");
                bob.expect("ann: hello");

                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    String after = scrape(url);
                    assertThat(value(after, "chat_clients_joined")).isEqualTo(2);
                    assertThat(value(after, "chat_connections_open")).isEqualTo(2);
                    assertThat(value(after, "chat_lines_received_total")).isEqualTo(3);
                    // You are, Also here (x2), bob has arrived, ann: hello (x2)
                    assertThat(value(after, "chat_lines_delivered_total")).isEqualTo(7);
                    assertThat(value(after, "chat_connections_rejected_total\\{reason=\"too_many_from_address\"\\}"))
                            .isEqualTo(1);
                    // ann has arrived (to no one yet), bob has arrived, ann: hello
                    assertThat(value(after, "chat_fanout_seconds_count")).isEqualTo(3);
                });
            }
        }
    }

    @Test
    void otherPathsAreNotFound() throws Exception {
        try (RunningServer server = RunningServer.start(RunningServer.V1.with(new Listeners("127.0.0.1", 0, 0)))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.server.metricsAddress().getPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
        }
    }

    private String scrape(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        return r.body();
    }

    private static long value(String exposition, String metric) {
        Matcher m = Pattern.compile("(?m)^" + metric + " (\\d+)$").matcher(exposition);
        assertThat(m.find()).as(metric + " in\n" + exposition).isTrue();
        return Long.parseLong(m.group(1));
    }
}
