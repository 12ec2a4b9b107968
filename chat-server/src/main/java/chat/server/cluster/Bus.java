package chat.server.cluster;

/**
 * Where every accepted room line goes before anyone gets it, so that all servers sharing a chat
 * deliver a room's lines in one order. The {@link LocalBus} hands each line straight back; a
 * clustered bus publishes it and delivers what comes back, in the order the cluster chose.
 *
 * <p>Threading: called on the chat executor; the listener is called on the chat executor too.
 */
public interface Bus {

    /** Starts delivering to {@code listener}; called once, before the first publish. */
    void start(Listener listener);

    void publish(RoomLine line);

    /** What receives the lines in their final order. */
    interface Listener {
        void deliver(RoomLine line);
    }
}
