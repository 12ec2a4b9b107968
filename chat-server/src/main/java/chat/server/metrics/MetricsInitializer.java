package chat.server.metrics;

import chat.server.http.RequestDeadline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline of a metrics connection, and the cap on how many there are. Past the cap a new
 * connection is closed at once and counted. A scrape is a short GET, so the request line,
 * headers and body are held to a few KiB: whatever is larger gets 400 or 413, never a big
 * buffer. Shared by every metrics connection; the count is atomic.
 */
@Sharable
final class MetricsInitializer extends ChannelInitializer<Channel> {

    static final int MAX_REQUEST_LINE_BYTES = 1024;
    static final int MAX_HEADER_BYTES = 4096;
    static final int MAX_BODY_BYTES = 1024;

    private static final Logger log = LoggerFactory.getLogger(MetricsInitializer.class);

    private final ChatMetrics metrics;
    private final MetricsHandler handler;
    private final int maxConnections;
    private final Duration requestTimeout;
    private final AtomicInteger open = new AtomicInteger();

    MetricsInitializer(ChatMetrics metrics, MetricsHandler handler, int maxConnections, Duration requestTimeout) {
        this.metrics = metrics;
        this.handler = handler;
        this.maxConnections = maxConnections;
        this.requestTimeout = requestTimeout;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            metrics.metricsConnectionRejected();
            log.debug("[{}] metrics: {} connections already, closed", ch.id().asShortText(), maxConnections);
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        ch.pipeline()
                .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
                        .setMaxHeaderSize(MAX_HEADER_BYTES)
                        .setMaxChunkSize(MAX_BODY_BYTES)))
                .addLast("aggregator", new HttpObjectAggregator(MAX_BODY_BYTES))
                .addLast("deadline", new RequestDeadline(requestTimeout))
                .addLast("metrics", handler);
    }

    /** Metrics connections open now. */
    int open() {
        return open.get();
    }
}
