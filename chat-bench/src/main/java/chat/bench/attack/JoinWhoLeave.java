package chat.bench.attack;

import chat.bench.load.Clients;
import chat.bench.load.Protocol;
import chat.bench.load.Report;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * {@code join-who-leave}: N clients join {@code #lobby} (connect, name), then each sends
 * {@code /who} once, then all disconnect. For each phase the report gives the honest clients'
 * worst delay ({@code honest_worst_ms_join}, {@code _who}, {@code _leave}, {@code _after}) and
 * the bytes the attackers received ({@code attack_bytes_join}, …). The who phase ends when every
 * attacker has its {@code Here now (N): …} line, or after {@code --connect-time}; the leave phase
 * when every attacker's connection has closed.
 *
 * <p>Threading: the runner's thread; the attackers live on two event loops of their own.
 */
final class JoinWhoLeave {

    private final AttackOptions o;
    private final Report report;
    private final AttackerHandler.Totals totals = new AttackerHandler.Totals();
    private long bytesBefore;
    private long phaseStart;

    JoinWhoLeave(AttackOptions o, Report report) {
        this.o = o;
        this.report = report;
    }

    void run(HonestClients honest, ServerWatch watch) throws InterruptedException {
        int n = o.clients();
        AttackerHandler[] handlers = new AttackerHandler[n];
        report.put("attackers", n);
        try (Clients attackers = Clients.lineNamed(o.host(), o.port())) {
            phaseStart = System.nanoTime();
            List<Channel> joined = attackers.join(n, "j", Protocol.Side.RECEIVER, 0, Instant.now().plus(o.connectTime()),
                    AttackerHandler.role(totals, "Here now (", handlers));
            endPhase("join", honest);
            int live = Clients.count(joined);
            report.put("attackers_joined", live);
            if (attackers.failures() > 0) {
                report.put("attackers_join_failed", attackers.failures());
                report.put("first_join_failure", attackers.firstFailure());
            }
            try {
                who(joined, live);
                endPhase("who", honest);
                report.put("attackers_closed_by_server", AttackerHandler.closedByServer(handlers, joined));
            } finally {
                totals.ending = true;
                Clients.closeAll(joined);
            }
            endPhase("leave", honest);
            watch.attackOver(honest);
            report.put("attack_bytes_after", totals.bytes.sum() - bytesBefore);
        }
    }

    /** Every attacker asks {@code /who} once; waits for the answers. */
    private void who(List<Channel> joined, int live) throws InterruptedException {
        for (Channel ch : joined) {
            if (ch != null) {
                ByteBuf line = ch.alloc().buffer(8).writeBytes("/who\n".getBytes(StandardCharsets.US_ASCII));
                ch.writeAndFlush(line, ch.voidPromise());
            }
        }
        long deadline = System.nanoTime() + o.connectTime().toNanos();
        while (totals.marked.sum() < live && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        report.put("who_answered", totals.marked.sum());
        if (totals.marked.sum() < live) {
            report.note("only " + totals.marked.sum() + " of " + live + " attackers got their /who answer within "
                    + o.connectTime().toSeconds() + "s");
        }
    }

    private void endPhase(String name, HonestClients honest) {
        honest.endPhase(name);
        long bytes = totals.bytes.sum();
        report.put("attack_bytes_" + name, bytes - bytesBefore);
        bytesBefore = bytes;
        long now = System.nanoTime();
        report.put("phase_s_" + name, (now - phaseStart) / 1e9, 2);
        phaseStart = now;
    }
}
