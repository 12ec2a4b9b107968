package chat.server.transport.web;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginCheckTest {

    @Test
    void thePagesOwnOriginIsSchemeAndHostHeader() {
        OriginPolicy policy = new OriginPolicy(List.of());
        assertThat(policy.allows("http://chat.example:8080", "chat.example:8080", false)).isTrue();
        assertThat(policy.allows("HTTP://Chat.Example:8080", "chat.example:8080", false)).isTrue();
        assertThat(policy.allows("https://chat.example", "chat.example", true)).isTrue();
        assertThat(policy.allows("https://chat.example", "chat.example:443", true)).isTrue();
        assertThat(policy.allows("http://[::1]:8080", "[::1]:8080", false)).isTrue();
    }

    @Test
    void anotherSchemeHostOrPortIsForeign() {
        OriginPolicy policy = new OriginPolicy(List.of());
        assertThat(policy.allows("https://chat.example:8080", "chat.example:8080", false)).isFalse();
        assertThat(policy.allows("http://chat.example:8080", "chat.example:8080", true)).isFalse();
        assertThat(policy.allows("http://evil.example:8080", "chat.example:8080", false)).isFalse();
        assertThat(policy.allows("http://chat.example:8081", "chat.example:8080", false)).isFalse();
        assertThat(policy.allows("http://chat.example.evil.example", "chat.example", false)).isFalse();
        assertThat(policy.allows("null", "chat.example", false)).isFalse();
        assertThat(policy.allows("http://chat.example", null, false)).isFalse();
        assertThat(policy.allows("garbage ://", "chat.example", false)).isFalse();
    }

    @Test
    void noOriginIsNotABrowserAndIsAllowed() {
        assertThat(new OriginPolicy(List.of()).allows(null, "chat.example", false)).isTrue();
    }

    @Test
    void listedOriginsAndStarAreAllowed() {
        OriginPolicy listed = new OriginPolicy(List.of("https://app.example", "http://localhost:3000"));
        assertThat(listed.allows("https://app.example:443", "chat.example", false)).isTrue();
        assertThat(listed.allows("http://LOCALHOST:3000", "chat.example", false)).isTrue();
        assertThat(listed.allows("http://localhost:3001", "chat.example", false)).isFalse();
        assertThat(new OriginPolicy(List.of("*")).allows("http://evil.example", "chat.example", false)).isTrue();
    }

    @Test
    void webOriginsMustBeOrigins() {
        assertThat(WebOptions.of(8080, " https://a.example , http://b.example:81,").orElseThrow().origins())
                .containsExactly("https://a.example", "http://b.example:81");
        assertThatThrownBy(() -> WebOptions.of(8080, "a.example"))
                .hasMessage("--web-origins: 'a.example' is not an origin like https://chat.example.com (or * for any)");
        assertThatThrownBy(() -> WebOptions.of(8080, "https://a.example/path"))
                .hasMessageStartingWith("--web-origins: 'https://a.example/path'");
        assertThatThrownBy(() -> WebOptions.of(null, "*")).hasMessage("--web-origins needs --web-port");
    }

    @Test
    void aForeignUpgradeGets403AndIsClosed() {
        EmbeddedChannel ch = channel(false);
        ch.writeInbound(upgrade("http://evil.example", "chat.example:8080"));
        FullHttpResponse response = ch.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(response.headers().get("Content-Security-Policy")).isEqualTo("default-src 'self'");
        response.release();
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anAllowedUpgradeAndEveryOtherRequestPassOn() {
        EmbeddedChannel ch = channel(true);
        FullHttpRequest page = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        page.headers().set("Origin", "http://evil.example").set("Host", "chat.example");
        for (FullHttpRequest request : List.of(upgrade("https://chat.example", "chat.example"),
                upgrade(null, "chat.example"), page)) {
            ch.writeInbound(request);
            FullHttpRequest passed = ch.readInbound();
            assertThat(passed).isSameAs(request);
            passed.release();
        }
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    private static EmbeddedChannel channel(boolean tls) {
        return new EmbeddedChannel(new OriginCheckHandler(new OriginPolicy(List.of()), tls));
    }

    private static FullHttpRequest upgrade(String origin, String host) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
        request.headers().set("Host", host).set("Upgrade", "websocket").set("Connection", "Upgrade");
        if (origin != null) {
            request.headers().set("Origin", origin);
        }
        return request;
    }
}
