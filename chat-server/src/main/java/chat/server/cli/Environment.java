package chat.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code CHAT_*} variables (PROTOCOL.md, "Running the server"): each option's value when the
 * command line does not give it, which variable a bad value came from, and the variables that
 * belong to no option, with the option they may have been meant for. Used once, at start.
 */
final class Environment implements CommandLine.IDefaultValueProvider {

    private static final String PREFIX = "CHAT_";
    /** A misspelling this close (edits, a swap of two letters counting as one) gets a suggestion. */
    private static final int SUGGEST_WITHIN = 2;

    private final Map<String, String> env;
    private final List<String> args;

    Environment(Map<String, String> env, String[] args) {
        this.env = env;
        this.args = Arrays.asList(args);
    }

    /** {@code --idle-timeout} is read from {@code CHAT_IDLE_TIMEOUT}. */
    static String variableFor(String option) {
        return PREFIX + option.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec o && takesValue(o) ? env.get(variableFor(o.longestName())) : null;
    }

    /**
     * The variable an option's value came from: set, and the option not on the command line (which
     * wins). Empty when the value is the command line's or the default.
     */
    Optional<String> source(OptionSpec option) {
        String name = option.longestName();
        boolean onCommandLine = args.stream().anyMatch(a -> a.equals(name) || a.startsWith(name + "="));
        String variable = variableFor(name);
        return onCommandLine || !env.containsKey(variable) ? Optional.empty() : Optional.of(variable);
    }

    /** One warning line for each {@code CHAT_} variable that is no option's, sorted. */
    List<String> unknownVariables(CommandSpec spec) {
        Set<String> known = new TreeSet<>();
        for (OptionSpec o : spec.options()) {
            if (takesValue(o)) {
                known.add(variableFor(o.longestName()));
            }
        }
        List<String> warnings = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith(PREFIX) && !known.contains(name)) {
                warnings.add("warning: ignoring unknown variable " + name
                        + closest(name, known).map(k -> " (did you mean " + k + "?)").orElse(""));
            }
        }
        return warnings;
    }

    // --help and --version are flags, not settings: CHAT_HELP does not print the usage.
    private static boolean takesValue(OptionSpec o) {
        return !o.usageHelp() && !o.versionHelp();
    }

    private static Optional<String> closest(String name, Set<String> known) {
        String best = null;
        int bestDistance = SUGGEST_WITHIN + 1;
        for (String k : known) {
            int d = distance(name, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Edits between two names, a swap of neighbours counting as one (CHAT_PROT is 1 from CHAT_PORT). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
