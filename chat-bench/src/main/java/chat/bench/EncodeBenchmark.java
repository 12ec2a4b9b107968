package chat.bench;

import chat.protocol.codec.LineEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What does encoding one broadcast line cost? {@link LineEncoding#encode} of a 64-byte chat line
 * into a direct buffer from the pooled allocator (as the Broadcaster does once per broadcast),
 * released right after. Single-threaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncodeBenchmark {

    ByteBufAllocator alloc;
    String line;

    @Setup(Level.Trial)
    public void setUp() {
        alloc = PooledByteBufAllocator.DEFAULT;
        // 63 bytes of text plus the LF: a typical 64-byte line on the wire.
        line = "alice: " + "x".repeat(56);
    }

    @Benchmark
    public int encodeBroadcastLine() {
        ByteBuf encoded = LineEncoding.encode(alloc, line);
        int bytes = encoded.readableBytes();
        encoded.release();
        return bytes;
    }

    // Run: java -jar chat-bench/target/benchmarks.jar Encode
}
