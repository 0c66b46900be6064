package io.jitguard.events;

import java.util.List;

/** The ARM operation names ({@code data.operationName}) whose events jitguard reconciles. Infra filters on exactly these. */
public final class RoutedOperations {
    public static final String VM_WRITE = "Microsoft.Compute/virtualMachines/write";
    /** A deleted VM: routed to its resource group (the event carries no location), whose read removes its entries. */
    public static final String VM_DELETE = "Microsoft.Compute/virtualMachines/delete";
    public static final String JIT_POLICY_WRITE = "Microsoft.Security/locations/jitNetworkAccessPolicies/write";
    public static final String JIT_POLICY_DELETE = "Microsoft.Security/locations/jitNetworkAccessPolicies/delete";
    public static final String ASSIGNMENT_WRITE = "Microsoft.Authorization/policyAssignments/write";
    public static final String ASSIGNMENT_DELETE = "Microsoft.Authorization/policyAssignments/delete";

    /**
     * Tags written or deleted through the Tags API ({@code <resource id>/providers/Microsoft.Resources/tags/default},
     * what the portal uses) on a VM or a resource group: routed to that VM or group, so a removed or expired exclusion
     * tag is acted on at once. Infra subscribes to these only when tag exclusions are on ({@link #TAG_OPERATIONS}).
     */
    public static final String TAGS_WRITE = "Microsoft.Resources/tags/write";
    public static final String TAGS_DELETE = "Microsoft.Resources/tags/delete";

    /** The operations infra always subscribes to. */
    public static final List<String> ALWAYS =
            List.of(VM_WRITE, VM_DELETE, JIT_POLICY_WRITE, JIT_POLICY_DELETE, ASSIGNMENT_WRITE, ASSIGNMENT_DELETE);
    /** The operations infra adds when {@code JITGUARD_TAG_EXCLUSIONS} is on. */
    public static final List<String> TAG_OPERATIONS = List.of(TAGS_WRITE, TAGS_DELETE);

    /** Every operation the route table routes. */
    public static final List<String> ALL = List.of(VM_WRITE, VM_DELETE, JIT_POLICY_WRITE, JIT_POLICY_DELETE,
            ASSIGNMENT_WRITE, ASSIGNMENT_DELETE, TAGS_WRITE, TAGS_DELETE);

    /** Event types the infra subscribes to. */
    public static final List<String> EVENT_TYPES =
            List.of("Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Resources.ResourceDeleteSuccess");

    private RoutedOperations() {
    }
}
