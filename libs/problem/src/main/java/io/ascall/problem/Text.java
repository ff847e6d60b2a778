package io.ascall.problem;

/**
 * What text a service accepts from a client, in a JSON string or a parameter: any Unicode text
 * except characters that no field of ours means and that break what stores or shows it. A NUL is
 * refused by PostgreSQL (a 500 before this rule), a lone surrogate would be stored as "?", and
 * control characters hide in logs and screens. Refused, not cleaned up: a client that sends them
 * has a bug and should hear so, and nothing it sent is silently changed.
 *
 * <p>Allowed: tab, line feed and carriage return (a description may have lines). Refused: the
 * other C0 controls (U+0000 to U+001F), DEL and the C1 controls (U+007F to U+009F), a surrogate
 * without its pair, and the noncharacters (U+FDD0 to U+FDEF, and U+xFFFE, U+xFFFF of every plane).
 */
public final class Text {

    private Text() {}

    /** What is wrong with the text, as "a NUL character (U+0000)"; null when nothing is. */
    public static String problem(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(i + 1));
                if (isNoncharacter(codePoint)) {
                    return "a noncharacter (" + hex(codePoint) + ")";
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                return "an unpaired surrogate (" + hex(c) + ")";
            } else if (c == 0) {
                return "a NUL character (U+0000)";
            } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F)) {
                return "a control character (" + hex(c) + ")";
            } else if (isNoncharacter(c)) {
                return "a noncharacter (" + hex(c) + ")";
            }
        }
        return null;
    }

    private static boolean isNoncharacter(int codePoint) {
        return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
    }

    private static String hex(int codePoint) {
        return String.format("U+%04X", codePoint);
    }
}
