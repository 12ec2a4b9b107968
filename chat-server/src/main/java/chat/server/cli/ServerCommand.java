package chat.server.cli;

import chat.server.config.Cluster;
import chat.server.config.Flood;
import chat.server.config.History;
import chat.server.config.Limits;
import chat.server.config.Listeners;
import chat.server.config.ServerConfig;
import chat.server.config.SlowReaders;
import chat.server.config.Timeouts;
import chat.server.transport.tls.TlsOptions;
import chat.server.transport.web.WebOptions;
import io.lettuce.core.RedisURI;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the command line and the {@code CHAT_*} environment into a {@link ServerConfig}
 * (PROTOCOL.md, "Running the server"). An option on the command line wins over its variable.
 * {@code --help} and {@code --version} print (exit 0); a bad option or value, a host name that
 * does not resolve included, prints one line to stderr naming the option, or the variable it came
 * from (exit 2). A {@code CHAT_*} variable that is no option's is warned about, not fatal.
 */
@Command(name = "chat-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "A line-oriented chat server: join with nc HOST PORT or telnet HOST PORT.",
        footer = {"", "Every option can also be set by an environment variable: CHAT_ plus its name in "
                + "upper snake case (CHAT_PORT, CHAT_IDLE_TIMEOUT). Durations: 300, 300s, 5m, 1500ms."})
public final class ServerCommand {

    private static final Pattern OPTION = Pattern.compile("--[a-z0-9-]+");

    /** What parsing came to: a config to run, or the exit code to leave with. */
    public record Outcome(ServerConfig config, int exitCode) {
    }

    @Option(names = "--host", paramLabel = "ADDRESS", description = "address to bind (default: ${DEFAULT-VALUE})")
    String host = Listeners.DEFAULTS.host();

    @Option(names = "--port", paramLabel = "PORT", converter = PortConverter.class,
            description = "TCP port; 0 lets the system choose; off = no plain TCP (default: ${DEFAULT-VALUE})")
    int port = Listeners.DEFAULTS.port();

    @Option(names = "--max-line-bytes", paramLabel = "BYTES", description = "longest client line (default: ${DEFAULT-VALUE})")
    int maxLineBytes = Limits.DEFAULTS.maxLineBytes();

    @Option(names = "--name-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "time to give a name (default: 60s)")
    Duration nameTimeout = Timeouts.DEFAULTS.name();

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "silence before disconnect; 0 = never (default: 300s)")
    Duration idleTimeout = Timeouts.DEFAULTS.idle();

    @Option(names = "--max-connections", paramLabel = "N",
            description = "all connections, named or not (default: ${DEFAULT-VALUE})")
    int maxConnections = Limits.DEFAULTS.maxConnections();

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
            description = "connections from one address (default: ${DEFAULT-VALUE})")
    int maxConnectionsPerIp = Limits.DEFAULTS.maxConnectionsPerIp();

    @Option(names = "--slow-consumer-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long a connection may stay unwritable (default: 30s)")
    Duration slowConsumerTimeout = SlowReaders.DEFAULTS.timeout();

    @Option(names = "--write-buffer-high", paramLabel = "BYTES",
            description = "bytes queued before traffic is dropped (default: ${DEFAULT-VALUE})")
    int writeBufferHigh = SlowReaders.DEFAULTS.writeBufferHigh();

    @Option(names = "--write-buffer-low", paramLabel = "BYTES",
            description = "bytes queued when sending resumes (default: ${DEFAULT-VALUE})")
    int writeBufferLow = SlowReaders.DEFAULTS.writeBufferLow();

    @Option(names = "--rate", paramLabel = "LINES", description = "lines per second per client, fractions allowed; 0 = no limit (default: 20)")
    double rate = Flood.DEFAULTS.rate();

    @Option(names = "--burst", paramLabel = "LINES", description = "lines a client may send at once (default: ${DEFAULT-VALUE})")
    int burst = Flood.DEFAULTS.burst();

    @Option(names = "--max-rooms", paramLabel = "N", description = "rooms at once, #lobby included (default: ${DEFAULT-VALUE})")
    int maxRooms = Limits.DEFAULTS.maxRooms();

    @Option(names = "--announce-limit", paramLabel = "N",
            description = "rooms larger than this do not announce arrivals, departures, renames; 0 = no limit (default: ${DEFAULT-VALUE})")
    int announceLimit = Limits.DEFAULTS.announceLimit();

    @Option(names = "--history", paramLabel = "LINES", description = "chat lines kept per room; 0 = none (default: ${DEFAULT-VALUE})")
    int history = History.DEFAULTS.lines();

    @Option(names = "--join-history", paramLabel = "LINES",
            description = "kept lines shown on entering a room; 0 = none (default: ${DEFAULT-VALUE})")
    int joinHistory = History.DEFAULTS.joinLines();

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "serve Prometheus text at /metrics on this port (default: off)")
    Integer metricsPort;

    @Option(names = "--tls-port", paramLabel = "PORT", description = "TLS listener port (default: off)")
    Integer tlsPort;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain for --tls-port and an HTTPS --web-port")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 key of --tls-cert")
    Path tlsKey;

    @Option(names = "--web-port", paramLabel = "PORT",
            description = "HTTP port of the chat page and /ws; HTTPS with --tls-cert (default: off)")
    Integer webPort;

    @Option(names = "--web-origins", paramLabel = "ORIGINS",
            description = "extra origins allowed to open /ws, comma-separated; * = any (default: none)")
    String webOrigins;

    @Option(names = "--redis", paramLabel = "URI",
            description = "join the cluster of every server started with this Redis URI: redis://HOST:PORT, "
                    + "rediss://..., redis-sentinel://... (default: off, this server alone)")
    String redis;

    @Option(names = "--node-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "with --redis: how soon a stopped server's clients are announced as left (default: 10s)")
    Duration nodeTimeout = Cluster.DEFAULTS.nodeTimeout();

    @Option(names = "--metrics-host", paramLabel = "ADDRESS",
            description = "address the metrics port binds (default: ${DEFAULT-VALUE})")
    String metricsHost = Listeners.DEFAULT_METRICS_HOST;

    private ServerCommand() {
    }

    public static Outcome parse(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return parse(args, env, out, err, InetAddress::getByName);
    }

    /** How a host name becomes an address; tests give one that needs no DNS. */
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    static Outcome parse(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
            Resolver resolver) {
        ServerCommand options = new ServerCommand();
        Environment environment = new Environment(env, args);
        CommandLine cli = new CommandLine(options)
                .setDefaultValueProvider(environment)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        try {
            CommandLine.ParseResult result = cli.parseArgs(args);
            if (result.isUsageHelpRequested()) {
                cli.usage(cli.getOut());
                return new Outcome(null, 0);
            }
            if (result.isVersionHelpRequested()) {
                cli.printVersionHelp(cli.getOut());
                return new Outcome(null, 0);
            }
            ServerConfig config = options.toConfig();
            resolve("--host", config.listeners().host(), resolver);
            if (config.listeners().metricsEnabled()) {
                resolve("--metrics-host", config.listeners().metricsHost(), resolver);
            }
            for (String warning : environment.unknownVariables(cli.getCommandSpec())) {
                err.println("chat-server: " + warning);
            }
            return new Outcome(config, 0);
        } catch (CommandLine.ParameterException e) {
            List<OptionSpec> named = e.getArgSpec() instanceof OptionSpec o ? List.of(o) : List.of();
            err.println("chat-server: " + fromVariables(environment, named) + oneLine(e.getMessage()));
            return new Outcome(null, 2);
        } catch (IllegalArgumentException e) {
            // The records name the options they check ("--write-buffer-low must not exceed
            // --write-buffer-high"): those whose value came from a variable name it.
            String message = oneLine(e.getMessage());
            List<OptionSpec> named = new ArrayList<>();
            for (Matcher m = OPTION.matcher(message); m.find(); ) {
                OptionSpec o = cli.getCommandSpec().findOption(m.group());
                if (o != null) {
                    named.add(o);
                }
            }
            err.println("chat-server: " + fromVariables(environment, named) + message);
            return new Outcome(null, 2);
        }
    }

    /** {@code "CHAT_PORT: "} for the options whose bad value came from a variable, else nothing. */
    private static String fromVariables(Environment environment, List<OptionSpec> options) {
        List<String> variables = options.stream().map(environment::source).flatMap(Optional::stream)
                .distinct().toList();
        return variables.isEmpty() ? "" : String.join(", ", variables) + ": ";
    }

    // Checked here, before anything is bound, so that a typo is a bad value (exit 2), not a bind failure.
    private static void resolve(String option, String host, Resolver resolver) {
        try {
            resolver.resolve(host);
        } catch (UnknownHostException e) {
            // The JDK says "example.invalid: Name or service not known": the name is printed once already.
            String why = e.getMessage() == null ? "" : e.getMessage();
            why = why.startsWith(host + ": ") ? why.substring(host.length() + 2) : why;
            throw new IllegalArgumentException(option + " " + host + ": cannot resolve"
                    + (why.isBlank() || why.equals(host) ? "" : " (" + why + ")"));
        }
    }

    private ServerConfig toConfig() {
        return new ServerConfig(
                new Listeners(host, port, metricsHost, metricsPort == null ? Listeners.METRICS_OFF : metricsPort,
                        TlsOptions.of(tlsPort, tlsCert, tlsKey), WebOptions.of(webPort, webOrigins)),
                new Limits(maxConnections, maxConnectionsPerIp, maxLineBytes, maxRooms, announceLimit),
                new Timeouts(nameTimeout, idleTimeout),
                new SlowReaders(slowConsumerTimeout, writeBufferHigh, writeBufferLow),
                new Flood(rate, burst),
                new History(history, joinHistory),
                new Cluster(Optional.ofNullable(redis).map(ServerCommand::checkRedisUri), nodeTimeout));
    }

    private static String checkRedisUri(String uri) {
        try {
            RedisURI.create(uri);
            return uri;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--redis " + Cluster.shown(uri) + ": " + e.getMessage());
        }
    }

    private static String oneLine(String message) {
        return message == null ? "invalid arguments" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
