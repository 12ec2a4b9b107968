package chat.server.cli;

import chat.server.config.Cluster;
import chat.server.config.Flood;
import chat.server.config.History;
import chat.server.config.Limits;
import chat.server.config.Listeners;
import chat.server.config.ServerConfig;
import chat.server.config.SlowReaders;
import chat.server.config.Timeouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ServerCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void noOptionsGiveEveryDefault() {
        assertThat(parse(Map.of()).config()).isEqualTo(ServerConfig.DEFAULTS);
    }

    @Test
    void defaultsAreThoseOfTheProtocol() {
        assertThat(parse(Map.of()).config()).isEqualTo(new ServerConfig(
                new Listeners("0.0.0.0", 8000, "127.0.0.1", Listeners.METRICS_OFF, Optional.empty(), Optional.empty()),
                new Limits(10_000, 64, 2048, 1000, 1000),
                new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(300)),
                new SlowReaders(Duration.ofSeconds(30), 65_536, 32_768),
                new Flood(20, 40),
                new History(100, 10),
                new Cluster(Optional.empty(), Duration.ofSeconds(10))));
    }

    @Test
    void everyOptionInBothGnuForms() {
        ServerConfig c = parse(Map.of(), "--host", "127.0.0.1", "--port=9000", "--max-line-bytes", "100",
                "--name-timeout=5s", "--idle-timeout", "0", "--max-connections", "5",
                "--max-connections-per-ip=2", "--slow-consumer-timeout", "1500ms", "--write-buffer-high", "2000",
                "--write-buffer-low=1000", "--rate", "0", "--burst", "3", "--metrics-port", "9100",
                "--metrics-host=::1", "--max-rooms", "7", "--announce-limit", "3", "--history=0",
                "--join-history", "0", "--redis", "redis://127.0.0.1:6390", "--node-timeout=3s").config();
        assertThat(c).isEqualTo(new ServerConfig(
                new Listeners("127.0.0.1", 9000, "::1", 9100, Optional.empty(), Optional.empty()),
                new Limits(5, 2, 100, 7, 3),
                new Timeouts(Duration.ofSeconds(5), Duration.ZERO),
                new SlowReaders(Duration.ofMillis(1500), 2000, 1000),
                new Flood(0, 3),
                new History(0, 0),
                new Cluster(Optional.of("redis://127.0.0.1:6390"), Duration.ofSeconds(3))));
        assertThat(c.timeouts().idleEnabled()).isFalse();
        assertThat(c.flood().enabled()).isFalse();
        assertThat(c.history().enabled()).isFalse();
    }

    @Test
    void environmentSetsOptionsAndTheCommandLineWins() {
        Map<String, String> env = Map.of("CHAT_PORT", "7000", "CHAT_IDLE_TIMEOUT", "5m",
                "CHAT_MAX_CONNECTIONS_PER_IP", "3", "CHAT_RATE", "7");
        ServerConfig c = parse(env, "--rate", "9").config();
        assertThat(c.listeners().port()).isEqualTo(7000);
        assertThat(c.timeouts().idle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.limits().maxConnectionsPerIp()).isEqualTo(3);
        assertThat(c.flood().rate()).isEqualTo(9);
    }

    @ParameterizedTest
    @CsvSource({"300, PT5M", "300s, PT5M", "5m, PT5M", "1500ms, PT1.5S", "1h, PT1H"})
    void durationsAcceptSecondsMinutesAndMillis(String text, Duration expected) {
        assertThat(parse(Map.of(), "--idle-timeout", text).config().timeouts().idle()).isEqualTo(expected);
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        ServerCommand.Outcome o = parse(Map.of(), "--help");
        assertThat(o.config()).isNull();
        assertThat(o.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: chat-server", "--write-buffer-low");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--port=abc|--port",
            "--port=70000|--port must be 0-65535, got 70000",
            "--idle-timeout=soon|--idle-timeout",
            "--name-timeout=0|--name-timeout must be more than 0",
            "--write-buffer-low=70000|--write-buffer-low must not exceed --write-buffer-high",
            "--burst=0|--burst must be at least 1",
            "--node-timeout=500ms|--node-timeout must be at least 1s, got 500ms",
            "--redis=http://example.org|--redis http://example.org",
            "--redis=redis://:secret@host:99999|--redis redis://***@host:99999: Port out of range: 99999",
            "--frobnicate|Unknown option: '--frobnicate'"})
    void badOptionIsOneLineOnStderrAndExitTwo(String arg, String says) {
        ServerCommand.Outcome o = parse(Map.of(), arg);
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.config()).isNull();
        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines()).hasSize(1);
        assertThat(printed).contains(says);
    }

    @Test
    void badEnvironmentValueIsReportedLikeAnOption() {
        ServerCommand.Outcome o = parse(Map.of("CHAT_PORT", "eighty"));
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--port").contains("eighty");
    }

    @Test
    void metricsHostIsLoopbackUnlessSet() {
        assertThat(parse(Map.of(), "--metrics-port", "0").config().listeners().metricsHost()).isEqualTo("127.0.0.1");
        assertThat(parse(Map.of("CHAT_METRICS_HOST", "0.0.0.0"), "--metrics-port", "0").config().listeners()
                .metricsHost()).isEqualTo("0.0.0.0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CHAT_PORT|abc|chat-server: CHAT_PORT: Invalid value for option '--port': 'abc' is not a port (0-65535) or off",
            "CHAT_PORT|70000|chat-server: CHAT_PORT: --port must be 0-65535, got 70000",
            "CHAT_IDLE_TIMEOUT|soon|chat-server: CHAT_IDLE_TIMEOUT: Invalid value for option '--idle-timeout': "
                    + "'soon' is not a duration (use 300, 300s, 5m or 1500ms)",
            "CHAT_WRITE_BUFFER_LOW|70000|chat-server: CHAT_WRITE_BUFFER_LOW: "
                    + "--write-buffer-low must not exceed --write-buffer-high",
            "CHAT_WRITE_BUFFER_HIGH|10|chat-server: CHAT_WRITE_BUFFER_HIGH: "
                    + "--write-buffer-low must not exceed --write-buffer-high"})
    void badValueFromAVariableNamesTheVariable(String variable, String value, String says) {
        ServerCommand.Outcome o = parse(Map.of(variable, value));
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.config()).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(says + System.lineSeparator());
    }

    @Test
    void badValueOnTheCommandLineIsNotBlamedOnTheVariable() {
        ServerCommand.Outcome o = parse(Map.of("CHAT_PORT", "7000"), "--port=abc");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("chat-server: Invalid value for option '--port': 'abc' is not a port (0-65535) or off"
                        + System.lineSeparator());
    }

    @Test
    void badVariableIsNotUsedWhenTheCommandLineGivesTheOption() {
        ServerCommand.Outcome o = parse(Map.of("CHAT_PORT", "abc"), "--port", "9000");
        assertThat(o.exitCode()).isZero();
        assertThat(o.config().listeners().port()).isEqualTo(9000);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void unknownVariableIsWarnedAboutWithTheOptionItMayMeanAndTheServerStillStarts() {
        ServerCommand.Outcome o = parse(Map.of("CHAT_PROT", "1", "CHAT_RATE", "5"));
        assertThat(o.config()).isNotNull();
        assertThat(o.config().flood().rate()).isEqualTo(5);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "chat-server: warning: ignoring unknown variable CHAT_PROT (did you mean CHAT_PORT?)"
                        + System.lineSeparator());
    }

    @Test
    void unknownVariableLikeNoOptionIsWarnedAboutAlone() {
        ServerCommand.Outcome o = parse(Map.of("CHAT_COLOUR", "red", "CHAT_HELP", "1"));
        assertThat(o.config()).isNotNull();
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "chat-server: warning: ignoring unknown variable CHAT_COLOUR",
                "chat-server: warning: ignoring unknown variable CHAT_HELP");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("CHAT_HELP prints no usage").isEmpty();
    }

    @Test
    void hostThatDoesNotResolveIsOneLineAndExitTwo() {
        ServerCommand.Outcome o = parse(UNRESOLVABLE, Map.of(), "--host", "example.invalid");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.config()).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "chat-server: --host example.invalid: cannot resolve (Name or service not known)"
                        + System.lineSeparator());
    }

    @Test
    void metricsHostThatDoesNotResolveIsReportedWhenThereIsAMetricsPort() {
        assertThat(parse(UNRESOLVABLE, Map.of("CHAT_METRICS_HOST", "metrics.invalid")).exitCode()).isZero();
        ServerCommand.Outcome o = parse(UNRESOLVABLE, Map.of("CHAT_METRICS_HOST", "metrics.invalid"),
                "--metrics-port", "9100");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "chat-server: CHAT_METRICS_HOST: --metrics-host metrics.invalid: cannot resolve "
                        + "(Name or service not known)" + System.lineSeparator());
    }

    @Test
    void versionIsTheMavenVersion() {
        String version = System.getProperty("chat.server.version");
        assertThat(version).as("set by the pom for surefire").isNotBlank();
        ServerCommand.Outcome o = parse(Map.of(), "--version");
        assertThat(o.exitCode()).isZero();
        assertThat(o.config()).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("chat-server " + version + System.lineSeparator());
    }

    @Test
    void everyOptionShowsAnUppercasePlaceholderInHelp() {
        parse(Map.of(), "--help");
        String help = out.toString(StandardCharsets.UTF_8);
        for (OptionSpec option : new CommandLine(ServerCommand.class).getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            assertThat(help).as(option.longestName())
                    .containsPattern("\\[" + option.longestName() + "=[A-Z]+\\]")
                    .containsPattern("(?m)^ +" + option.longestName() + "=[A-Z]+( |$)");
        }
    }

    /** A resolver without DNS: names under .invalid (RFC 6761) do not resolve, literals do. */
    private static final ServerCommand.Resolver UNRESOLVABLE = host -> {
        if (host.endsWith(".invalid")) {
            throw new UnknownHostException(host + ": Name or service not known");
        }
        return InetAddress.getByName(host);
    };

    private ServerCommand.Outcome parse(Map<String, String> env, String... args) {
        return ServerCommand.parse(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private ServerCommand.Outcome parse(ServerCommand.Resolver resolver, Map<String, String> env, String... args) {
        return ServerCommand.parse(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), resolver);
    }

    @Test
    void rateTakesFractions() {
        assertThat(parse(Map.of(), "--rate", "0.5").config().flood().rate()).isEqualTo(0.5);
        assertThat(parse(Map.of(), "--rate=2.5").config().flood().enabled()).isTrue();
    }
}
