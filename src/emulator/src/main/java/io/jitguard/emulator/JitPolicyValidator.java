package io.jitguard.emulator;

import static io.jitguard.emulator.ArmHttp.badRequest;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Validates a JIT network access policy PUT ({@code Microsoft.Security/locations/jitNetworkAccessPolicies}, 2020-01-01)
 * the way Defender for Cloud does: the Defender plan, every VM existing in the policy's subscription, resource group
 * and location, the 56-character policy+VM name limit, and each port rule's number, protocol, duration (PT5M–P1D) and
 * source prefix fields. Call with the store locked so validation and the write see the same state.
 */
final class JitPolicyValidator {
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "*");
    private static final Duration MIN_DURATION = Duration.ofMinutes(5);
    private static final Duration MAX_DURATION = Duration.ofDays(1);

    private final ResourceStore store;

    JitPolicyValidator(ResourceStore store) {
        this.store = store;
    }

    /** Throws an {@link ArmHttp.ArmError} naming the first problem; returns the validated {@code properties}. */
    ObjectNode validate(ObjectNode body, String subId, String rg, String location, String name) {
        if (body.hasNonNull("location") && !body.get("location").asText().equalsIgnoreCase(location)) {
            throw badRequest("location '" + body.get("location").asText()
                    + "' does not match the location in the request path '" + location + "'.");
        }
        DefenderPlans.requirePlan2(store, subId);
        JsonNode props = body.get("properties");
        if (props == null || !props.isObject()) {
            throw badRequest("properties is required and must be an object.");
        }
        JsonNode vms = props.get("virtualMachines");
        if (vms == null || !vms.isArray()) {
            throw badRequest("properties.virtualMachines is required and must be an array.");
        }
        for (int v = 0; v < vms.size(); v++) {
            validateVm(vms.get(v), "properties.virtualMachines[" + v + "]", subId, rg, location, name);
        }
        if (props.has("requests") && !props.get("requests").isNull() && !props.get("requests").isArray()) {
            throw badRequest("properties.requests must be an array.");
        }
        return (ObjectNode) props;
    }

    private void validateVm(JsonNode vm, String where, String subId, String rg, String location, String policyName) {
        if (vm == null || !vm.isObject()) {
            throw badRequest(where + " must be an object.");
        }
        if (!vm.hasNonNull("id") || !vm.get("id").isTextual()) {
            throw badRequest(where + ".id is required.");
        }
        String vmId = vm.get("id").asText();
        ObjectNode stored = store.find(vmId);
        if (stored == null || !stored.path("type").asText().equalsIgnoreCase(ArmEmulator.VM_TYPE)) {
            throw badRequest(where + ".id: virtual machine '" + vmId + "' was not found.");
        }
        ArmId parsed = ArmId.parse(vmId);
        if (!parsed.subscription().equalsIgnoreCase(subId) || parsed.resourceGroup() == null
                || !parsed.resourceGroup().equalsIgnoreCase(rg)) {
            throw badRequest(where + ".id: virtual machine '" + vmId + "' must be in subscription '" + subId
                    + "' and resource group '" + rg + "', like the policy.");
        }
        String vmLocation = stored.path("location").asText("");
        if (!vmLocation.equalsIgnoreCase(location)) {
            throw badRequest(where + ".id: virtual machine '" + vmId + "' is in location '" + vmLocation
                    + "', but the policy is for location '" + location + "'.");
        }
        String vmName = parsed.name();
        if (policyName.length() + vmName.length() > 56) {
            throw badRequest(where + ".id: the policy name '" + policyName + "' (" + policyName.length()
                    + " characters) plus the virtual machine name '" + vmName + "' (" + vmName.length()
                    + " characters) exceed 56 characters.");
        }
        JsonNode ports = vm.get("ports");
        if (ports == null || !ports.isArray()) {
            throw badRequest(where + ".ports is required and must be an array.");
        }
        for (int p = 0; p < ports.size(); p++) {
            validatePort(ports.get(p), where + ".ports[" + p + "]");
        }
    }

    static void validatePort(JsonNode port, String where) {
        if (port == null || !port.isObject()) {
            throw badRequest(where + " must be an object.");
        }
        JsonNode number = port.get("number");
        if (number == null || !number.isIntegralNumber() || number.asLong() < 0 || number.asLong() > 65535) {
            throw badRequest(where + ".number must be an integer between 0 and 65535, was " + number + ".");
        }
        JsonNode protocol = port.get("protocol");
        if (protocol == null || !protocol.isTextual() || !PROTOCOLS.contains(protocol.asText())) {
            throw badRequest(where + ".protocol must be one of TCP, UDP, *; was " + protocol + ".");
        }
        JsonNode duration = port.get("maxRequestAccessDuration");
        if (duration == null || !duration.isTextual()) {
            throw badRequest(where + ".maxRequestAccessDuration is required (an ISO-8601 duration such as PT3H).");
        }
        Duration d;
        try {
            d = Duration.parse(duration.asText());
        } catch (DateTimeParseException e) {
            throw badRequest(where + ".maxRequestAccessDuration '" + duration.asText()
                    + "' is not an ISO-8601 duration (e.g. PT3H).");
        }
        if (d.compareTo(MIN_DURATION) < 0 || d.compareTo(MAX_DURATION) > 0) {
            throw badRequest(where + ".maxRequestAccessDuration '" + duration.asText()
                    + "' must be between 5 minutes (PT5M) and 1 day (P1D).");
        }
        JsonNode single = port.get("allowedSourceAddressPrefix");
        JsonNode many = port.get("allowedSourceAddressPrefixes");
        boolean hasSingle = single != null && !single.isNull();
        boolean hasMany = many != null && !many.isNull();
        if (hasSingle && hasMany) {
            throw badRequest(where + ": set allowedSourceAddressPrefix or allowedSourceAddressPrefixes, not both.");
        }
        if (!hasSingle && !hasMany) {
            throw badRequest(where + ": one of allowedSourceAddressPrefix or allowedSourceAddressPrefixes is required.");
        }
        if (hasSingle && (!single.isTextual() || single.asText().isBlank())) {
            throw badRequest(where + ".allowedSourceAddressPrefix must be a non-empty string.");
        }
        if (hasMany) {
            boolean ok = many.isArray() && many.size() > 0;
            if (ok) {
                for (JsonNode n : many) {
                    ok &= n.isTextual() && !n.asText().isBlank();
                }
            }
            if (!ok) {
                throw badRequest(where + ".allowedSourceAddressPrefixes must be a non-empty array of strings.");
            }
        }
    }
}
