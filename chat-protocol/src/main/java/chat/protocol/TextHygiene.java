package chat.protocol;

/**
 * Cleans every line a client sends before it is read as a name, a command or chat
 * (PROTOCOL.md, "Text hygiene"). Pure and thread-safe.
 *
 * <p>TAB becomes a space; every other control character (C0, DEL, C1, so ESC too) and the
 * bidirectional override and isolate characters are removed; leading and trailing white space
 * is trimmed. What is left can never make a terminal do anything but print.
 */
public final class TextHygiene {

    private TextHygiene() {
    }

    /** Returns the cleaned line; the same instance when nothing had to change. */
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
            if (c == '\t') {
                out.append(' ');
            } else if (!needsWork(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** TAB (replaced) or a character that is removed. None of them is a surrogate. */
    private static boolean needsWork(char c) {
        return Character.getType(c) == Character.CONTROL || isBidiControl(c);
    }

    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
