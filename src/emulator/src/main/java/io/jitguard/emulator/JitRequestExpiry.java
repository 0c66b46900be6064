package io.jitguard.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.PriorityQueue;

/**
 * What Defender does when an approved JIT request's time is up: the allow rule it wrote for each VM and port is
 * removed from the NSG, and the request's port is recorded {@code Revoked} with {@code statusReason} {@code Expired}
 * (the values of {@code JitNetworkAccessRequestPort} in the Microsoft.Security 2020-01-01 specification). Done lazily:
 * before the emulator answers a request, whatever has ended by the emulator's clock is closed. Only requests initiated
 * through the emulator are tracked; requests an estate file brings are left as written.
 */
final class JitRequestExpiry {
    private record Due(Instant end, String policyId, String startTimeUtc, DefenderJitRules.Opened opened) {
    }

    private final ResourceStore store;
    private final PriorityQueue<Due> pending = new PriorityQueue<>(java.util.Comparator.comparing(Due::end));
    /** The earliest end pending, read without the store's lock so a request with nothing due pays nothing. */
    private volatile Instant next;

    JitRequestExpiry(ResourceStore store) {
        this.store = store;
    }

    /** Tracks the allow rules {@code opened} for {@code request} of policy {@code policyId}. The caller holds the store. */
    void track(String policyId, JsonNode request, List<DefenderJitRules.Opened> opened) {
        String start = request.path("startTimeUtc").asText();
        for (DefenderJitRules.Opened o : opened) {
            Instant end = endOf(request, o);
            if (end != null) {
                pending.add(new Due(end, policyId, start, o));
            }
        }
        next = pending.isEmpty() ? null : pending.peek().end();
    }

    /** Closes every request port that has ended by {@code now}. */
    void closeEnded(Instant now) {
        Instant first = next;
        if (first == null || now.isBefore(first)) {
            return;
        }
        synchronized (store) {
            while (!pending.isEmpty() && !now.isBefore(pending.peek().end())) {
                Due due = pending.poll();
                DefenderJitRules.close(store, due.opened());
                markRevoked(due);
            }
            next = pending.isEmpty() ? null : pending.peek().end();
        }
    }

    private void markRevoked(Due due) {
        ObjectNode stored = store.find(due.policyId());
        if (stored == null) {
            return;
        }
        ObjectNode policy = stored.deepCopy();
        boolean changed = false;
        for (JsonNode request : policy.path("properties").path("requests")) {
            if (!request.path("startTimeUtc").asText().equals(due.startTimeUtc())) {
                continue;
            }
            for (JsonNode vm : request.path("virtualMachines")) {
                if (!vm.path("id").asText().equalsIgnoreCase(due.opened().vmId())) {
                    continue;
                }
                for (JsonNode port : vm.path("ports")) {
                    if (port.path("number").asText().equals(due.opened().port())
                            && port.path("status").asText().equals("Initiated")) {
                        ((ObjectNode) port).put("status", "Revoked").put("statusReason", "Expired");
                        changed = true;
                    }
                }
            }
        }
        if (changed) {
            store.put(policy);
        }
    }

    private static Instant endOf(JsonNode request, DefenderJitRules.Opened o) {
        for (JsonNode vm : request.path("virtualMachines")) {
            if (vm.path("id").asText().equalsIgnoreCase(o.vmId())) {
                for (JsonNode port : vm.path("ports")) {
                    if (port.path("number").asText().equals(o.port())) {
                        try {
                            return Instant.parse(port.path("endTimeUtc").asText());
                        } catch (java.time.format.DateTimeParseException e) {
                            return null;
                        }
                    }
                }
            }
        }
        return null;
    }
}
