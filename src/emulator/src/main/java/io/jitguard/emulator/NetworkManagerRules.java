package io.jitguard.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Azure Virtual Network Manager's effective security admin rules of a virtual network
 * ({@code POST …/virtualNetworks/{vnet}/listNetworkManagerEffectiveSecurityAdminRules}, Microsoft.Network 2024-05-01,
 * body {@code QueryRequestOptions {skipToken}}, answer {@code {value, skipToken}}). From the estate's network manager
 * resources: a rule ({@code networkManagers/securityAdminConfigurations/ruleCollections/rules}, kind {@code Custom})
 * is in effect on a VNet when its rule collection's {@code properties.appliesToGroups[].networkGroupId} names a
 * network group with a static member ({@code networkGroups/{g}/staticMembers/{m}}, {@code properties.resourceId}) that
 * is the VNet. Configurations are taken as deployed (the emulator has no commit step). Each item is
 * {@code EffectiveSecurityAdminRule}: {@code id}, {@code kind}, {@code properties} as stored, and
 * {@code ruleCollectionAppliesToGroups}.
 */
final class NetworkManagerRules {
    static final String RULE_TYPE = "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules";
    static final String COLLECTION_TYPE = "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections";
    static final String MEMBER_TYPE = "Microsoft.Network/networkManagers/networkGroups/staticMembers";

    private NetworkManagerRules() {
    }

    static List<ObjectNode> effective(ResourceStore store, String subscriptionId, String vnetId) {
        String sub = "/subscriptions/" + subscriptionId;
        Set<String> groups = new HashSet<>();
        for (ObjectNode member : store.list(MEMBER_TYPE, sub, null)) {
            if (member.path("properties").path("resourceId").asText().equalsIgnoreCase(vnetId)) {
                String id = member.path("id").asText();
                groups.add(lc(id.substring(0, lc(id).indexOf("/staticmembers/"))));
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        if (groups.isEmpty()) {
            return out;
        }
        for (ObjectNode collection : store.list(COLLECTION_TYPE, sub, null)) {
            ArrayNode applies = ArmHttp.NODES.arrayNode();
            boolean applied = false;
            for (JsonNode g : collection.path("properties").path("appliesToGroups")) {
                applies.addObject().put("networkGroupId", g.path("networkGroupId").asText());
                applied |= groups.contains(lc(g.path("networkGroupId").asText()));
            }
            if (!applied) {
                continue;
            }
            String prefix = lc(collection.path("id").asText()) + "/rules/";
            for (ObjectNode rule : store.list(RULE_TYPE, sub, null)) {
                if (lc(rule.path("id").asText()).startsWith(prefix)) {
                    ObjectNode item = ArmHttp.NODES.objectNode();
                    item.put("id", rule.path("id").asText());
                    item.put("kind", rule.path("kind").asText("Custom"));
                    item.set("properties", rule.path("properties").deepCopy());
                    item.set("ruleCollectionAppliesToGroups", applies.deepCopy());
                    out.add(item);
                }
            }
        }
        return out;
    }

    /** One page from {@code offset} (the request's {@code skipToken}); {@code skipToken} when more remain. */
    static ObjectNode page(List<ObjectNode> items, int offset, int pageSize) {
        ObjectNode body = ArmHttp.NODES.objectNode();
        ArrayNode value = body.putArray("value");
        int end = Math.min(items.size(), offset + pageSize);
        for (int k = offset; k < end; k++) {
            value.add(items.get(k));
        }
        if (end < items.size()) {
            body.put("skipToken", String.valueOf(end));
        }
        return body;
    }

    private static String lc(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
