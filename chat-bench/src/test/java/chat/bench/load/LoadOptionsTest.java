package chat.bench.load;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {

    private static LoadOptions parse(String... args) {
        return LoadOptions.parse(args);
    }

    @Test
    void onePortIsOneServer() {
        LoadOptions o = parse("--scenario", "fanout", "--port", "8000", "--server-pid", "42");
        assertThat(o.ports()).containsExactly(8000);
        assertThat(o.port()).isEqualTo(8000);
        assertThat(o.serverPids()).containsExactly(42);
        assertThat(o.redisPid()).isZero();
    }

    @Test
    void withoutServerPidNoServerIsMeasured() {
        assertThat(parse("--port", "8000").serverPids()).isEmpty();
    }

    @Test
    void commaSeparatedPortsAndPidsAreAClusterInOrder() {
        LoadOptions o = parse("--port", "9001,9002, 9003", "--server-pid=11,12,13", "--redis-pid", "7");
        assertThat(o.ports()).containsExactly(9001, 9002, 9003);
        assertThat(o.port()).isEqualTo(9001);
        assertThat(o.serverPids()).containsExactly(11, 12, 13);
        assertThat(o.redisPid()).isEqualTo(7);
    }

    @Test
    void everyPortIsChecked() {
        assertThatThrownBy(() -> parse("--port", "9001,70000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> parse("--port", "9001,,9003"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port must be a whole number");
        assertThatThrownBy(() -> parse("--scenario", "fanout"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--port is required");
    }

    @Test
    void negativePidsAreRefused() {
        assertThatThrownBy(() -> parse("--port", "9001", "--server-pid", "5,-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--server-pid");
        assertThatThrownBy(() -> parse("--port", "9001", "--redis-pid", "-3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--redis-pid");
    }

    @Test
    void summedProcStatsNeedEveryProcess() {
        int self = (int) ProcessHandle.current().pid();
        assertThat(ProcStats.rssKiB(List.of())).isEqualTo(-1);
        assertThat(ProcStats.rssKiB(List.of(self, self))).isGreaterThan(ProcStats.rssKiB(self));
        assertThat(ProcStats.cpuSeconds(List.of(self, Integer.MAX_VALUE))).isEqualTo(-1);
    }
}
