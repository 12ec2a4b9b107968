package chat.server.transport;

import chat.server.config.Limits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFileBudgetTest {

    @Test
    void connectionsAreCappedToWhatTheOpenFileLimitLeavesRoomFor() {
        Limits capped = OpenFileBudget.fit(Limits.DEFAULTS, 1024);
        assertThat(capped.maxConnections()).isEqualTo(1024 - 256);
        assertThat(capped.maxConnectionsPerIp()).isEqualTo(64);
        assertThat(OpenFileBudget.fit(Limits.DEFAULTS.withConnections(100, 500), 300).maxConnectionsPerIp())
                .isEqualTo(44);
    }

    @Test
    void aLimitWithRoomToSpareOrUnknownChangesNothing() {
        assertThat(OpenFileBudget.fit(Limits.DEFAULTS, 20_000)).isEqualTo(Limits.DEFAULTS);
        assertThat(OpenFileBudget.fit(Limits.DEFAULTS, -1)).isEqualTo(Limits.DEFAULTS);
    }
}
