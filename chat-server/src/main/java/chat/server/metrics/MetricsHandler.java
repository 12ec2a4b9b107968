package chat.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Locale;

/**
 * Answers {@code GET /metrics} with the counters in Prometheus text format (version 0.0.4);
 * anything else gets 404 or 405. Stateless: one instance serves every metrics connection.
 */
@Sharable
public final class MetricsHandler extends SimpleChannelInboundHandler<HttpRequest> {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ChatMetrics metrics;

    public MetricsHandler(ChatMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
        HttpResponseStatus status;
        String body;
        if (!request.uri().equals("/metrics") && !request.uri().startsWith("/metrics?")) {
            status = HttpResponseStatus.NOT_FOUND;
            body = "try /metrics\n";
        } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            status = HttpResponseStatus.METHOD_NOT_ALLOWED;
            body = "GET only\n";
        } else {
            status = HttpResponseStatus.OK;
            body = exposition();
        }
        ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        HttpUtil.setContentLength(response, content.readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    String exposition() {
        StringBuilder out = new StringBuilder(2048);
        gauge(out, "chat_connections_open", "Connections open, named or not.", metrics.connectionsOpen());
        gauge(out, "chat_clients_joined", "Clients that have chosen a name.", metrics.clientsJoined());
        counter(out, "chat_lines_received_total", "Lines received from clients.", metrics.linesReceived());
        counter(out, "chat_lines_delivered_total", "Lines queued for delivery to a client.",
                metrics.linesDelivered());
        counter(out, "chat_lines_dropped_total", "Lines dropped because the receiver was too slow.",
                metrics.linesDropped());
        counter(out, "chat_slow_consumer_disconnects_total",
                "Connections closed for staying unwritable past --slow-consumer-timeout.",
                metrics.slowConsumerDisconnects());
        counter(out, "chat_flood_pauses_total", "Times flood control stopped reading from a client.",
                metrics.floodPauses());
        gauge(out, "chat_rooms_open", "Rooms that exist, #lobby included.", metrics.roomsOpen());
        counter(out, "chat_lines_replayed_total", "Kept lines sent to slow readers catching up.",
                metrics.linesReplayed());
        gauge(out, "chat_history_bytes", "Bytes of encoded lines held in the rooms' history.",
                metrics.historyBytes());
        header(out, "chat_connections_rejected_total", "Connections turned away, by reason.", "counter");
        out.append("chat_connections_rejected_total{reason=\"server_full\"} ")
                .append(metrics.rejectedServerFullTotal()).append('\n');
        out.append("chat_connections_rejected_total{reason=\"too_many_from_address\"} ")
                .append(metrics.rejectedPerAddressTotal()).append('\n');
        histogram(out, metrics.fanOutTime());
        return out.toString();
    }

    private static void histogram(StringBuilder out, FanOutTimer timer) {
        String name = "chat_fanout_seconds";
        header(out, name, "Time the broadcaster takes to fan one line out to every member.", "histogram");
        long cumulative = 0;
        for (int i = 0; i <= FanOutTimer.BOUNDS.length; i++) {
            cumulative += timer.bucket(i);
            String le = i < FanOutTimer.BOUNDS.length
                    ? String.format(Locale.ROOT, "%s", FanOutTimer.BOUNDS[i]) : "+Inf";
            out.append(name).append("_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
        }
        out.append(name).append("_sum ").append(timer.sumSeconds()).append('\n');
        out.append(name).append("_count ").append(cumulative).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "gauge");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "counter");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
