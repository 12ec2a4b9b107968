package chat.server.cluster;

import chat.protocol.Names;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MemberEntryTest {

    /** Redis orders a sorted set's equal-score members by their bytes, as memcmp does. */
    private static final Comparator<String> REDIS_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    @Test
    void redisOrdersEntriesAsTheWhoListOrdersNames() {
        List<String> names = List.of("bob", "Ann", "ann_2", "ann", "Zoë", "zed", "_x", "-y", ".z", "9lives", "Ärger",
                "émile", "Émile2", "Ωmega", "ωmega2", "李", "a", "A1", "ab", "aB.c", "Δelta");
        List<String> byName = new ArrayList<>(names);
        byName.sort(Names.DISPLAY_ORDER);
        List<String> entries = new ArrayList<>(names.stream().map(MemberEntry::of).toList());
        entries.sort(REDIS_ORDER);
        assertThat(entries.stream().map(MemberEntry::name).toList()).isEqualTo(byName);
    }

    @Test
    void anEntryGivesItsNameBack() {
        assertThat(MemberEntry.name(MemberEntry.of("Zoë"))).isEqualTo("Zoë");
        assertThat(MemberEntry.of("Ab")).isEqualTo("00610062 Ab");
    }
}
