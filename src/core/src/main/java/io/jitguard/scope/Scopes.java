package io.jitguard.scope;

import io.jitguard.model.ArmId;
import io.jitguard.model.InvalidArmIdException;
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

    private static final Pattern GUID = ArmId.GUID;
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
        ArmId id;
        try {
            id = ArmId.parse(resourceId);
        } catch (InvalidArmIdException e) {
            throw e.shape() ? unsupported(resourceId) : new InvalidScopeException(e.getMessage());
        }
        String sub = id.subscription();
        if (!GUID.matcher(sub).matches()) {
            throw new InvalidScopeException("subscription id is not a GUID: " + shown(sub));
        }
        if (id.resourceGroup() == null) {
            if (id.provider() == null) {
                return new SubscriptionScope(sub);
            }
            if (id.isType("Microsoft.Authorization/policyAssignments")) {
                if (!is(id.name(), MonitoringScope.ASSIGNMENT_NAME)) {
                    throw new InvalidScopeException("unsupported scope type: policy assignment " + shown(id.name())
                            + " (only " + MonitoringScope.ASSIGNMENT_NAME + ")");
                }
                return new MonitoringScope(sub);
            }
            throw unsupported(resourceId);
        }
        String rg = resourceGroup(id.resourceGroup());
        if (id.provider() == null) {
            return new ResourceGroupScope(sub, rg);
        }
        if (id.isType("Microsoft.Compute/virtualMachines")) {
            return new VmScope(sub, rg, checked(id.name(), VM_NAME, "virtual machine name"));
        }
        if (id.isType("Microsoft.Security/locations")
                || id.isType("Microsoft.Security/locations/jitNetworkAccessPolicies")) {
            String loc = checked(id.nameOf("locations").orElseThrow(), LOCATION, "location");
            if (id.isType("Microsoft.Security/locations/jitNetworkAccessPolicies")) {
                checked(id.name(), POLICY_NAME, "JIT policy name");
            }
            return new ResourceGroupScope(sub, rg, Optional.of(loc));
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
        // a VM scope covers only itself, and duplicates are gone: only the few wider scopes can cover another, so a
        // burst of thousands of VM events is collapsed in one pass over them, not in a pass per pair
        List<Scope> wider = distinct.values().stream().filter(s -> !(s instanceof VmScope)).toList();
        List<Scope> kept = new ArrayList<>();
        for (Scope candidate : distinct.values()) {
            boolean covered = false;
            for (int j = 0; j < wider.size() && !covered; j++) {
                covered = wider.get(j) != candidate && wider.get(j).covers(candidate);
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
