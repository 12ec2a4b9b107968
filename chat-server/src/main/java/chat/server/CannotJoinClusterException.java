package chat.server;

import chat.server.config.Cluster;

/**
 * Clusters: Redis at {@code --redis} cannot be reached, or this server could not join the cluster
 * there. The message never shows a password from the URI.
 */
public final class CannotJoinClusterException extends RuntimeException {

    public CannotJoinClusterException(String uri, Throwable cause) {
        super("cannot join the cluster at " + Cluster.shown(uri) + ": " + reason(cause), cause);
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
