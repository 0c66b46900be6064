package io.jitguard.emulator;

import static io.jitguard.emulator.ArmHttp.badRequest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JIT access request ({@code JitNetworkAccessPolicies_Initiate}, 2020-01-01): validates a
 * {@code JitNetworkAccessPolicyInitiateRequest} against the policy and builds the {@code JitNetworkAccessRequest}
 * Defender records. Every VM and port must be in the policy; {@code endTimeUtc} must lie after now and no later than
 * the port's {@code maxRequestAccessDuration} from now; {@code allowedSourceAddressPrefix} is required (Azure would
 * take the caller's address when it is omitted; the emulator's callers are all loopback) and, where the policy names
 * its allowed sources, must be one of them.
 */
final class JitInitiate {
    private JitInitiate() {
    }

    /** Throws an {@link ArmHttp.ArmError} naming the first problem; returns the request to append to the policy. */
    static ObjectNode request(ObjectNode policy, ObjectNode body, Instant now, String requestor) {
        JsonNode vms = body.get("virtualMachines");
        if (vms == null || !vms.isArray() || vms.isEmpty()) {
            throw badRequest("virtualMachines is required and must be a non-empty array.");
        }
        ObjectNode request = ArmHttp.NODES.objectNode();
        ArrayNode outVms = request.putArray("virtualMachines");
        for (int v = 0; v < vms.size(); v++) {
            String where = "virtualMachines[" + v + "]";
            JsonNode vm = vms.get(v);
            if (!vm.path("id").isTextual()) {
                throw badRequest(where + ".id is required.");
            }
            String vmId = vm.get("id").asText();
            JsonNode policyVm = policyVm(policy, vmId);
            if (policyVm == null) {
                throw badRequest(where + ".id '" + vmId + "' is not a virtual machine of policy '"
                        + policy.path("name").asText() + "'.");
            }
            JsonNode ports = vm.get("ports");
            if (ports == null || !ports.isArray() || ports.isEmpty()) {
                throw badRequest(where + ".ports is required and must be a non-empty array.");
            }
            ObjectNode outVm = outVms.addObject().put("id", vmId);
            ArrayNode outPorts = outVm.putArray("ports");
            for (int p = 0; p < ports.size(); p++) {
                outPorts.add(port(ports.get(p), where + ".ports[" + p + "]", policyVm, vmId, now));
            }
        }
        request.put("startTimeUtc", now.toString());
        request.put("requestor", requestor);
        if (body.path("justification").isTextual()) {
            request.put("justification", body.get("justification").asText());
        }
        return request;
    }

    private static ObjectNode port(JsonNode port, String where, JsonNode policyVm, String vmId, Instant now) {
        JsonNode number = port.get("number");
        if (number == null || !number.isIntegralNumber()) {
            throw badRequest(where + ".number is required and must be an integer.");
        }
        JsonNode policyPort = null;
        for (JsonNode pp : policyVm.path("ports")) {
            if (pp.path("number").asLong() == number.asLong()) {
                policyPort = pp;
            }
        }
        if (policyPort == null) {
            throw badRequest(where + ".number " + number.asLong() + " is not a port of the policy for VM '" + vmId + "'.");
        }
        JsonNode end = port.get("endTimeUtc");
        if (end == null || !end.isTextual()) {
            throw badRequest(where + ".endTimeUtc is required (a UTC date-time).");
        }
        Instant endTime;
        try {
            endTime = Instant.parse(end.asText());
        } catch (DateTimeParseException e) {
            throw badRequest(where + ".endTimeUtc '" + end.asText() + "' is not a UTC date-time.");
        }
        Duration max = Duration.parse(policyPort.path("maxRequestAccessDuration").asText("PT3H"));
        if (!endTime.isAfter(now) || endTime.isAfter(now.plus(max))) {
            throw badRequest(where + ".endTimeUtc '" + end.asText() + "' must be after now (" + now
                    + ") and no later than the port's maxRequestAccessDuration " + max + " from now.");
        }
        JsonNode source = port.get("allowedSourceAddressPrefix");
        if (source == null || !source.isTextual() || source.asText().isBlank()) {
            throw badRequest(where + ".allowedSourceAddressPrefix is required by this emulator (an IP address or CIDR).");
        }
        if (!allowedByPolicy(policyPort, source.asText())) {
            throw badRequest(where + ".allowedSourceAddressPrefix '" + source.asText()
                    + "' is not among the sources the policy allows for port " + number.asLong() + ".");
        }
        ObjectNode out = ArmHttp.NODES.objectNode();
        out.put("number", number.asInt());
        out.put("allowedSourceAddressPrefix", source.asText());
        out.put("endTimeUtc", endTime.toString());
        out.put("status", "Initiated");
        out.put("statusReason", "UserRequested");
        return out;
    }

    private static JsonNode policyVm(ObjectNode policy, String vmId) {
        for (JsonNode vm : policy.path("properties").path("virtualMachines")) {
            if (vm.path("id").asText().equalsIgnoreCase(vmId)) {
                return vm;
            }
        }
        return null;
    }

    private static boolean allowedByPolicy(JsonNode policyPort, String source) {
        JsonNode single = policyPort.get("allowedSourceAddressPrefix");
        if (single != null && single.isTextual()) {
            return single.asText().equals("*") || single.asText().equals(source);
        }
        for (JsonNode n : policyPort.path("allowedSourceAddressPrefixes")) {
            if (n.asText().equals("*") || n.asText().equals(source)) {
                return true;
            }
        }
        return false;
    }
}
