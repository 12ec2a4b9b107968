package chat.bench;

import chat.protocol.Command;
import chat.protocol.CommandParser;
import chat.protocol.TextHygiene;
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
 * How long does a received line take from cleaning to a {@link Command}? Each benchmark runs
 * {@link TextHygiene#clean} then {@link CommandParser#parse}, the work the server does for every
 * line a joined client sends, on one kind of line. Single-threaded; pure code, no Netty.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParseBenchmark {

    String typical;
    String withControls;
    String command;

    @Setup(Level.Trial)
    public void setUp() {
        typical = "did anyone look at the build failure on main this morning?";
        // TAB, ESC sequence, BEL and a bidi override: the slow path that rebuilds the line.
        withControls = "\tred \u001b[31malert\u001b[0m\u0007 \u202Egnp.exe\u202C done  ";
        command = "/msg bob see you at the standup in five minutes";
    }

    @Benchmark
    public Command typicalLine() {
        return CommandParser.parse(TextHygiene.clean(typical));
    }

    @Benchmark
    public Command lineWithControls() {
        return CommandParser.parse(TextHygiene.clean(withControls));
    }

    @Benchmark
    public Command privateMessageCommand() {
        return CommandParser.parse(TextHygiene.clean(command));
    }

    // Run: java -jar chat-bench/target/benchmarks.jar Parse
}
