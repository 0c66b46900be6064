package io.jitguard.arm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A path template of an {@link ArmOperation}: literal text, {@code {placeholder}}s and at most one optional
 * {@code [...]} part. Fills itself (checked values), recognises its paths and percent-encodes them.
 */
final class ArmPathTemplate {
    /** A subscription or resource group id: what {@code {scope}} takes. */
    private static final String SCOPE = "/subscriptions/[^/]+(?:/resourceGroups/[^/]+)?";
    private static final Pattern SCOPE_PATTERN = Pattern.compile(SCOPE, Pattern.CASE_INSENSITIVE);

    private record Part(String literal, String placeholder, boolean optional) {
    }

    private final List<Part> parts;
    private final Pattern pattern;
    private final int required;
    private final int total;

    private ArmPathTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
        StringBuilder regex = new StringBuilder();
        boolean inOptional = false;
        int req = 0;
        int all = 0;
        for (Part p : parts) {
            if (p.optional() != inOptional) {
                regex.append(p.optional() ? "(?:" : ")?");
                inOptional = p.optional();
            }
            if (p.placeholder() == null) {
                regex.append(Pattern.quote(p.literal()));
            } else {
                regex.append(p.placeholder().equals("scope") ? SCOPE : "[^/]+");
                all++;
                req += p.optional() ? 0 : 1;
            }
        }
        if (inOptional) {
            regex.append(")?");
        }
        this.pattern = Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
        this.required = req;
        this.total = all;
    }

    static ArmPathTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        boolean optional = false;
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed placeholder in " + template);
                }
                flush(parts, literal, optional);
                parts.add(new Part(null, template.substring(i + 1, end), optional));
                i = end;
            } else if (c == '[' || c == ']') {
                if ((c == '[') == optional) {
                    throw new IllegalArgumentException("unbalanced optional part in " + template);
                }
                flush(parts, literal, optional);
                optional = c == '[';
            } else {
                literal.append(c);
            }
        }
        flush(parts, literal, optional);
        return new ArmPathTemplate(parts);
    }

    private static void flush(List<Part> parts, StringBuilder literal, boolean optional) {
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), null, optional));
            literal.setLength(0);
        }
    }

    String fill(String operation, String... values) {
        if (values.length < required || values.length > total) {
            throw new IllegalArgumentException(operation + " takes " + (required == total ? "" + total
                    : required + " to " + total) + " path values " + placeholders() + ", got " + values.length);
        }
        boolean withOptional = values.length == total;
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (Part p : parts) {
            if (p.optional() && !withOptional) {
                continue;
            }
            if (p.placeholder() == null) {
                out.append(p.literal());
            } else {
                out.append(checked(operation, p.placeholder(), values[next++]));
            }
        }
        return out.toString();
    }

    boolean matches(String path) {
        return path != null && pattern.matcher(path).matches();
    }

    private List<String> placeholders() {
        return parts.stream().filter(p -> p.placeholder() != null).map(p -> "{" + p.placeholder() + "}").toList();
    }

    private static String checked(String operation, String placeholder, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(operation + ": {" + placeholder + "} is missing");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '?' || c == '#' || c == '\\') {
                throw new IllegalArgumentException(operation + ": {" + placeholder + "} holds '?', '#', '\\' or a"
                        + " control character");
            }
        }
        if (placeholder.equals("scope")) {
            if (!SCOPE_PATTERN.matcher(value).matches()) {
                throw new IllegalArgumentException(operation + ": {scope} is not a subscription or resource group id: "
                        + value);
            }
            return value;
        }
        if (value.contains("/") || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(operation + ": {" + placeholder + "} is not one path segment: "
                    + value);
        }
        return value;
    }

    /**
     * Percent-encodes each segment of an ARM path (UTF-8): resource group names may hold Unicode letters, parentheses
     * and other characters that must not go raw on the wire. Unreserved characters (RFC 3986) stay; so do {@code :}
     * and {@code @}, which paths allow. Every other byte, {@code %}, parentheses and {@code +} included, is encoded.
     */
    static String encode(String path) {
        StringBuilder out = new StringBuilder(path.length() + 16);
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == ':' || c == '@') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
