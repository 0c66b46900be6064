package io.jitguard.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of Bicep's syntax to check infra without a Bicep compiler: comments removed (strings, including
 * interpolations and {@code '''} strings, are respected), resource declarations with their bodies, property blocks
 * found by key, and string literals.
 */
final class BicepText {
    private static final Pattern RESOURCE = Pattern.compile(
            "\\bresource\\s+(\\w+)\\s+'([A-Za-z0-9.]+/[^'@]+)@([^']+)'\\s*(existing\\s*)?=");
    private static final Pattern LITERAL = Pattern.compile("'((?:[^'\\\\$]|\\\\.|\\$(?!\\{))*)'");

    final Path path;
    /** The file's text with every comment replaced by blanks (line breaks kept). */
    final String text;

    private BicepText(Path path, String text) {
        this.path = path;
        this.text = text;
    }

    static BicepText read(Path path) {
        try {
            return new BicepText(path, stripComments(Files.readString(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BicepText of(String name, String source) {
        return new BicepText(Path.of(name), stripComments(source));
    }

    String fileName() {
        return path.getFileName().toString();
    }

    /** A resource declaration: symbolic name, type, api-version, whether {@code existing}, and its body. */
    record Resource(BicepText file, String symbol, String type, String apiVersion, boolean existing, String body) {
        @Override
        public String toString() {
            return file.fileName() + ": resource " + symbol + " '" + type + "@" + apiVersion + "'";
        }
    }

    List<Resource> resources() {
        List<Resource> found = new ArrayList<>();
        Matcher m = RESOURCE.matcher(text);
        while (m.find()) {
            int open = text.indexOf('{', m.end());
            if (open < 0) {
                throw new IllegalStateException(path + ": no body after " + m.group());
            }
            found.add(new Resource(this, m.group(1), m.group(2), m.group(3), m.group(4) != null,
                    text.substring(open, matchingClose(text, open) + 1)));
        }
        return found;
    }

    List<Resource> resources(String type) {
        return resources().stream().filter(r -> r.type().equalsIgnoreCase(type)).toList();
    }

    /** The first {@code key: [..]} or {@code key: {..}} block in {@code within}, brackets included. */
    static Optional<String> block(String within, String key) {
        Matcher m = Pattern.compile("(?<![\\w.])" + Pattern.quote(key) + "\\s*:\\s*([\\[{])").matcher(within);
        while (m.find()) {
            if (insideString(within, m.start())) {
                continue;
            }
            int open = m.start(1);
            return Optional.of(within.substring(open, matchingClose(within, open) + 1));
        }
        return Optional.empty();
    }

    /** All blocks {@code key: [..]} / {@code key: {..}} in {@code within}. */
    static List<String> blocks(String within, String key) {
        List<String> all = new ArrayList<>();
        Matcher m = Pattern.compile("(?<![\\w.])" + Pattern.quote(key) + "\\s*:\\s*([\\[{])").matcher(within);
        int from = 0;
        while (m.find(from)) {
            int open = m.start(1);
            int close = matchingClose(within, open);
            if (!insideString(within, m.start())) {
                all.add(within.substring(open, close + 1));
            }
            from = open + 1;
        }
        return all;
    }

    /** The outermost {@code [..]} blocks of an expression, in order (strings respected). */
    static List<String> blocksIn(String expression) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\'') {
                i = skipString(expression, i) - 1;
            } else if (c == '[') {
                int close = matchingClose(expression, i);
                found.add(expression.substring(i, close + 1));
                i = close;
            } else if (c == '{' || c == '(') {
                i = matchingClose(expression, i);
            }
        }
        return found;
    }

    /** The value of {@code key: 'literal'} (first occurrence), if it is a plain string literal. */
    static Optional<String> stringProperty(String within, String key) {
        Matcher m = Pattern.compile("(?<![\\w.])" + Pattern.quote(key) + "\\s*:\\s*" + LITERAL.pattern())
                .matcher(within);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The raw expression of {@code key: <expression>} up to the end of its line. */
    static Optional<String> rawProperty(String within, String key) {
        Matcher m = Pattern.compile("(?m)(?<![\\w.])" + Pattern.quote(key) + "\\s*:\\s*(.+?)\\s*$").matcher(within);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The plain (uninterpolated) string literals in a block such as {@code [ 'a' 'b' ]}, in order. */
    static List<String> literals(String block) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < block.length(); i++) {
            if (block.charAt(i) == '\'') {
                int end = skipString(block, i);
                String raw = block.substring(i + 1, end - 1);
                if (!raw.contains("${") && !block.startsWith("'''", i)) {
                    values.add(raw.replace("\\'", "'").replace("\\\\", "\\"));
                }
                i = end - 1;
            }
        }
        return values;
    }

    /** True if an array block holds nothing but plain string literals (no variables, calls or interpolations). */
    static boolean onlyLiterals(String arrayBlock) {
        String inner = arrayBlock.substring(1, arrayBlock.length() - 1);
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\'') {
                int end = skipString(inner, i);
                if (inner.substring(i, end).contains("${")) {
                    return false;
                }
                i = end - 1;
            } else {
                rest.append(c);
            }
        }
        return rest.toString().isBlank();
    }

    /** The top-level {@code {..}} objects of an array block. */
    static List<String> objects(String arrayBlock) {
        List<String> objects = new ArrayList<>();
        for (int i = 1; i < arrayBlock.length() - 1; i++) {
            char c = arrayBlock.charAt(i);
            if (c == '\'') {
                i = skipString(arrayBlock, i) - 1;
            } else if (c == '{') {
                int close = matchingClose(arrayBlock, i);
                objects.add(arrayBlock.substring(i, close + 1));
                i = close;
            } else if (c == '[') {
                i = matchingClose(arrayBlock, i);
            }
        }
        return objects;
    }

    /** The default value of {@code param <name> <type> = 'literal'}. */
    Optional<String> paramDefault(String name) {
        Matcher m = Pattern.compile("\\bparam\\s+" + Pattern.quote(name) + "\\s+\\w+\\s*=\\s*" + LITERAL.pattern())
                .matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The literals of the {@code @allowed([...])} decorator directly above {@code param <name>}, if any. */
    Optional<List<String>> paramAllowed(String name) {
        Matcher p = Pattern.compile("\\bparam\\s+" + Pattern.quote(name) + "\\b").matcher(text);
        if (!p.find()) {
            return Optional.empty();
        }
        String before = text.substring(0, p.start());
        int lastParam = Math.max(before.lastIndexOf("\nparam "), before.lastIndexOf("\noutput "));
        String decorators = before.substring(Math.max(0, lastParam));
        int allowed = decorators.indexOf("@allowed(");
        if (allowed < 0) {
            return Optional.empty();
        }
        int open = decorators.indexOf('[', allowed);
        return Optional.of(literals(decorators.substring(open, matchingClose(decorators, open) + 1)));
    }

    Optional<String> targetScope() {
        Matcher m = Pattern.compile("\\btargetScope\\s*=\\s*'(\\w+)'").matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    // ---- lexing -------------------------------------------------------------------------------------------

    static String stripComments(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\'') {
                int end = skipString(src, i);
                out.append(src, i, end);
                i = end;
            } else if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '/') {
                while (i < src.length() && src.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? src.length() : end + 2;
                for (; i < end; i++) {
                    out.append(src.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Index just after the string literal opening at {@code start}. */
    static int skipString(String s, int start) {
        if (s.startsWith("'''", start)) {
            int end = s.indexOf("'''", start + 3);
            if (end < 0) {
                throw new IllegalStateException("unterminated ''' string at " + start);
            }
            return end + 3;
        }
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                i = skipExpression(s, i + 2);
            } else if (c == '\'') {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new IllegalStateException("unterminated string at " + start);
    }

    /** Index just after the {@code }} closing an interpolation whose content starts at {@code start}. */
    private static int skipExpression(String s, int start) {
        int depth = 1;
        int i = start;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'') {
                i = skipString(s, i);
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        throw new IllegalStateException("unterminated interpolation at " + start);
    }

    /** Index of the bracket closing the one ({@code [ { (}) at {@code open}, strings respected. */
    static int matchingClose(String s, int open) {
        int depth = 0;
        int i = open;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'') {
                i = skipString(s, i);
                continue;
            }
            if (c == '[' || c == '{' || c == '(') {
                depth++;
            } else if (c == ']' || c == '}' || c == ')') {
                if (--depth == 0) {
                    return i;
                }
            }
            i++;
        }
        throw new IllegalStateException("unbalanced bracket at " + open);
    }

    private static boolean insideString(String s, int index) {
        int i = 0;
        while (i < index) {
            if (s.charAt(i) == '\'') {
                int end = skipString(s, i);
                if (end > index) {
                    return true;
                }
                i = end;
            } else {
                i++;
            }
        }
        return false;
    }
}
