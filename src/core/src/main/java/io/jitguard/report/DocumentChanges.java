package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.model.ArmId;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a planned write changes, in the terms a person acts on, computed from the document as read and the body that
 * would be PUT (not from what the planner meant to do). A JIT policy diffs per VM entry: {@code add-entry},
 * {@code remove-entry}, {@code add-port}, {@code remove-port}, {@code shorten-duration} / {@code lengthen-duration},
 * {@code narrow-source} / {@code change-source}, {@code change-protocol}; anything else, and every other document,
 * diffs per JSON value: {@code add}, {@code remove}, {@code change} at a JSON pointer.
 *
 * <p>ARM's read-only fields ({@link #READ_ONLY}: {@code id}, {@code name}, {@code type}, {@code systemData},
 * {@code etag}, {@code provisioningState} and the policy assignment's computed version fields) are not part of a PUT
 * body, so their absence from it is never shown as a removal. One pass over each document: linear in its size.
 */
public final class DocumentChanges {
    public static final Set<String> READ_ONLY = Set.of("id", "name", "type", "systemData", "etag",
            "provisioningState", "effectiveDefinitionVersion", "latestDefinitionVersion", "assignmentType");

    /**
     * One change.
     *
     * @param op    what kind of change (see the class comment)
     * @param vm    the VM entry's id, for a JIT policy's entry changes; else null
     * @param port  the port, for a port change; else null
     * @param path  the JSON pointer, for a document change; else null
     * @param from  the value before (null when added)
     * @param to    the value after (null when removed)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"op", "vm", "port", "path", "from", "to"})
    public record Change(String op, String vm, Integer port, String path, String from, String to) {
        /** e.g. {@code add-port vm-1 3389: TCP PT3H from *}, {@code change /properties/x: a -> b}. */
        public String text() {
            StringBuilder s = new StringBuilder(op);
            if (vm != null) {
                s.append(' ').append(vmName(vm));
            }
            if (port != null) {
                s.append(" port ").append(port);
            }
            if (path != null) {
                s.append(' ').append(path);
            }
            if (from != null && to != null) {
                s.append(": ").append(from).append(" -> ").append(to);
            } else if (to != null) {
                s.append(": ").append(to);
            } else if (from != null) {
                s.append(" (was ").append(from).append(')');
            }
            return s.toString();
        }
    }

    private DocumentChanges() {
    }

    public static List<Change> of(JsonNode before, JsonNode after) {
        List<Change> out = new ArrayList<>();
        JsonNode b = before == null ? null : before.path("properties").path("virtualMachines");
        JsonNode a = after == null ? null : after.path("properties").path("virtualMachines");
        boolean policy = a != null && a.isArray() && (b == null || b.isMissingNode() || b.isArray());
        if (policy) {
            entries(b == null || !b.isArray() ? null : b, a, out);
        }
        document("", before, after, policy, out);
        return out;
    }

    private static void entries(JsonNode before, JsonNode after, List<Change> out) {
        Map<String, JsonNode> old = new LinkedHashMap<>();
        if (before != null) {
            before.forEach(e -> old.put(key(e.path("id").asText()), e));
        }
        Set<String> seen = new java.util.HashSet<>();
        for (JsonNode e : after) {
            String id = e.path("id").asText();
            String k = key(id);
            seen.add(k);
            JsonNode was = old.get(k);
            if (was == null) {
                out.add(new Change("add-entry", id, null, null, null, ports(e.path("ports"))));
            } else if (!was.equals(e)) {
                ports(id, was.path("ports"), e.path("ports"), out);
                entryFields(id, was, e, out);
            }
        }
        old.forEach((k, e) -> {
            if (!seen.contains(k)) {
                out.add(new Change("remove-entry", e.path("id").asText(), null, null, ports(e.path("ports")), null));
            }
        });
    }

    private static void ports(String vm, JsonNode before, JsonNode after, List<Change> out) {
        Map<String, JsonNode> old = new LinkedHashMap<>();
        before.forEach(p -> old.put(portKey(p), p));
        Set<String> seen = new java.util.HashSet<>();
        for (JsonNode p : after) {
            String k = portKey(p);
            seen.add(k);
            JsonNode was = old.get(k);
            Integer number = p.path("number").canConvertToInt() ? p.path("number").asInt() : null;
            if (was == null) {
                out.add(new Change("add-port", vm, number, null, null, port(p)));
                continue;
            }
            String d0 = was.path("maxRequestAccessDuration").asText(null);
            String d1 = p.path("maxRequestAccessDuration").asText(null);
            if (!java.util.Objects.equals(d0, d1)) {
                out.add(new Change(shorter(d0, d1) ? "shorten-duration" : "lengthen-duration", vm, number, null, d0,
                        d1));
            }
            Set<String> s0 = sources(was);
            Set<String> s1 = sources(p);
            if (!s0.equals(s1)) {
                out.add(new Change(s0.contains("*") && !s1.contains("*") ? "narrow-source" : "change-source", vm,
                        number, null, String.join(", ", s0), String.join(", ", s1)));
            }
            String pr0 = was.path("protocol").asText(null);
            String pr1 = p.path("protocol").asText(null);
            if (!java.util.Objects.equals(pr0, pr1)) {
                out.add(new Change("change-protocol", vm, number, null, pr0, pr1));
            }
        }
        old.forEach((k, p) -> {
            if (!seen.contains(k)) {
                out.add(new Change("remove-port", vm, p.path("number").canConvertToInt()
                        ? p.path("number").asInt() : null, null, port(p), null));
            }
        });
    }

    /** Fields of an entry other than its id and ports (e.g. publicIpAddress), per JSON value. */
    private static void entryFields(String vm, JsonNode before, JsonNode after, List<Change> out) {
        List<Change> fields = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            if (!n.equals("id") && !n.equals("ports")) {
                document("/" + n, before.get(n), after.get(n), false, fields);
            }
        }
        fields.forEach(c -> out.add(new Change(c.op(), vm, null, c.path(), c.from(), c.to())));
    }

    /** Value-level diff of everything but the policy entries (handled above) and read-only fields. */
    private static void document(String path, JsonNode before, JsonNode after, boolean policy, List<Change> out) {
        boolean hasBefore = before != null && !before.isMissingNode() && !before.isNull();
        boolean hasAfter = after != null && !after.isMissingNode() && !after.isNull();
        if (!hasBefore && !hasAfter) {
            return;
        }
        if (hasBefore && hasAfter && before.isObject() && after.isObject()) {
            Set<String> names = new java.util.LinkedHashSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                String child = path + "/" + n.replace("~", "~0").replace("/", "~1");
                if (policy && child.equals("/properties/virtualMachines")) {
                    continue;
                }
                if (READ_ONLY.contains(n) && !after.has(n)) {
                    continue;
                }
                document(child, before.get(n), after.get(n), policy, out);
            }
            return;
        }
        if (!hasBefore) {
            if (path.isEmpty()) {
                Iterator<Map.Entry<String, JsonNode>> fields = after.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    if (!(policy && f.getKey().equals("properties"))) {
                        out.add(new Change("add", null, null, "/" + f.getKey(), null, value(f.getValue())));
                    } else {
                        document("/properties", null, f.getValue(), policy, out);
                    }
                }
                return;
            }
            if (policy && path.equals("/properties") && after.isObject()) {
                after.fields().forEachRemaining(f -> {
                    if (!f.getKey().equals("virtualMachines")) {
                        out.add(new Change("add", null, null, "/properties/" + f.getKey(), null,
                                value(f.getValue())));
                    }
                });
                return;
            }
            out.add(new Change("add", null, null, path, null, value(after)));
        } else if (!hasAfter) {
            out.add(new Change("remove", null, null, path, value(before), null));
        } else if (!before.equals(after)) {
            out.add(new Change("change", null, null, path, value(before), value(after)));
        }
    }

    /** {@code ports 22 TCP PT3H from *; 3389 …}, or {@code no ports}: one of these for each entry a write adds. */
    private static String ports(JsonNode ports) {
        StringBuilder s = new StringBuilder(24 + 40 * ports.size()).append("ports ");
        boolean first = true;
        for (JsonNode p : ports) {
            if (!first) {
                s.append("; ");
            }
            first = false;
            port(p, s.append(p.path("number").asText()).append(' '));
        }
        return first ? "no ports" : s.toString();
    }

    /** {@code TCP PT3H from *}. */
    private static String port(JsonNode p) {
        return port(p, new StringBuilder(32)).toString();
    }

    private static StringBuilder port(JsonNode p, StringBuilder s) {
        s.append(p.path("protocol").asText("?")).append(' ').append(p.path("maxRequestAccessDuration").asText("?"))
                .append(" from ");
        boolean first = true;
        for (String source : sources(p)) {
            s.append(first ? "" : ", ").append(source);
            first = false;
        }
        return s;
    }

    private static Set<String> sources(JsonNode p) {
        JsonNode one = p.path("allowedSourceAddressPrefix");
        JsonNode many = p.path("allowedSourceAddressPrefixes");
        if (many.isEmpty()) {
            // the usual port: one prefix (or none), no sorting needed
            return one.isTextual() ? Set.of(one.asText()) : Set.of();
        }
        Set<String> s = new TreeSet<>();
        if (one.isTextual()) {
            s.add(one.asText());
        }
        many.forEach(x -> s.add(x.asText()));
        return s;
    }

    private static boolean shorter(String before, String after) {
        try {
            return before != null && after != null && Duration.parse(after).compareTo(Duration.parse(before)) < 0;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String portKey(JsonNode p) {
        return p.path("number").asText();
    }

    private static String value(JsonNode v) {
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static String key(String id) {
        return ArmId.key(id);
    }

    /** The name of a resource id ({@link ArmId#name()}), else the value itself. */
    public static String vmName(String id) {
        return ArmId.tryParse(id).map(ArmId::name).orElse(id);
    }
}
