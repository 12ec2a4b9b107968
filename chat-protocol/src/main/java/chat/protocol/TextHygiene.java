package chat.protocol;

/**
 * Cleans every line a client sends before it is read as a name, a command or chat
 * (PROTOCOL.md, "Text hygiene"). Pure and thread-safe.
 *
 * <p>TAB and the line and paragraph separators become a space; every other control character
 * (C0, DEL, C1, so ESC too), every Bidi_Control character and the invisible U+200B, U+2060 and
 * U+FEFF are removed; leading and trailing white space is trimmed. What is left can never make
 * a terminal do anything but print, nor reorder or hide what others see.
 */
public final class TextHygiene {

    private TextHygiene() {
    }

    /** Returns the cleaned line; the same instance, and no allocation, when nothing had to change. */
    public static String clean(String line) {
        int firstBad = firstToRemoveOrReplace(line);
        String kept = firstBad < 0 ? line : rebuild(line, firstBad);
        return kept.strip();
    }

    private static int firstToRemoveOrReplace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (needsWork(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String rebuild(String s, int firstBad) {
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, firstBad);
        for (int i = firstBad; i < s.length(); i++) {
            char c = s.charAt(i);
            if (becomesSpace(c)) {
                out.append(' ');
            } else if (!needsWork(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A character that is replaced or removed. None of them is a surrogate. */
    private static boolean needsWork(char c) {
        return Character.getType(c) == Character.CONTROL
                || isBidiControl(c)
                || isInvisible(c)
                || becomesSpace(c);
    }

    private static boolean becomesSpace(char c) {
        // U+2028 and U+2029 end a line in some terminals and editors; as a space they cannot.
        return c == '\t' || c == '\u2028' || c == '\u2029';
    }

    /** Unicode's Bidi_Control set: ALM, LRM, RLM, the embeddings and overrides, the isolates. */
    private static boolean isBidiControl(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /**
     * Zero width space, word joiner, and the byte order mark (zero width no-break space). U+200C
     * and U+200D are not here: scripts and emoji sequences need them.
     */
    private static boolean isInvisible(char c) {
        return c == '\u200B' || c == '\u2060' || c == '\uFEFF';
    }
}
