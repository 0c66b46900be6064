package io.jitguard.model;

import java.util.List;

/**
 * A {@code Microsoft.Authorization/policyExemptions} entry as read (reported, never written or deleted).
 *
 * @param policyDefinitionReferenceIds empty when the exemption covers the whole assignment
 * @param expiresOn                    as ARM returned it, null when it never expires
 * @param resourceSelectors            narrow what the exemption exempts; empty when it has none
 */
public record PolicyExemption(String id, String name, String policyAssignmentId,
                              List<String> policyDefinitionReferenceIds, String category, String expiresOn,
                              List<ResourceSelector> resourceSelectors) {
    public PolicyExemption {
        policyDefinitionReferenceIds = List.copyOf(policyDefinitionReferenceIds);
        resourceSelectors = resourceSelectors == null ? List.of() : List.copyOf(resourceSelectors);
    }

    public PolicyExemption(String id, String name, String policyAssignmentId,
                           List<String> policyDefinitionReferenceIds, String category, String expiresOn) {
        this(id, name, policyAssignmentId, policyDefinitionReferenceIds, category, expiresOn, List.of());
    }
}
