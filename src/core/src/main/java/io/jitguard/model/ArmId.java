package io.jitguard.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An Azure Resource Manager resource id: the one parser of ids in jitguard. Keywords ({@code subscriptions},
 * {@code resourceGroups}, {@code providers}) and every part compare case-insensitively ({@link #key()}); the text is
 * kept as given ({@link #toString()}).
 *
 * <p>Accepted shapes: {@code /subscriptions/{sub}}, {@code /subscriptions/{sub}/resourceGroups/{rg}}, and either of
 * them followed by {@code /providers/{namespace}/{type}/{name}[/{childType}/{childName}]...}; an extension resource
 * ({@code {scope}/providers/{namespace}/{type}/{name}} on a resource) has the type of its own chain and its scope as
 * {@link #parent()}.
 */
public final class ArmId {
    /** A GUID in its canonical 8-4-4-4-12 form, any case (subscription and tenant ids). */
    public static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final String text;
    private final String subscription;
    private final String resourceGroup;
    private final String namespace;
    private final List<String> types;
    private final List<String> names;

    private ArmId(String text, String subscription, String resourceGroup, String namespace, List<String> types,
            List<String> names) {
        this.text = text;
        this.subscription = subscription;
        this.resourceGroup = resourceGroup;
        this.namespace = namespace;
        this.types = List.copyOf(types);
        this.names = List.copyOf(names);
    }

    /**
     * @throws InvalidArmIdException naming what is wrong: not starting with {@code /subscriptions/}, an empty,
     *                               {@code .} or {@code ..} segment, a type without a name, a control character
     */
    public static ArmId parse(String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidArmIdException("resource id is empty");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new InvalidArmIdException("resource id contains a control character: " + shown(id));
            }
        }
        if (!id.startsWith("/")) {
            throw new InvalidArmIdException("resource id must start with /subscriptions/: " + shown(id));
        }
        String[] s = id.substring(1).split("/", -1);
        for (String seg : s) {
            if (seg.isEmpty()) {
                throw new InvalidArmIdException("resource id has an empty segment: " + shown(id));
            }
            if (seg.equals(".") || seg.equals("..")) {
                throw new InvalidArmIdException("resource id has a '" + seg + "' segment: " + shown(id));
            }
        }
        if (s.length < 2 || !s[0].equalsIgnoreCase("subscriptions")) {
            throw new InvalidArmIdException("resource id must start with /subscriptions/{id}: " + shown(id), false);
        }
        int i = 2;
        String rg = null;
        if (i < s.length && s[i].equalsIgnoreCase("resourceGroups")) {
            if (i + 1 >= s.length) {
                throw new InvalidArmIdException("resource id names no resource group: " + shown(id), true);
            }
            rg = s[i + 1];
            i += 2;
        }
        String namespace = null;
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (i < s.length) {
            if (!s[i].equalsIgnoreCase("providers") || i + 1 >= s.length) {
                throw new InvalidArmIdException("resource id expects /providers/{namespace}/{type}/{name} after "
                        + (rg == null ? "the subscription" : "the resource group") + ": " + shown(id), true);
            }
            namespace = s[i + 1];
            i += 2;
            if (i >= s.length) {
                throw new InvalidArmIdException("resource id names a provider but no resource: " + shown(id), true);
            }
            for (; i < s.length; i += 2) {
                if (s[i].equalsIgnoreCase("providers") && i + 2 < s.length) {
                    // an extension resource (e.g. a policy exemption on a VM): its own provider chain on that scope
                    namespace = s[i + 1];
                    types.clear();
                    names.clear();
                    i += 2;
                }
                if (i + 1 >= s.length) {
                    throw new InvalidArmIdException("resource id has a type without a name (" + s[i] + "): "
                            + shown(id), true);
                }
                types.add(s[i]);
                names.add(s[i + 1]);
            }
        }
        return new ArmId(id, s[1], rg, namespace, types, names);
    }

    /** The id, or empty when {@code id} is not one (a document's id field is data, not input to refuse). */
    public static Optional<ArmId> tryParse(String id) {
        try {
            return Optional.of(parse(id));
        } catch (InvalidArmIdException e) {
            return Optional.empty();
        }
    }

    /** {@code /subscriptions/{sub}} */
    public static ArmId subscription(String subscription) {
        return parse("/subscriptions/" + segment(subscription));
    }

    /** {@code /subscriptions/{sub}/resourceGroups/{rg}} */
    public static ArmId resourceGroup(String subscription, String resourceGroup) {
        return subscription(subscription).resourceGroupChild(resourceGroup);
    }

    private ArmId resourceGroupChild(String resourceGroup) {
        return parse(text + "/resourceGroups/" + segment(resourceGroup));
    }

    /**
     * A top-level resource of a resource group, e.g. {@code of(sub, rg, "Microsoft.Compute/virtualMachines", name)}.
     */
    public static ArmId of(String subscription, String resourceGroup, String type, String name) {
        int slash = type.indexOf('/');
        if (slash < 0) {
            throw new InvalidArmIdException("not a resource type (namespace/type): " + shown(type));
        }
        return resourceGroup(subscription, resourceGroup).provider(type.substring(0, slash), type.substring(slash + 1),
                name);
    }

    /**
     * The subscription of an ARM path, a resource id or a list path ({@code /subscriptions/{id}/...}); empty for a
     * tenant-level path.
     */
    public static Optional<String> subscriptionOfPath(String path) {
        if (path == null || !path.regionMatches(true, 0, "/subscriptions/", 0, 15)) {
            return Optional.empty();
        }
        int end = path.indexOf('/', 15);
        String sub = end < 0 ? path.substring(15) : path.substring(15, end);
        return sub.isEmpty() ? Optional.empty() : Optional.of(sub);
    }

    /** A resource of a provider on this scope: {@code this/providers/{namespace}/{type}/{name}}. */
    public ArmId provider(String namespace, String type, String name) {
        return parse(text + "/providers/" + segment(namespace) + "/" + segment(type) + "/" + segment(name));
    }

    /** A child of this provider resource: {@code this/{type}/{name}}. */
    public ArmId child(String type, String name) {
        if (this.namespace == null) {
            throw new InvalidArmIdException("a subscription or resource group has no child resources: " + shown(text));
        }
        return parse(text + "/" + segment(type) + "/" + segment(name));
    }

    private static String segment(String value) {
        if (value == null || value.isEmpty() || value.contains("/")) {
            throw new InvalidArmIdException("not one id segment: " + (value == null ? "null" : shown(value)));
        }
        return value;
    }

    /** ARM ids compare case-insensitively: the lower-case form is the map key ({@code ""} for null). */
    public static String key(String id) {
        return id == null ? "" : id.toLowerCase(Locale.ROOT);
    }

    public static boolean isGuid(String value) {
        return value != null && GUID.matcher(value).matches();
    }

    public String subscription() {
        return subscription;
    }

    /** The resource group, or null for a subscription or a subscription-level resource. */
    public String resourceGroup() {
        return resourceGroup;
    }

    /** The resource provider namespace ({@code Microsoft.Compute}), or null for a subscription or a group. */
    public String provider() {
        return namespace;
    }

    /**
     * The full type: {@code Microsoft.Compute/virtualMachines}, {@code Microsoft.Network/virtualNetworks/subnets},
     * {@code Microsoft.Resources/subscriptions}, {@code Microsoft.Resources/resourceGroups}.
     */
    public String type() {
        if (namespace == null) {
            return resourceGroup == null ? "Microsoft.Resources/subscriptions" : "Microsoft.Resources/resourceGroups";
        }
        return namespace + "/" + String.join("/", types);
    }

    /** Whether this is a resource of {@code type} (case-insensitive), e.g. {@code Microsoft.Compute/virtualMachines}. */
    public boolean isType(String type) {
        return type().equalsIgnoreCase(type);
    }

    /** The last name: the resource's, the group's or the subscription id. */
    public String name() {
        if (!names.isEmpty()) {
            return names.get(names.size() - 1);
        }
        return resourceGroup != null ? resourceGroup : subscription;
    }

    /** The name given to {@code type} (the last segment of a type, case-insensitive), e.g. "locations" → westeurope. */
    public Optional<String> nameOf(String typeSegment) {
        for (int i = types.size() - 1; i >= 0; i--) {
            if (types.get(i).equalsIgnoreCase(typeSegment)) {
                return Optional.of(names.get(i));
            }
        }
        return Optional.empty();
    }

    /** The enclosing resource: a child's parent, a top-level resource's group (or subscription), a group's subscription. */
    public Optional<ArmId> parent() {
        int cut;
        if (!names.isEmpty()) {
            int pairs = names.size() - 1;
            if (pairs > 0) {
                cut = nthSlashFromEnd(2);
            } else {
                cut = nthSlashFromEnd(4); // drop /providers/{namespace}/{type}/{name}
            }
        } else if (resourceGroup != null) {
            cut = nthSlashFromEnd(2);
        } else {
            return Optional.empty();
        }
        return Optional.of(parse(text.substring(0, cut)));
    }

    /** The lower-case form: equal ids have equal keys. */
    public String key() {
        return key(text);
    }

    /**
     * How logs, reports and notifications name a resource in one short token: {@code rg/name} for a resource in a
     * group, {@code rg} for a group, {@code sub/name} for a subscription-level resource, the id for a subscription.
     */
    public String shortName() {
        if (names.isEmpty()) {
            return resourceGroup != null ? resourceGroup : subscription;
        }
        return (resourceGroup != null ? resourceGroup : subscription) + "/" + name();
    }

    /** {@link #shortName()} of {@code id}, or {@code id} itself when it is not an ARM id ("?" for null). */
    public static String shortName(String id) {
        if (id == null) {
            return "?";
        }
        return tryParse(id).map(ArmId::shortName).orElse(id);
    }

    /** The id as given. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArmId other && key().equals(other.key());
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }

    private int nthSlashFromEnd(int n) {
        String t = text;
        int at = t.length();
        for (int k = 0; k < n; k++) {
            at = t.lastIndexOf('/', at - 1);
        }
        return at;
    }

    private static String shown(String s) {
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < Math.min(s.length(), 200); i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append(s.length() > 200 ? "…'" : "'").toString();
    }
}
