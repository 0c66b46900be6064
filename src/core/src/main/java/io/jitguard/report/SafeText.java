package io.jitguard.report;

/**
 * Text from the estate or from settings (VM and group names, tag values, exclusion reasons, ARM and webhook error
 * bodies) made safe for one line of a summary or a log: whoever can name a VM must not be able to start a new line,
 * move the cursor or recolour a terminal, and so forge output. Line breaks, tabs, every other control character
 * (C0, DEL, C1, so ANSI escapes lose their ESC), the Unicode line and paragraph separators and the bidirectional
 * overrides are written as visible escapes (backslash n, backslash r, backslash t, backslash u001b); all else is kept.
 */
public final class SafeText {
    private SafeText() {
    }

    /** The text on one line with nothing that steers a terminal; null stays null. */
    public static String oneLine(String text) {
        return text == null ? null : replaceEach(text, SafeText::escape);
    }

    /**
     * {@code text} with each character for which {@code replacement} gives a string replaced by it (null: kept), in one
     * pass; the same string when nothing is replaced.
     */
    public static String replaceEach(String text, java.util.function.IntFunction<String> replacement) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replaced = replacement.apply(c);
            if (replaced != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replaced != null) {
                    out.append(replaced);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(int c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        boolean steers = Character.isISOControl(c)
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
        return steers ? String.format("\\u%04x", c) : null;
    }
}
