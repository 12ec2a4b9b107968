package chat.server;

/**
 * A listener that could not be bound, named the way the CLI reports it:
 * {@code cannot listen on HOST:PORT (metrics): REASON}. Thrown by {@link ChatServer#start} after
 * everything already started has been stopped.
 */
public final class CannotListenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CannotListenException(String host, int port, String listener, Throwable cause) {
        super("cannot listen on " + ChatServer.hostForLog(host) + ":" + port + " (" + listener + "): "
                + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
    }
}
