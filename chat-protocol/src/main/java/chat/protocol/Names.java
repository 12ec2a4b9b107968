package chat.protocol;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules for names (PROTOCOL.md, "Names"). Pure and thread-safe.
 *
 * <p>A name is checked and shown in its NFC form. Two names are the same name when their
 * {@link #key(String) keys} (NFKC, lower-cased with {@link Locale#ROOT}) are equal, or when their
 * {@link #skeleton(String) skeletons} are: {@code аnn} with a Cyrillic {@code а} is refused as
 * mixed-script, and an all-Cyrillic {@code асе} is a valid name that is taken while {@code ace}
 * is here. A name that {@link #isReserved(String) looks like the server's own words} is taken.
 */
public final class Names {

    public static final int MAX_CODE_POINTS = 24;

    /** Who-lists are sorted case-insensitively; the exact spelling breaks ties so the order is total. */
    public static final Comparator<String> DISPLAY_ORDER =
            String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

    // A user with one of these names could forge "Error: ...", "Disconnected: ..." or "Also here: nobody".
    private static final Set<String> RESERVED = Set.of("Error", "Disconnected", "nobody");
    private static final Set<String> RESERVED_KEYS =
            RESERVED.stream().map(Names::key).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> RESERVED_SKELETONS =
            RESERVED.stream().map(Names::skeleton).collect(Collectors.toUnmodifiableSet());

    private Names() {
    }

    /** The form a name is shown in: NFC, as typed. */
    public static String display(String typed) {
        return Normalizer.normalize(typed, Normalizer.Form.NFC);
    }

    /**
     * Whether the (already NFC) name is 1-24 code points of letters, marks, digits, '_', '-', '.',
     * starting with a letter or digit, with no invisible (default-ignorable) code point, and in one
     * script or Latin with Han and Japanese or Korean (TS #39 "highly restrictive").
     */
    public static boolean isValid(String name) {
        return Identifiers.isValid(name, 0, MAX_CODE_POINTS);
    }

    /** Two names are the same name when their keys are equal: {@code Alice}, {@code ALICE}, {@code ａｌｉｃｅ}. */
    public static String key(String name) {
        return Identifiers.key(name);
    }

    /**
     * Two names are also the same name when their skeletons are equal, because they look alike:
     * {@code ann} and {@code аnn}, {@code Ian} and {@code lan}, {@code b0b} and {@code bob}.
     * Built from the TS #39 confusable skeleton, lower-cased; see {@link Identifiers#skeleton}.
     */
    public static String skeleton(String name) {
        return Identifiers.skeleton(name);
    }

    /** {@code Error}, {@code Disconnected}, {@code nobody}, and every name that is the same as one of them. */
    public static boolean isReserved(String name) {
        return RESERVED_KEYS.contains(key(name)) || RESERVED_SKELETONS.contains(skeleton(name));
    }
}
