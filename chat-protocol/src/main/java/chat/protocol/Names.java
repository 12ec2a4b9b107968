package chat.protocol;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.Locale;

/**
 * The rules for names (PROTOCOL.md, "Names"). Pure and thread-safe.
 *
 * <p>A name is checked and shown in its NFC form; two names collide when their
 * {@link #key(String) keys} (NFKC, lower-cased with {@link Locale#ROOT}) are equal.
 */
public final class Names {

    public static final int MAX_CODE_POINTS = 24;

    /** Who-lists are sorted case-insensitively; the exact spelling breaks ties so the order is total. */
    public static final Comparator<String> DISPLAY_ORDER =
            String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

    private Names() {
    }

    /** The form a name is shown in: NFC, as typed. */
    public static String display(String typed) {
        return Normalizer.normalize(typed, Normalizer.Form.NFC);
    }

    /** Whether the (already NFC) name is 1-24 code points of letters, marks, digits, '_', '-', '.'. */
    public static boolean isValid(String name) {
        int count = name.codePointCount(0, name.length());
        if (count < 1 || count > MAX_CODE_POINTS) {
            return false;
        }
        int first = name.codePointAt(0);
        if (!Character.isLetterOrDigit(first)) {
            return false;
        }
        for (int i = Character.charCount(first); i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (!isAllowedAfterFirst(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** Two names are the same name when their keys are equal: {@code Alice}, {@code ALICE}, {@code ａｌｉｃｅ}. */
    public static String key(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /** Names are also the same when their skeletons are equal. */
    public static String skeleton(String name) {
        return key(name);
    }

    /** Names that would let a user forge the server's own lines. */
    public static boolean isReserved(String name) {
        String k = key(name);
        return k.equals("error") || k.equals("disconnected") || k.equals("nobody");
    }

    private static boolean isAllowedAfterFirst(int cp) {
        if (Character.isLetterOrDigit(cp) || cp == '_' || cp == '-' || cp == '.') {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
