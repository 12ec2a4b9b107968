package chat.server.cluster;

import chat.protocol.Names;

/**
 * How a name is kept in a room's members in Redis: a sorted set whose members all have the same
 * score, so that Redis orders them by their bytes. The entry starts with a key whose byte order is
 * the who-list order ({@link Names#DISPLAY_ORDER}: case-insensitive first): each UTF-16 unit of
 * the name, case-folded the way {@link String#CASE_INSENSITIVE_ORDER} folds it, as four hex
 * digits. A space (below every hex digit, so a shorter name sorts first) and the name follow.
 */
public final class MemberEntry {

    private MemberEntry() {
    }

    public static String of(String name) {
        StringBuilder entry = new StringBuilder(name.length() * 5 + 1);
        for (int i = 0; i < name.length(); i++) {
            char folded = Character.toLowerCase(Character.toUpperCase(name.charAt(i)));
            String hex = Integer.toHexString(folded);
            entry.append("0000", hex.length(), 4).append(hex);
        }
        return entry.append(' ').append(name).toString();
    }

    /** The name an entry holds. */
    public static String name(String entry) {
        return entry.substring(entry.indexOf(' ') + 1);
    }
}
