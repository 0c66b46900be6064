package io.jitguard.output;

import java.util.Map;

/**
 * Text from the estate as a page shows it: control and bidirectional formatting characters made visible (so
 * {@code U+202E} cannot turn {@code gnp.exe} into {@code exe.png}, nor a newline forge a line), and long values cut
 * with the full text kept for the hover title.
 */
final class Text {
    /** Names: VM, resource group, subscription, policy, failure target. */
    static final int SHORT = 120;
    /** Reasons, changes, exposure, notes, messages. */
    static final int LONG = 600;
    /** A hover title longer than this is cut too: the full value is in the JSON report. */
    static final int TITLE = 4_000;
    /** A name shorter than this gets no hover title: its column shows it whole. */
    static final int NAME_TITLE_FROM = 20;
    /** A text shorter than this gets no hover title: its column shows it in at most four lines. */
    static final int TEXT_TITLE_FROM = 100;

    private Text() {
    }

    /**
     * The value with every control character (C0, DEL, C1) and every bidirectional formatting character (LRE, RLE,
     * PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM) written as {@code <U+202E>}, so it shows as what it is.
     */
    static String visible(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (hidden(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(String.format("<U+%04X>", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    static boolean hidden(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200e || c == 0x200f || c == 0x061c;
    }

    /** At most {@code max} characters, the cut marked with an ellipsis. */
    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    /** The title for a value: made visible, at most {@link #TITLE} characters. */
    static String title(String s) {
        return cut(visible(s), TITLE);
    }

    /**
     * A cell: {@code text} (visible, cut at max), {@code title} (the fuller text, when the value has at least
     * {@code titleFrom} characters, so the column may clip it) and {@code hasTitle}.
     */
    static Map<String, Object> cell(String s, int max, int titleFrom) {
        Map<String, Object> cell = new java.util.HashMap<>(4);
        String v = visible(s);
        cell.put("text", cut(v, max));
        boolean titled = v.length() >= titleFrom;
        cell.put("hasTitle", titled);
        cell.put("title", titled ? cut(v, TITLE) : "");
        return cell;
    }
}
