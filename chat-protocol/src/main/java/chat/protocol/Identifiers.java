package chat.protocol;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.SpoofChecker;
import java.text.Normalizer;
import java.util.Locale;

/**
 * What names and room names share (PROTOCOL.md, "Names" and "Rooms"): which characters they may
 * hold, and the version 2 rules against impersonation from Unicode TS #39. Pure and thread-safe:
 * the ICU checkers are built once, and ICU documents their checks as safe to call from many
 * threads at once.
 *
 * <p>Besides what the protocol lists (no Default_Ignorable_Code_Point, single-script or highly
 * restrictive), two TS #39 checks close gaps the skeleton leaves open, because the lookalikes
 * they refuse have skeletons of their own: the same combining mark twice in a row
 * ({@code é} + U+0301 looks like {@code é}) and a dot above a letter that already has one
 * ({@code i} + U+0307 looks like {@code i}).
 */
final class Identifiers {

    private static final SpoofChecker ON_NFC = new SpoofChecker.Builder()
            .setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
            .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.HIDDEN_OVERLAY)
            .build();

    // ICU4J 78.1's INVISIBLE check walks the NFD text only as far as the input's own length, so
    // on NFC input it misses a mark doubled after a precomposed letter: it gets NFD here. The
    // hidden-dot check may not: in NFD the dotted capital İ is I + U+0307, which it refuses.
    private static final SpoofChecker ON_NFD = new SpoofChecker.Builder()
            .setChecks(SpoofChecker.INVISIBLE)
            .build();

    private Identifiers() {
    }

    /**
     * Whether {@code s}, from {@code start} on (already NFC), is 1 to {@code maxCodePoints} code
     * points: a letter or digit, then letters, combining marks, digits, '_', '-' or '.', with no
     * default-ignorable code point, in one script or Latin with Han and Japanese or Korean.
     */
    static boolean isValid(String s, int start, int maxCodePoints) {
        if (!hasValidCharacters(s, start, maxCodePoints)) {
            return false;
        }
        String rest = s.substring(start);
        return !ON_NFC.failsChecks(rest)
                && !ON_NFD.failsChecks(Normalizer.normalize(rest, Normalizer.Form.NFD));
    }

    /** NFKC, lower-cased with {@link Locale#ROOT}: equal keys are the same identifier. */
    static String key(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /**
     * Equal skeletons look alike, so they are the same identifier too.
     *
     * <p>It starts from the protocol's rule, the TS #39 skeleton lower-cased, so every pair the
     * protocol calls the same has equal skeletons whatever comes next. NFKC then folds what the
     * confusables data leaves alone (fullwidth {@code ｂ0ｂ} is {@code bob}). The skeleton of the
     * result in capitals counts lookalikes that only capitals have: {@code ALlCE} reads as
     * {@code ALICE}, which is {@code alice}. Lower-casing can make a lookalike again
     * ({@code M} to {@code m}, which looks like {@code rn}), so it ends on one more skeleton.
     *
     * <p>Names that collide by {@link #key} mostly collide here too ({@code ALICE} and
     * {@code alice}), but not where a capital and its small letter look like two different
     * letters: Greek {@code Η} is {@code H} but {@code η} is {@code n}, Cyrillic {@code В} is
     * {@code B} but {@code в} is {@code ʙ}, {@code Ð} is {@code Đ} but {@code ð} is not. One
     * skeleton for both would make {@code n} and {@code h} one letter, so names compare both the
     * key and the skeleton.
     */
    static String skeleton(String s) {
        String looks = lowerSkeleton(s);
        String inCapitals = Normalizer.normalize(looks, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT);
        return lowerSkeleton(lowerSkeleton(inCapitals));
    }

    private static String lowerSkeleton(String s) {
        return ON_NFC.getSkeleton(s).toLowerCase(Locale.ROOT);
    }

    private static boolean hasValidCharacters(String s, int start, int maxCodePoints) {
        int count = s.codePointCount(start, s.length());
        if (count < 1 || count > maxCodePoints) {
            return false;
        }
        int first = s.codePointAt(start);
        if (!Character.isLetterOrDigit(first) || isDefaultIgnorable(first)) {
            return false;
        }
        for (int i = start + Character.charCount(first); i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!isAllowedAfterFirst(cp) || isDefaultIgnorable(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
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

    /** Invisible, yet a letter or a mark to Java: U+3164 HANGUL FILLER, U+034F, variation selectors. */
    private static boolean isDefaultIgnorable(int cp) {
        return UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT);
    }
}
