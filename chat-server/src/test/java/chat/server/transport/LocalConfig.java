package chat.server.transport;

import chat.server.config.History;
import chat.server.config.Limits;
import chat.server.config.ServerConfig;
import chat.server.transport.tls.TlsOptions;
import chat.server.transport.web.WebOptions;

import java.util.Optional;

/** Configurations for servers the transport tests start on 127.0.0.1, ports chosen by the system, no history. */
public final class LocalConfig {

    private LocalConfig() {
    }

    public static ServerConfig local() {
        ServerConfig c = ServerConfig.DEFAULTS.with(History.OFF);
        return c.with(c.listeners().at("127.0.0.1", 0));
    }

    public static ServerConfig withTls(ServerConfig c, TlsOptions tls) {
        return c.with(c.listeners().withTls(tls));
    }

    public static ServerConfig withWeb(ServerConfig c, Optional<WebOptions> web) {
        return c.with(c.listeners().withWeb(web.orElseThrow()));
    }

    public static ServerConfig withConnectionLimits(ServerConfig c, int total, int perAddress) {
        return c.with(c.limits().withConnections(total, perAddress));
    }

    public static int maxLineBytes() {
        return Limits.DEFAULTS.maxLineBytes();
    }
}
