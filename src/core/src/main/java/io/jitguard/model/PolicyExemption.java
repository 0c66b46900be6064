package io.jitguard.model;

import java.util.List;

/**
 * A {@code Microsoft.Authorization/policyExemptions} entry as read (reported, never written or deleted).
 *
 * @param policyDefinitionReferenceIds empty when the exemption covers the whole assignment
 * @param expiresOn                    as ARM returned it, null when it never expires
 */
public record PolicyExemption(String id, String name, String policyAssignmentId,
                              List<String> policyDefinitionReferenceIds, String category, String expiresOn) {
    public PolicyExemption {
        policyDefinitionReferenceIds = List.copyOf(policyDefinitionReferenceIds);
    }
}
