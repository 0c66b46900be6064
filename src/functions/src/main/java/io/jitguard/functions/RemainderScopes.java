package io.jitguard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmOperation;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.Scope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the remainder of a split subscription reconciles: the subscription's monitoring effect and every resource group
 * ARM lists now but the plan did not name, so a group created after Resource Graph was asked (or one Resource Graph
 * had not indexed yet) is not left out of the night.
 */
final class RemainderScopes {
    private RemainderScopes() {
    }

    /** @throws io.jitguard.arm.ArmException when ARM's resource group list cannot be read */
    static List<Scope> of(Arm arm, SweepMessage remainder) {
        String sub = remainder.subscriptionId();
        Set<String> named = new HashSet<>();
        remainder.except().forEach(g -> named.add(g.toLowerCase(Locale.ROOT)));
        List<Scope> scopes = new ArrayList<>();
        scopes.add(new MonitoringScope(sub));
        for (JsonNode group : arm.list(ArmOperation.LIST_RESOURCE_GROUPS, ArmOperation.LIST_RESOURCE_GROUPS.path(sub))) {
            String name = group.path("name").asText("");
            if (!named.contains(name.toLowerCase(Locale.ROOT)) && SweepMessage.isResourceGroupName(sub, name)) {
                scopes.add(new ResourceGroupScope(sub, name));
            }
        }
        return scopes;
    }
}
