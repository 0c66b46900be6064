package io.jitguard.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The effective effect of the JIT audit ({@value MonitoringForms#JIT_REFERENCE_ID}) on an assignment, after the
 * assignment structure docs: {@code overrides} (up to 10) are evaluated in order and the first that applies to a
 * resource decides its effect; where none applies, the parameter (MCSB v1) or the definition's default
 * ({@code AuditIfNotExists}) does. An override of kind {@code policyEffect} applies to the JIT audit when every one of
 * its {@code selectors} lets it: none at all (every policy of the initiative), a {@code policyDefinitionReferenceId}
 * selector whose {@code in} names it or whose {@code notIn} does not, a {@code resourceLocation} selector (then only for
 * those locations). A selector kind this code does not know is taken to let it (the stricter reading). Pure.
 */
public final class JitOverrides {
    static final String REFERENCE_ID_KIND = "policyDefinitionReferenceId";

    private JitOverrides() {
    }

    /**
     * What decides the JIT audit where it is switched off.
     *
     * @param override  index of the first override that switches it off for some location, or -1 when the fallback
     *                  (the parameter) does; null verdicts mean the audit is on everywhere
     * @param value     the non-auditing effect that decides
     * @param reason    in words
     */
    public record Drift(int override, String value, String reason) {
    }

    /**
     * @param fallback the effect where no override applies: the parameter's value (MCSB v1; null = absent, the
     *                 default) or null (MCSB v2 has no parameter)
     * @return null when the JIT audit is on for every location, else what switches it off first
     */
    public static Drift drift(JsonNode properties, String fallback) {
        Locations remaining = Locations.ALL;
        JsonNode overrides = properties.path("overrides").isArray() ? properties.get("overrides")
                : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        for (int i = 0; i < overrides.size() && !remaining.isEmpty(); i++) {
            JsonNode o = overrides.get(i);
            Locations where = appliesWhere(o);
            if (where == null || remaining.and(where).isEmpty()) {
                continue;
            }
            String value = o.path("value").asText();
            if (!MonitoringEffect.audits(value)) {
                return new Drift(i, value, "override " + (i + 1) + " (" + o.path("kind").asText() + " " + value
                        + ", " + selection(o) + ") switches " + MonitoringForms.JIT_REFERENCE_ID + " off"
                        + (where.equals(Locations.ALL) ? "" : " for resources in " + where));
            }
            remaining = remaining.and(where.not());
        }
        if (!remaining.isEmpty() && !MonitoringEffect.audits(fallback)) {
            return new Drift(-1, fallback, MonitoringEffect.PARAMETER + " is " + fallback
                    + (remaining.equals(Locations.ALL) ? "" : " where no override applies (" + remaining + ")"));
        }
        return null;
    }

    /**
     * Takes the JIT audit out of every override that switches it off, first to last, until none does (the fallback
     * {@code fallback} is left to the caller): its reference id removed from an {@code in} (the override removed when
     * that {@code in} is then empty: it selected nothing else), added to a {@code notIn}, or a selector
     * {@code policyDefinitionReferenceId notIn [jitNetworkAccessMonitoring]} added to an override that has none. Every
     * other override, selector, value and field stays.
     *
     * @return true when something changed
     */
    public static boolean exclude(ObjectNode properties, String fallback) {
        boolean changed = false;
        int rounds = properties.path("overrides").size();
        for (int round = 0; round < rounds; round++) {
            Drift d = drift(properties, fallback);
            if (d == null || d.override() < 0) {
                break;
            }
            ArrayNode overrides = (ArrayNode) properties.get("overrides");
            if (excludeFrom((ObjectNode) overrides.get(d.override()))) {
                overrides.remove(d.override());
            }
            changed = true;
        }
        return changed;
    }

    /** @return true when the override now selects nothing (an {@code in} left empty) and must go */
    private static boolean excludeFrom(ObjectNode override) {
        JsonNode existing = override.get("selectors");
        ArrayNode selectors = existing instanceof ArrayNode a ? a : override.putArray("selectors");
        boolean emptied = false;
        boolean any = false;
        for (JsonNode s : selectors) {
            if (!isReferenceIdSelector(s)) {
                continue;
            }
            any = true;
            ObjectNode selector = (ObjectNode) s;
            if (selector.path("in").isArray()) {
                ArrayNode in = (ArrayNode) selector.get("in");
                for (int j = in.size() - 1; j >= 0; j--) {
                    if (in.get(j).asText().equalsIgnoreCase(MonitoringForms.JIT_REFERENCE_ID)) {
                        in.remove(j);
                    }
                }
                emptied |= in.isEmpty();
            } else {
                JsonNode notIn = selector.get("notIn");
                ArrayNode list = notIn instanceof ArrayNode n ? n : selector.putArray("notIn");
                if (!contains(list, MonitoringForms.JIT_REFERENCE_ID)) {
                    list.add(MonitoringForms.JIT_REFERENCE_ID);
                }
            }
        }
        if (!any) {
            ObjectNode s = selectors.addObject();
            s.put("kind", REFERENCE_ID_KIND);
            s.putArray("notIn").add(MonitoringForms.JIT_REFERENCE_ID);
        }
        return emptied;
    }

    /** The locations where override {@code o} applies to the JIT audit, or null when it does not apply to it. */
    static Locations appliesWhere(JsonNode o) {
        if (!o.path("kind").asText().equalsIgnoreCase("policyEffect") || !o.path("value").isTextual()) {
            return null;
        }
        Locations where = Locations.ALL;
        for (JsonNode s : o.path("selectors")) {
            if (isReferenceIdSelector(s)) {
                if (!selectsJit(s)) {
                    return null;
                }
            } else if (s.path("kind").asText().equalsIgnoreCase(ResourceSelectors.RESOURCE_LOCATION)) {
                where = where.and(Locations.of(s));
            }
        }
        return where;
    }

    private static boolean selectsJit(JsonNode s) {
        if (s.path("in").isArray()) {
            return contains(s.get("in"), MonitoringForms.JIT_REFERENCE_ID);
        }
        if (s.path("notIn").isArray()) {
            return !contains(s.get("notIn"), MonitoringForms.JIT_REFERENCE_ID);
        }
        return true;
    }

    private static String selection(JsonNode o) {
        JsonNode selectors = o.path("selectors");
        if (selectors.isEmpty()) {
            return "no selectors: every policy of the initiative";
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode s : selectors) {
            parts.add(s.path("kind").asText() + (s.has("in") ? " in " + s.get("in") : s.has("notIn")
                    ? " notIn " + s.get("notIn") : ""));
        }
        return String.join(" and ", parts);
    }

    private static boolean isReferenceIdSelector(JsonNode s) {
        return s.isObject() && s.path("kind").asText().equalsIgnoreCase(REFERENCE_ID_KIND);
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (v.asText().equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }

    /** A set of locations, finite ({@code in}) or all but a finite set ({@code notIn}); names normalized. */
    record Locations(boolean allBut, Set<String> names) {
        static final Locations ALL = new Locations(true, Set.of());

        Locations {
            names = Set.copyOf(names);
        }

        static Locations of(JsonNode selector) {
            if (selector.path("in").isArray()) {
                return new Locations(false, names(selector.get("in")));
            }
            if (selector.path("notIn").isArray()) {
                return new Locations(true, names(selector.get("notIn")));
            }
            return ALL;
        }

        boolean isEmpty() {
            return !allBut && names.isEmpty();
        }

        Locations not() {
            return new Locations(!allBut, names);
        }

        Locations and(Locations other) {
            Set<String> out = new HashSet<>();
            if (!allBut && !other.allBut) {
                names.stream().filter(other.names::contains).forEach(out::add);
                return new Locations(false, out);
            }
            if (allBut && other.allBut) {
                out.addAll(names);
                out.addAll(other.names);
                return new Locations(true, out);
            }
            Locations finite = allBut ? other : this;
            Locations excluded = allBut ? this : other;
            finite.names.stream().filter(n -> !excluded.names.contains(n)).forEach(out::add);
            return new Locations(false, out);
        }

        @Override
        public String toString() {
            String list = names.stream().sorted().toList().toString();
            return allBut ? (names.isEmpty() ? "every location" : "every location but " + list) : list.toString();
        }

        private static Set<String> names(JsonNode array) {
            Set<String> out = new HashSet<>();
            array.forEach(v -> out.add(v.asText().replace(" ", "").toLowerCase(Locale.ROOT)));
            return out;
        }
    }
}
