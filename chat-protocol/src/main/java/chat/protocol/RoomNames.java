package chat.protocol;

import java.text.Normalizer;

/**
 * The rules for room names (PROTOCOL.md, "Rooms"). Pure and thread-safe.
 *
 * <p>A room is shown as {@code #} and its NFC name, and may be typed without the {@code #}.
 * After the {@code #} come 1 to 32 code points under the version 2 rules for names: letters,
 * combining marks, digits, '_', '-' or '.', starting with a letter or digit, no invisible code
 * point, one script or Latin with Han and Japanese or Korean. Two rooms are the same room when
 * their {@link #key(String) keys} or their {@link #skeleton(String) skeletons} are equal:
 * {@code #Dev}, {@code #DEV} and {@code dev} are one room, and so are {@code #lobby} and
 * {@code #l0bby}.
 */
public final class RoomNames {

    public static final String LOBBY = "#lobby";

    /** Code points after the {@code #}. */
    public static final int MAX_CODE_POINTS = 32;

    private RoomNames() {
    }

    /** The form a room is shown in: NFC, as typed, with a {@code #} in front if it had none. */
    public static String display(String typed) {
        String nfc = Normalizer.normalize(typed, Normalizer.Form.NFC);
        return nfc.startsWith("#") ? nfc : "#" + nfc;
    }

    /** Whether the shown form ({@link #display(String)}) is {@code #} and a valid room name. */
    public static boolean isValid(String display) {
        return display.startsWith("#") && Identifiers.isValid(display, 1, MAX_CODE_POINTS);
    }

    /** Equal keys (NFKC, lower-cased) are the same room; the room may be given as typed or as shown. */
    public static String key(String room) {
        return Identifiers.key(display(room));
    }

    /** Equal skeletons look alike, so they are the same room; given as typed or as shown. */
    public static String skeleton(String room) {
        return Identifiers.skeleton(display(room));
    }
}
