package chat.protocol;

import java.text.Normalizer;

/**
 * The rules for room names (PROTOCOL.md, "Rooms"): {@code #} and 1 to 32 code points, typed
 * with or without the {@code #}. Pure and thread-safe.
 */
public final class RoomNames {

    public static final String LOBBY = "#lobby";
    public static final int MAX_CODE_POINTS = 32;

    private RoomNames() {
    }

    /** The form a room is shown in: NFC, with a leading {@code #} added when it was typed without. */
    public static String display(String typed) {
        String nfc = Normalizer.normalize(typed, Normalizer.Form.NFC);
        return nfc.startsWith("#") ? nfc : "#" + nfc;
    }

    public static boolean isValid(String display) {
        if (!display.startsWith("#")) {
            return false;
        }
        String bare = display.substring(1);
        int count = bare.codePointCount(0, bare.length());
        if (count < 1 || count > MAX_CODE_POINTS) {
            return false;
        }
        int first = bare.codePointAt(0);
        return Character.isLetterOrDigit(first)
                && bare.codePoints().skip(1).allMatch(cp -> Character.isLetterOrDigit(cp) || cp == '_' || cp == '-'
                        || cp == '.' || Character.getType(cp) == Character.NON_SPACING_MARK
                        || Character.getType(cp) == Character.COMBINING_SPACING_MARK
                        || Character.getType(cp) == Character.ENCLOSING_MARK);
    }

    public static String key(String display) {
        return Names.key(display);
    }

    public static String skeleton(String display) {
        return Names.key(display);
    }
}
