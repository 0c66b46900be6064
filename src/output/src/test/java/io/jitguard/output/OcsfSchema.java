package io.jitguard.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.report.ReportJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OCSF event class as the schema's own JSON files define it (the extract under {@code ocsf-1.8.0/}): the
 * attributes of the class, of the classes it extends and of the profiles they include, each object's attributes the
 * same way, types and enums from the dictionary. {@link #validate} lists every way an event departs from it: an
 * attribute the class or object does not define, a required one missing (a profile's only when the event declares the
 * profile), a value of the wrong type, an enum id the schema does not list, a caption that is not its id's.
 */
final class OcsfSchema {
    private static final String ROOT = "/ocsf-1.8.0/";
    private final JsonNode dictionary = read("dictionary.json").path("attributes");
    private final JsonNode types = read("dictionary.json").path("types").path("attributes");
    private final Map<String, Map<String, ObjectNode>> objects = new LinkedHashMap<>();
    final Map<String, ObjectNode> eventAttributes;
    final int classUid;

    OcsfSchema(String classPath) {
        JsonNode clazz = read(classPath);
        eventAttributes = attributes(classPath, "events/");
        String category = read("events/findings/finding.json").path("category").asText();
        JsonNode categoryNode = read("categories.json").path("attributes").path(category);
        classUid = categoryNode.path("uid").asInt() * 1000 + clazz.path("uid").asInt();
        // as the schema compiles a class: its class_uid and category_uid enums name only itself and its category
        enumOf("class_uid", classUid, clazz.path("caption").asText());
        enumOf("category_uid", categoryNode.path("uid").asInt(), categoryNode.path("caption").asText());
    }

    private void enumOf(String attribute, int uid, String caption) {
        ObjectNode only = ReportJson.mapper().createObjectNode();
        only.putObject(String.valueOf(uid)).put("caption", caption);
        eventAttributes.get(attribute).set("enum", only);
        eventAttributes.get(attribute).put("replaced", true);
    }

    private static JsonNode read(String path) {
        try (InputStream in = OcsfSchema.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("the OCSF extract has no " + path + " (see ocsf-1.8.0/README.md)");
            }
            return ReportJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The attributes of a file: its parent's, then its included profiles', then its own, each merged by key. */
    private Map<String, ObjectNode> attributes(String path, String kind) {
        JsonNode doc = read(path);
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        String parent = doc.path("extends").asText("");
        if (!parent.isEmpty() && !parent.equals("object")) {
            String parentPath = kind.equals("events/") ? (parent.equals("base_event") ? "events/base_event.json"
                    : "events/findings/" + parent + ".json") : "objects/" + parent + ".json";
            attributes(parentPath, kind).forEach((k, v) -> out.put(k, v.deepCopy()));
        }
        for (JsonNode include : doc.path("attributes").path("$include")) {
            JsonNode profile = read(include.asText());
            String name = profile.path("name").asText();
            profile.path("attributes").fields().forEachRemaining(f -> {
                ObjectNode spec = merge(out.get(f.getKey()), (ObjectNode) f.getValue());
                if (!"profile".equals(profile.path("meta").asText()) || !spec.has("profile")) {
                    spec.put("profile", name);
                }
                out.put(f.getKey(), spec);
            });
        }
        doc.path("attributes").fields().forEachRemaining(f -> {
            if (!f.getKey().equals("$include")) {
                out.put(f.getKey(), merge(out.get(f.getKey()), (ObjectNode) f.getValue()));
            }
        });
        return out;
    }

    /** The child's keys over the parent's; enums merged value by value. */
    private static ObjectNode merge(ObjectNode parent, ObjectNode child) {
        ObjectNode out = parent == null ? ReportJson.mapper().createObjectNode() : parent.deepCopy();
        child.fields().forEachRemaining(f -> {
            if (f.getKey().equals("enum") && out.path("enum").isObject()) {
                ((ObjectNode) out.get("enum")).setAll((ObjectNode) f.getValue());
            } else {
                out.set(f.getKey(), f.getValue());
            }
        });
        return out;
    }

    private Map<String, ObjectNode> object(String name) {
        return objects.computeIfAbsent(name, n -> attributes("objects/" + n + ".json", "objects/"));
    }

    /** Every departure of the event from the class, as {@code path: what}; empty when it conforms. */
    List<String> validate(JsonNode event) {
        List<String> errors = new ArrayList<>();
        Set<String> profiles = new HashSet<>();
        event.path("metadata").path("profiles").forEach(p -> profiles.add(p.asText()));
        if (event.path("class_uid").asInt() != classUid) {
            errors.add("class_uid: " + event.path("class_uid") + " is not " + classUid);
        }
        long typeUid = event.path("class_uid").asLong() * 100 + event.path("activity_id").asLong();
        if (event.path("type_uid").asLong() != typeUid) {
            errors.add("type_uid: " + event.path("type_uid") + " is not class_uid * 100 + activity_id");
        }
        object("", event, eventAttributes, profiles, errors);
        return errors;
    }

    private void object(String path, JsonNode node, Map<String, ObjectNode> attributes, Set<String> profiles,
                        List<String> errors) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            ObjectNode spec = attributes.get(f.getKey());
            if (spec == null) {
                errors.add(path + "/" + f.getKey() + ": not an attribute here");
                continue;
            }
            value(path + "/" + f.getKey(), f.getKey(), f.getValue(), spec, node, profiles, errors);
        }
        attributes.forEach((name, spec) -> {
            boolean applies = !spec.hasNonNull("profile") || profiles.contains(spec.path("profile").asText());
            if ("required".equals(spec.path("requirement").asText()) && applies && !node.has(name)) {
                errors.add(path + "/" + name + ": required and missing");
            }
        });
    }

    private void value(String path, String name, JsonNode value, ObjectNode spec, JsonNode parent,
                       Set<String> profiles, List<String> errors) {
        JsonNode dict = dictionary.path(name);
        if (dict.isMissingNode()) {
            errors.add(path + ": not in the dictionary");
            return;
        }
        String type = spec.path("type").asText(dict.path("type").asText());
        boolean array = spec.path("is_array").asBoolean(dict.path("is_array").asBoolean(false));
        if (array) {
            if (!value.isArray()) {
                errors.add(path + ": expected an array of " + type);
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                single(path + "/" + i, type, value.get(i), profiles, errors);
            }
        } else {
            single(path, type, value, profiles, errors);
        }
        ObjectNode enumeration = dict.path("enum").isObject() && !spec.has("replaced")
                ? ((ObjectNode) dict.get("enum")).deepCopy() : null;
        if (spec.path("enum").isObject()) {
            enumeration = enumeration == null ? (ObjectNode) spec.get("enum").deepCopy() : enumeration;
            enumeration.setAll((ObjectNode) spec.get("enum"));
        }
        if (enumeration != null && value.isValueNode()) {
            JsonNode entry = enumeration.path(value.asText());
            if (entry.isMissingNode()) {
                errors.add(path + ": " + value + " is not in the enum " + enumeration.properties().stream()
                        .map(Map.Entry::getKey).toList());
            } else if (dict.has("sibling") && parent.has(dict.path("sibling").asText()) && !"99".equals(value.asText())
                    && !parent.path(dict.path("sibling").asText()).asText().equals(entry.path("caption").asText())) {
                errors.add(path + ": sibling " + dict.path("sibling").asText() + " is '"
                        + parent.path(dict.path("sibling").asText()).asText() + "', not the caption '"
                        + entry.path("caption").asText() + "' of " + value);
            }
        }
    }

    private void single(String path, String type, JsonNode value, Set<String> profiles, List<String> errors) {
        String base = type;
        while (types.path(base).has("type")) {
            base = types.path(base).path("type").asText();
        }
        boolean ok = switch (base) {
            case "string_t" -> value.isTextual() && matches(type, value.asText());
            case "integer_t" -> value.isInt();
            case "long_t" -> value.isIntegralNumber();
            case "float_t" -> value.isNumber();
            case "boolean_t" -> value.isBoolean();
            case "json_t" -> true;
            case "object" -> value.isObject();
            default -> {
                if (types.has(base)) {
                    throw new IllegalStateException("no check for OCSF type " + base);
                }
                if (!value.isObject()) {
                    yield false;
                }
                object(path, value, object(type), profiles, errors);
                yield true;
            }
        };
        if (!ok) {
            errors.add(path + ": " + value + " is not a " + type);
        }
    }

    private boolean matches(String type, String value) {
        String regex = types.path(type).path("regex").asText("");
        return regex.isEmpty() || value.matches(regex);
    }
}
