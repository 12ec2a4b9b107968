package chat.server.cli;

import chat.server.config.Listeners;
import chat.server.config.ServerConfig;
import chat.server.transport.tls.TlsOptions;
import chat.server.transport.web.WebOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The options of TLS and the web (PROTOCOL.md, "Running the server", "TLS", "Web"). */
class TransportOptionsTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void tlsAndWebAreOffByDefault() {
        ServerConfig c = parse(Map.of()).config();
        assertThat(c.listeners().tls()).isEmpty();
        assertThat(c.listeners().web()).isEmpty();
        assertThat(c.listeners().port()).isEqualTo(8000);
    }

    @Test
    void everyTlsAndWebOptionInBothFormsAndFromTheEnvironment() {
        ServerConfig c = parse(Map.of("CHAT_WEB_ORIGINS", "https://a.example"), "--port", "off", "--tls-port=8443",
                "--tls-cert", "c.pem", "--tls-key=k.pem", "--web-port", "8080").config();
        assertThat(c.listeners().port()).isEqualTo(Listeners.PORT_OFF);
        assertThat(c.listeners().tls()).contains(new TlsOptions(8443, Path.of("c.pem"), Path.of("k.pem")));
        assertThat(c.listeners().web()).contains(new WebOptions(8080, List.of("https://a.example")));
    }

    @Test
    void aCertificateWithoutTlsPortServesTheWebPortOnly() {
        ServerConfig c = parse(Map.of(), "--tls-cert", "c.pem", "--tls-key", "k.pem", "--web-port", "0").config();
        assertThat(c.listeners().tls().map(TlsOptions::listens)).contains(false);
        assertThat(c.listeners().web().map(WebOptions::port)).isEqualTo(Optional.of(0));
    }

    @Test
    void badCombinationsAreOneLineAndExitTwo() {
        assertRefused("chat-server: --tls-port needs --tls-cert and --tls-key", "--tls-port", "8443");
        assertRefused("chat-server: --tls-cert needs --tls-key", "--tls-cert", "c.pem", "--web-port", "80");
        assertRefused("chat-server: --tls-key needs --tls-cert", "--tls-key", "k.pem", "--tls-port", "1");
        assertRefused("chat-server: --port off leaves nothing to listen on; add --tls-port or --web-port",
                "--port", "off");
        assertRefused("chat-server: --web-origins needs --web-port", "--web-origins", "*");
        assertRefused("chat-server: --web-port must be 0-65535, got 70000", "--web-port", "70000");
        assertRefused("chat-server: Invalid value for option '--port': 'of' is not a port (0-65535) or off",
                "--port", "of");
    }

    private void assertRefused(String line, String... args) {
        err.reset();
        ServerCommand.Outcome outcome = parse(Map.of(), args);
        assertThat(outcome.config()).isNull();
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(line + System.lineSeparator());
    }

    private ServerCommand.Outcome parse(Map<String, String> env, String... args) {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return ServerCommand.parse(args, env, out, new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
