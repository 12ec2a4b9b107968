package chat.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineEncodingTest {

    @Test
    void accentedLineIsSentAsUtf8WithOneLf() {
        ByteBuf encoded = LineEncoding.encode(ByteBufAllocator.DEFAULT, "héllo");
        try {
            assertThat(ByteBufUtil.getBytes(encoded))
                    .containsExactly(0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F, 0x0A);
        } finally {
            assertThat(encoded.release()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "张三: 👍🏽", "[31mred", "Disconnected: quit"})
    void anyLineIsItsUtf8BytesAndOneLf(String line) {
        ByteBuf encoded = LineEncoding.encode(UnpooledByteBufAllocator.DEFAULT, line);
        try {
            assertThat(ByteBufUtil.getBytes(encoded))
                    .containsExactly((line + "\n").getBytes(StandardCharsets.UTF_8));
        } finally {
            assertThat(encoded.release()).isTrue();
        }
    }
}
