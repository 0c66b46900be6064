package io.jitguard.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitguard.model.AdminRule;
import io.jitguard.model.ArmId;
import io.jitguard.model.JitPolicy;
import io.jitguard.model.NetworkSecurityGroup;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@link ExposureCheck} needs beyond one VM, indexed once per subscription: the NSGs read (by lower-cased id),
 * the AVNM admin rules by virtual network,
 * when they were read, and per JIT policy (parsed once, on first use) its open requests and when it was last written.
 */
public final class ExposureInputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, NetworkSecurityGroup> nsgs = new HashMap<>();
    private final Instant readAt;
    private final Map<String, PolicyFacts> facts = new ConcurrentHashMap<>();
    private final NsgMemo memo = new NsgMemo();

    /**
     * @param active       requests of the policy still open at {@link #readAt()}
     * @param lastModified {@code systemData.lastModifiedAt} (else {@code createdAt}) when ARM returned it
     */
    public record PolicyFacts(List<PortExposure.ActiveRequest> active, Optional<Instant> lastModified) {
    }

    private final Map<String, List<AdminRule>> adminRules = new HashMap<>();

    public ExposureInputs(List<NetworkSecurityGroup> nsgs, Instant readAt) {
        this(nsgs, readAt, Map.of());
    }

    /** @param adminRules AVNM security admin rules in effect, by virtual network id */
    public ExposureInputs(List<NetworkSecurityGroup> nsgs, Instant readAt, Map<String, List<AdminRule>> adminRules) {
        nsgs.forEach(n -> this.nsgs.putIfAbsent(ArmId.key(n.id()), n));
        adminRules.forEach((vnet, rules) -> this.adminRules.put(ArmId.key(vnet), List.copyOf(rules)));
        this.readAt = readAt;
    }

    /** The admin rules in effect on a virtual network (none when it has none or it is unknown). */
    public List<AdminRule> adminRules(String vnetId) {
        return vnetId == null ? List.of() : adminRules.getOrDefault(ArmId.key(vnetId), List.of());
    }

    public Optional<NetworkSecurityGroup> nsg(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(nsgs.get(ArmId.key(id)));
    }

    /** Answers about these NSGs shared by the subscription's VMs. */
    NsgMemo memo() {
        return memo;
    }

    public Instant readAt() {
        return readAt;
    }

    public PolicyFacts facts(JitPolicy policy) {
        return facts.computeIfAbsent(ArmId.key(policy.id()), k -> parse(policy));
    }

    private PolicyFacts parse(JitPolicy policy) {
        JsonNode doc;
        try {
            doc = policy.json() == null ? JSON.createObjectNode() : JSON.readTree(policy.json());
        } catch (IOException e) {
            doc = JSON.createObjectNode();
        }
        Optional<Instant> modified = Optional.empty();
        for (String field : List.of("lastModifiedAt", "createdAt")) {
            String raw = doc.path("systemData").path(field).asText("");
            if (modified.isEmpty() && !raw.isEmpty()) {
                try {
                    modified = Optional.of(Instant.parse(raw));
                } catch (DateTimeParseException e) {
                    // not a time ARM writes: the age stays unknown
                }
            }
        }
        return new PolicyFacts(PortExposure.activeRequests(doc, readAt), modified);
    }
}
