package chat.server.cluster;

/** The bus of a server on its own: the order lines are published in is the order. */
public final class LocalBus implements Bus {

    private Listener listener;

    @Override
    public void start(Listener l) {
        this.listener = l;
    }

    @Override
    public void publish(RoomLine line) {
        listener.deliver(line);
    }
}
