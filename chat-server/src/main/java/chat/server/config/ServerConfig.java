package chat.server.config;

/**
 * Every option of the server, one record per concern, each checked when built. Adding an option
 * touches its record, its CLI line and its test; this class only gathers them. Immutable.
 */
public record ServerConfig(Listeners listeners, Limits limits, Timeouts timeouts, SlowReaders slowReaders,
        Flood flood, History history, Cluster cluster) {

    public static final ServerConfig DEFAULTS = new ServerConfig(Listeners.DEFAULTS, Limits.DEFAULTS,
            Timeouts.DEFAULTS, SlowReaders.DEFAULTS, Flood.DEFAULTS, History.DEFAULTS, Cluster.DEFAULTS);

    public ServerConfig with(Listeners l) {
        return new ServerConfig(l, limits, timeouts, slowReaders, flood, history, cluster);
    }

    public ServerConfig with(Limits l) {
        return new ServerConfig(listeners, l, timeouts, slowReaders, flood, history, cluster);
    }

    public ServerConfig with(Timeouts t) {
        return new ServerConfig(listeners, limits, t, slowReaders, flood, history, cluster);
    }

    public ServerConfig with(SlowReaders s) {
        return new ServerConfig(listeners, limits, timeouts, s, flood, history, cluster);
    }

    public ServerConfig with(Flood f) {
        return new ServerConfig(listeners, limits, timeouts, slowReaders, f, history, cluster);
    }

    public ServerConfig with(History h) {
        return new ServerConfig(listeners, limits, timeouts, slowReaders, flood, h, cluster);
    }

    public ServerConfig with(Cluster c) {
        return new ServerConfig(listeners, limits, timeouts, slowReaders, flood, history, c);
    }
}
