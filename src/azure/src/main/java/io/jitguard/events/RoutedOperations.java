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

    public static final List<String> ALL =
            List.of(VM_WRITE, VM_DELETE, JIT_POLICY_WRITE, JIT_POLICY_DELETE, ASSIGNMENT_WRITE, ASSIGNMENT_DELETE);

    /** Event types the infra subscribes to. */
    public static final List<String> EVENT_TYPES =
            List.of("Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Resources.ResourceDeleteSuccess");

    private RoutedOperations() {
    }
}
