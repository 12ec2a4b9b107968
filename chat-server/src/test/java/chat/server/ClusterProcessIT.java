package chat.server;

import chat.server.config.Cluster;
import chat.server.config.Flood;
import chat.server.config.History;
import chat.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server of a cluster that dies ({@code kill -9}) or hangs ({@code SIGSTOP}) as a real
 * process; two servers in this JVM survive it. Its clients are announced as left once, within
 * {@code --node-timeout} and a margin, and their names are free again.
 */
class ClusterProcessIT {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MARGIN = Duration.ofMillis(1500);

    private RedisProcess redis;
    private RunningServer b;
    private RunningServer c;
    private JarProcess victim;

    @BeforeEach
    void startCluster() throws Exception {
        redis = RedisProcess.start();
        ServerConfig config = RunningServer.V1.with(new History(100, 10)).with(new Flood(0, 1))
                .with(new Cluster(Optional.of(redis.uri()), NODE_TIMEOUT));
        b = RunningServer.start(config);
        c = RunningServer.start(config);
        victim = JarProcess.start(Map.of(), "--host", "127.0.0.1", "--port", "0", "--redis", redis.uri(),
                "--node-timeout", NODE_TIMEOUT.toMillis() + "ms");
    }

    @AfterEach
    void stopAll() {
        victim.close();
        b.close();
        c.close();
        redis.close();
    }

    @Test
    void aKilledServersClientsAreAnnouncedAsLeftOnceWithinTheNodeTimeout() throws Exception {
        InetSocketAddress at = victim.awaitListening();
        try (LineClient bob = LineClient.joined(b.address, "bob");
             LineClient cat = LineClient.joined(c.address, "cat");
             LineClient vic = LineClient.joined(at, "vic")) {
            bob.expect("cat has arrived", "vic has arrived");
            cat.expect("vic has arrived");
            long killed = System.nanoTime();
            victim.signal("KILL", JarProcess.WAIT);
            bob.expect("vic has left");
            cat.expect("vic has left");
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(NODE_TIMEOUT.plus(MARGIN));
            bob.expectSilence(NODE_TIMEOUT); // once: no other survivor announces it again
            try (LineClient again = LineClient.joined(c.address, "vic")) {
                bob.expect("vic has arrived");
            }
        }
    }

    @Test
    void aFrozenServersClientsAreAnnouncedAsLeftAndAreClosedWhenItWakes() throws Exception {
        InetSocketAddress at = victim.awaitListening();
        try (LineClient bob = LineClient.joined(b.address, "bob");
             LineClient vic = LineClient.joined(at, "vic")) {
            bob.expect("vic has arrived");
            long frozen = System.nanoTime();
            victim.signal("STOP", Duration.ZERO);
            bob.expect("vic has left");
            assertThat(Duration.ofNanos(System.nanoTime() - frozen)).isLessThan(NODE_TIMEOUT.plus(MARGIN));
            try (LineClient taker = LineClient.joined(c.address, "vic")) {
                bob.expect("vic has arrived");
                victim.signal("CONT", Duration.ZERO);
                // The woken server does not carry on as if nothing happened: its client is told and closed.
                vic.send("am I still here?");
                // (Its line gets the error too if the server handles it before it learns it was declared dead.)
                assertThat(vic.readToEnd()).isNotEmpty().containsOnly("Error: chat is unavailable, try again");
                bob.expectSilence(Duration.ofSeconds(1)); // nothing from the woken server reached the others
                taker.send("/who");
                taker.expect("Here now (2): bob, vic");
            }
            bob.expect("vic has left"); // the one on the other server, who just went
            // The woken server serves again, as a new member of the cluster.
            try (LineClient newcomer = LineClient.joined(at, "dan")) {
                bob.expect("dan has arrived");
            }
        }
    }

    @Test
    void anOutageOfRedisIsLoggedOnceAndItsEndOnce() throws Exception {
        InetSocketAddress at = victim.awaitListening();
        try (LineClient vic = LineClient.joined(at, "vic")) {
            redis.stop();
            victim.awaitLog(Pattern.compile("redis: unavailable"));
            for (int i = 0; i < 3; i++) {
                vic.send("hello?");
                vic.expect("Error: chat is unavailable, try again");
            }
            redis.restart();
            victim.awaitLog(Pattern.compile("redis: available again"));
            vic.send("back");
            vic.expect("vic: back");
        }
        assertThat(victim.logSoFar().stream().filter(l -> l.contains("redis: unavailable"))).hasSize(1);
        assertThat(victim.logSoFar().stream().filter(l -> l.contains("redis: available again"))).hasSize(1);
    }

    @Test
    void afterRedisLosesItsDataANameIsNotGivenAwayBeforeItsServerClaimsItBack() throws Exception {
        InetSocketAddress at = victim.awaitListening();
        try (LineClient vic = LineClient.joined(at, "vic");
             LineClient impostor = LineClient.connect(b.address)) {
            impostor.expect("Enter your name:");
            // vic's server cannot notice the loss for a second, while the others can.
            victim.signal("STOP", Duration.ZERO);
            redis.cli("FLUSHALL");
            long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < until) {
                impostor.send("vic");
                assertThat(impostor.readLine()).isIn("Error: chat is unavailable, try again", "Error: name vic is taken");
                impostor.expect("Enter your name:");
            }
            victim.signal("CONT", Duration.ZERO);
            await().atMost(JarProcess.WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                impostor.send("vic");
                String answer = impostor.readLine();
                impostor.expect("Enter your name:");
                return answer.equals("Error: name vic is taken");
            });
            vic.send("still me");
            vic.expect("vic: still me");
        }
    }
}
