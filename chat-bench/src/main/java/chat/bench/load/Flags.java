package chat.bench.load;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GNU-style flags of the load generator and the attack runner: {@code --flag value} or
 * {@code --flag=value}, and the value readers whose messages name the flag. Stateless.
 */
public final class Flags {

    private Flags() {
    }

    /** Every flag with its value, in order. A flag without a value is an error. */
    public static List<Map.Entry<String, String>> pairs(String[] args) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value;
            int eq = flag.indexOf('=');
            if (eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            pairs.add(new AbstractMap.SimpleImmutableEntry<>(flag, value));
        }
        return pairs;
    }

    public static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, got " + value);
        }
    }

    /** One whole number or several separated by commas: 9001,9002,9003. */
    public static List<Integer> integers(String flag, String value) {
        List<Integer> all = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            all.add(integer(flag, part.strip()));
        }
        return List.copyOf(all);
    }

    public static double number(String flag, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got " + value);
        }
    }

    /** 10s, 500ms, 2m, or plain seconds. */
    public static Duration duration(String flag, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a duration like 10s or 500ms, got " + value);
        }
    }
}
