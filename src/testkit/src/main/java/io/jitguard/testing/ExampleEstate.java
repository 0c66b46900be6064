package io.jitguard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Ids of {@code examples/estate.json} and small readers of reports and policies, shared by the tests. */
public final class ExampleEstate {
    public static final String PROD = "11111111-1111-1111-1111-111111111111";
    public static final String DEV = "22222222-2222-2222-2222-222222222222";
    public static final String SHARED = "33333333-3333-3333-3333-333333333333";
    public static final String TENANT = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    public static final String RG_WEB = "/subscriptions/" + PROD + "/resourceGroups/rg-web";
    public static final String POLICY = RG_WEB + "/providers/Microsoft.Security/locations/westeurope/"
            + "jitNetworkAccessPolicies/default";
    public static final String ASSIGNMENT = "/subscriptions/" + PROD
            + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";

    private ExampleEstate() {
    }

    public static String vmId(String rg, String name) {
        return vmId(PROD, rg, name);
    }

    public static String vmId(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/"
                + name;
    }

    /** {@code number/protocol/duration} of each port rule the policy lists for the VM. */
    public static List<String> ports(JsonNode policy, String vmName) {
        List<String> ports = new ArrayList<>();
        for (JsonNode vm : policy.path("properties").path("virtualMachines")) {
            if (vm.path("id").asText().endsWith("/" + vmName)) {
                vm.path("ports").forEach(p -> ports.add(p.path("number").asInt() + "/" + p.path("protocol").asText()
                        + "/" + p.path("maxRequestAccessDuration").asText()));
            }
        }
        return ports;
    }

    /** The report's status of the VM, or {@code absent}. */
    public static String status(JsonNode report, String vmName) {
        JsonNode vm = vmNamed(report, vmName);
        return vm.isMissingNode() ? "absent" : vm.path("status").asText();
    }

    /** The report's entry of the VM, or a missing node. */
    public static JsonNode vmNamed(JsonNode report, String vmName) {
        for (JsonNode vm : report.path("vms")) {
            if (vm.path("id").asText().endsWith("/" + vmName)) {
                return vm;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
