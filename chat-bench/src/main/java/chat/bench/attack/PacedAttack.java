package chat.bench.attack;

import chat.bench.load.Clients;
import chat.bench.load.Protocol;
import chat.bench.load.Report;
import io.netty.channel.Channel;

import java.time.Instant;
import java.util.List;

/**
 * {@code chatters} and {@code renamers}: N clients join {@code #lobby}, then each sends a line
 * at {@code --rate} for {@code --duration}: chatters a chat line ({@code spam K xxx…}, padded to
 * {@code --size}), renamers {@code /nick} to a name never used before. The attackers read
 * everything; renamers count the {@code Error:} lines they get back. Honest phases: {@code join},
 * {@code attack}, and {@code after}, which ends {@link ServerWatch#AFTER} after the attackers
 * stopped sending (still connected); then they leave.
 *
 * <p>Threading: the runner's thread; the attackers live on two event loops of their own.
 */
final class PacedAttack {

    private final AttackOptions o;
    private final Report report;
    private final boolean renamers;

    PacedAttack(AttackOptions o, Report report) {
        this.o = o;
        this.report = report;
        this.renamers = o.attack().equals("renamers");
    }

    void run(HonestClients honest, ServerWatch watch) throws InterruptedException {
        int n = o.clients();
        String prefix = renamers ? "r" : "c";
        AttackerHandler.Totals totals = new AttackerHandler.Totals();
        AttackerHandler[] handlers = new AttackerHandler[n];
        try (Clients attackers = Clients.lineNamed(o.host(), o.port())) {
            long start = System.nanoTime();
            List<Channel> joined = attackers.join(n, prefix, Protocol.Side.RECEIVER, 0, Instant.now().plus(o.connectTime()),
                    AttackerHandler.role(totals, renamers ? "Error: " : null, handlers));
            honest.endPhase("join");
            int live = Clients.count(joined);
            report.put("attackers", n);
            report.put("attackers_joined", live);
            report.put("attack_join_s", (System.nanoTime() - start) / 1e9, 2);
            if (attackers.failures() > 0) {
                report.put("attackers_join_failed", attackers.failures());
                report.put("first_join_failure", attackers.firstFailure());
            }
            try {
                if (live > 0) {
                    send(joined, totals, honest);
                }
                watch.attackOver(honest);
                report.put("attackers_closed_by_server", AttackerHandler.closedByServer(handlers, joined));
            } finally {
                totals.ending = true;
                Clients.closeAll(joined);
            }
        }
    }

    private void send(List<Channel> joined, AttackerHandler.Totals totals, HonestClients honest) throws InterruptedException {
        String padding = "x".repeat(o.size());
        Pacer.Lines lines = renamers
                ? (client, k) -> "/nick r" + client + "_" + k
                : (client, k) -> {
                    String head = "spam " + k + " ";
                    return head + padding.substring(Math.min(head.length(), padding.length()));
                };
        long start = System.nanoTime();
        Pacer pacer = Pacer.start(joined, o.rate(), o.duration(), lines);
        boolean finished = pacer.await();
        honest.endPhase("attack");
        report.put("attack_send_s", (System.nanoTime() - start) / 1e9, 2);
        report.put("attack_lines_planned", (long) pacer.perClient() * Clients.count(joined));
        report.put("attack_lines_sent", pacer.sent());
        report.put("attack_bytes_received", totals.bytes.sum());
        if (renamers) {
            report.put("rename_errors", totals.marked.sum());
        }
        if (!finished) {
            report.note("the pacer did not finish within --duration plus its grace");
        }
    }
}
