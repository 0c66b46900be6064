package io.jitguard.scope;

import io.jitguard.model.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses ARM resource ids into {@link Scope}s, strictly: the id names what jitguard reads and writes, so anything
 * unusual (path tricks, encodings, unknown types) is rejected with a one-line reason instead of guessed at.
 */
public final class Scopes {
    public static final int MAX_LENGTH = 2048;

    private static final Pattern GUID = Ids.GUID;
    /** Resource group names: 1-90 of letters, digits, {@code ._-()}, not ending in a period. */
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[\\p{L}\\p{N}._()\\-]{1,90}");
    /** VM names: 1-64 of letters, digits, {@code ._-}, not ending in a period. */
    private static final Pattern VM_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._\\-]{0,63}");
    private static final Pattern LOCATION = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._\\-]{0,259}");

    private Scopes() {
    }

    /**
     * Accepted shapes (segment names case-insensitive):
     * <ul>
     * <li>{@code /subscriptions/{guid}} → {@link SubscriptionScope}</li>
     * <li>{@code /subscriptions/{guid}/resourceGroups/{rg}} → {@link ResourceGroupScope}</li>
     * <li>{@code .../resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}} → {@link VmScope}</li>
     * <li>{@code .../resourceGroups/{rg}/providers/Microsoft.Security/locations/{loc}[/jitNetworkAccessPolicies/{name}]}
     * → {@link ResourceGroupScope} with that location</li>
     * <li>{@code /subscriptions/{guid}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn}
     * → {@link MonitoringScope}</li>
     * </ul>
     *
     * @throws InvalidScopeException with a one-line reason otherwise
     */
    public static Scope parse(String resourceId) {
        if (resourceId == null || resourceId.isEmpty()) {
            throw new InvalidScopeException("resource id is empty");
        }
        if (resourceId.length() > MAX_LENGTH) {
            throw new InvalidScopeException("resource id is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < resourceId.length(); i++) {
            char c = resourceId.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw new InvalidScopeException("resource id contains whitespace or a control character at " + i);
            }
            if (c == '%') {
                throw new InvalidScopeException("resource id contains percent-encoding: " + shown(resourceId));
            }
            if (c == '\\') {
                throw new InvalidScopeException("resource id contains a backslash: " + shown(resourceId));
            }
            if (c == '?' || c == '#') {
                throw new InvalidScopeException("resource id contains a query or fragment: " + shown(resourceId));
            }
        }
        if (!resourceId.startsWith("/")) {
            throw new InvalidScopeException("resource id must start with /subscriptions/: " + shown(resourceId));
        }
        String[] s = resourceId.substring(1).split("/", -1);
        for (String seg : s) {
            if (seg.isEmpty()) {
                throw new InvalidScopeException("resource id has an empty segment: " + shown(resourceId));
            }
            if (seg.equals(".") || seg.equals("..")) {
                throw new InvalidScopeException("resource id has a '" + seg + "' segment: " + shown(resourceId));
            }
        }
        if (!is(s[0], "subscriptions") || s.length < 2) {
            throw new InvalidScopeException("resource id must start with /subscriptions/{id}: " + shown(resourceId));
        }
        String sub = s[1];
        if (!GUID.matcher(sub).matches()) {
            throw new InvalidScopeException("subscription id is not a GUID: " + shown(sub));
        }
        if (s.length == 2) {
            return new SubscriptionScope(sub);
        }
        if (s.length == 6 && is(s[2], "providers") && is(s[3], "Microsoft.Authorization")
                && is(s[4], "policyAssignments")) {
            if (!is(s[5], MonitoringScope.ASSIGNMENT_NAME)) {
                throw new InvalidScopeException("unsupported scope type: policy assignment " + shown(s[5])
                        + " (only " + MonitoringScope.ASSIGNMENT_NAME + ")");
            }
            return new MonitoringScope(sub);
        }
        if (!is(s[2], "resourceGroups") || s.length < 4) {
            throw unsupported(resourceId);
        }
        String rg = resourceGroup(s[3]);
        if (s.length == 4) {
            return new ResourceGroupScope(sub, rg);
        }
        if (!is(s[4], "providers") || s.length < 8) {
            throw unsupported(resourceId);
        }
        if (s.length == 8 && is(s[5], "Microsoft.Compute") && is(s[6], "virtualMachines")) {
            return new VmScope(sub, rg, checked(s[7], VM_NAME, "virtual machine name"));
        }
        if (is(s[5], "Microsoft.Security") && is(s[6], "locations")) {
            String loc = checked(s[7], LOCATION, "location");
            if (s.length == 8) {
                return new ResourceGroupScope(sub, rg, Optional.of(loc));
            }
            if (s.length == 10 && is(s[8], "jitNetworkAccessPolicies")) {
                checked(s[9], POLICY_NAME, "JIT policy name");
                return new ResourceGroupScope(sub, rg, Optional.of(loc));
            }
        }
        throw unsupported(resourceId);
    }

    /**
     * Distinct scopes (case-insensitive by id), without those another scope of the list covers; first occurrence
     * order is kept.
     */
    public static List<Scope> collapse(List<? extends Scope> scopes) {
        Map<String, Scope> distinct = new LinkedHashMap<>();
        for (Scope scope : scopes) {
            distinct.putIfAbsent(scope.id().toLowerCase(Locale.ROOT), scope);
        }
        List<Scope> all = new ArrayList<>(distinct.values());
        List<Scope> kept = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Scope candidate = all.get(i);
            boolean covered = false;
            for (int j = 0; j < all.size() && !covered; j++) {
                covered = i != j && all.get(j).covers(candidate);
            }
            if (!covered) {
                kept.add(candidate);
            }
        }
        return List.copyOf(kept);
    }

    private static String resourceGroup(String name) {
        if (!RESOURCE_GROUP.matcher(name).matches() || name.endsWith(".")) {
            throw new InvalidScopeException("invalid resource group name: " + shown(name));
        }
        return name;
    }

    private static String checked(String value, Pattern pattern, String what) {
        if (!pattern.matcher(value).matches() || value.endsWith(".")) {
            throw new InvalidScopeException("invalid " + what + ": " + shown(value));
        }
        return value;
    }

    private static InvalidScopeException unsupported(String id) {
        return new InvalidScopeException("unsupported scope type: " + shown(id));
    }

    private static boolean is(String segment, String name) {
        return segment.equalsIgnoreCase(name);
    }

    /** Values are echoed in messages, cut short so a hostile id cannot flood logs. */
    private static String shown(String value) {
        return value.length() > 200 ? value.substring(0, 200) + "…" : value;
    }
}
