package io.jitguard.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed ARM resource id: {@code /subscriptions/{sub}[/resourceGroups/{rg}]/providers/{ns}/{type}/{name}[/{type}/{name}...]}.
 */
record ArmId(String subscription, String resourceGroup, String namespace, List<String> types, List<String> names) {

    static ArmId parse(String id) {
        if (id == null || !id.startsWith("/")) {
            throw new IllegalArgumentException("must start with '/subscriptions/'");
        }
        List<String> s = new ArrayList<>();
        for (String part : id.split("/")) {
            if (!part.isEmpty()) {
                s.add(part);
            }
        }
        if (s.size() < 2 || !s.get(0).equalsIgnoreCase("subscriptions")) {
            throw new IllegalArgumentException("must start with '/subscriptions/{subscriptionId}'");
        }
        int i = 2;
        String rg = null;
        if (s.size() > i && s.get(i).equalsIgnoreCase("resourceGroups")) {
            if (s.size() < i + 2) {
                throw new IllegalArgumentException("resourceGroups segment has no name");
            }
            rg = s.get(i + 1);
            i += 2;
        }
        if (s.size() < i + 4 || !s.get(i).equalsIgnoreCase("providers")) {
            throw new IllegalArgumentException("must continue with '/providers/{namespace}/{type}/{name}'");
        }
        String ns = s.get(i + 1);
        List<String> rest = s.subList(i + 2, s.size());
        if (rest.size() % 2 != 0) {
            throw new IllegalArgumentException("has a type segment without a name");
        }
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < rest.size(); k += 2) {
            types.add(rest.get(k));
            names.add(rest.get(k + 1));
        }
        return new ArmId(s.get(1), rg, ns, List.copyOf(types), List.copyOf(names));
    }

    /** e.g. {@code Microsoft.Security/locations/jitNetworkAccessPolicies}. */
    String type() {
        return namespace + "/" + String.join("/", types);
    }

    String name() {
        return names.get(names.size() - 1);
    }

    static String key(String id) {
        String k = id.toLowerCase(Locale.ROOT);
        while (k.endsWith("/") && k.length() > 1) {
            k = k.substring(0, k.length() - 1);
        }
        return k;
    }
}
