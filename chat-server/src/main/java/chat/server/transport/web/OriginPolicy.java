package chat.server.transport.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which pages may open {@code /ws} (PROTOCOL.md, "Web"): the server's own page (an {@code Origin} whose
 * scheme and host:port are those of the request's {@code Host} header on this listener), any origin listed
 * in {@code --web-origins}, every origin with {@code *}, and any client that sends no {@code Origin} (not
 * a browser). Origins compare as scheme, host and port, case-insensitively, with default ports filled in.
 * Immutable and thread-safe. A malformed Origin or Host header matches nothing.
 */
public final class OriginPolicy {

    public static final String ANY = "*";

    private final boolean any;
    private final Set<String> allowed = new HashSet<>();

    public OriginPolicy(List<String> origins) {
        boolean star = false;
        for (String origin : origins) {
            if (origin.equals(ANY)) {
                star = true;
            } else {
                String normal = normalize(origin);
                if (normal == null) {
                    throw new IllegalArgumentException("not an origin: " + origin);
                }
                allowed.add(normal);
            }
        }
        this.any = star;
    }

    /**
     * @param origin the request's Origin header, or null if it has none
     * @param host   the request's Host header, or null
     * @param tls    whether this listener is HTTPS (the page's scheme)
     */
    public boolean allows(String origin, String host, boolean tls) {
        if (origin == null || any) {
            return true;
        }
        String normal = normalize(origin);
        if (normal == null) {
            return false; // "null" (sandboxed frames, files) and garbage
        }
        if (allowed.contains(normal)) {
            return true;
        }
        // The page's own origin: its scheme and the Host header it was loaded with.
        return host != null && !host.isBlank()
                && normal.equals(normalize((tls ? "https://" : "http://") + host.strip()));
    }

    /** {@code scheme://host:port} in lower case with the default port filled in, or null if not an http(s) origin. */
    static String normalize(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawUserInfo() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if (scheme.equals("http")) {
                port = port < 0 ? 80 : port;
            } else if (scheme.equals("https")) {
                port = port < 0 ? 443 : port;
            } else {
                return null;
            }
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
