package io.jitguard.functions;

import io.jitguard.read.VmCount;
import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.ResourceGroupScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The night's work items, sized from a VM count so that no invocation holds more than about {@code threshold} VMs:
 * <ul>
 * <li>a subscription without VMs: its monitoring effect only;</li>
 * <li>a subscription with at most {@code threshold} VMs: the subscription, one item;</li>
 * <li>a larger one: an item per resource group the count names, and a remainder item for the rest (groups created
 * after the count, groups without VMs) and the subscription's monitoring effect.</li>
 * </ul>
 * The count only sizes the night: every item reads ARM for what it reconciles.
 *
 * @param items what to enqueue, subscriptions in the order given
 * @param notes why a subscription was not planned as the rule says (one line each), for the log
 */
record NightPlan(List<SweepMessage> items, List<String> notes) {
    /** One item per subscription: the plan when no count could be had. */
    static NightPlan perSubscription(List<String> subscriptionIds) {
        return new NightPlan(subscriptionIds.stream().map(SweepMessage::new).toList(), List.of());
    }

    static NightPlan of(List<String> subscriptionIds, List<VmCount> counts, int threshold) {
        Map<String, Map<String, Long>> bySubscription = new LinkedHashMap<>();
        for (VmCount count : counts) {
            bySubscription.computeIfAbsent(count.subscriptionId().toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>())
                    .merge(count.resourceGroup(), count.vms(), Long::sum);
        }
        List<SweepMessage> items = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String sub : subscriptionIds) {
            Map<String, Long> groups = groups(bySubscription.getOrDefault(sub.toLowerCase(Locale.ROOT), Map.of()));
            long vms = groups.values().stream().mapToLong(Long::longValue).sum();
            if (vms == 0) {
                items.add(SweepMessage.of(new MonitoringScope(sub)));
            } else if (vms <= threshold) {
                items.add(new SweepMessage(sub));
            } else {
                split(sub, groups, vms, threshold, items, notes);
            }
        }
        return new NightPlan(List.copyOf(items), List.copyOf(notes));
    }

    private static void split(String sub, Map<String, Long> groups, long vms, int threshold,
                              List<SweepMessage> items, List<String> notes) {
        List<String> named = new ArrayList<>();
        for (String group : groups.keySet()) {
            if (!SweepMessage.isResourceGroupName(sub, group)) {
                notes.add("subscription " + sub + " not split: the count names a resource group jitguard cannot"
                        + " (" + shown(group) + ")");
                items.add(new SweepMessage(sub));
                return;
            }
            named.add(group);
        }
        SweepMessage remainder = SweepMessage.remainder(sub, named);
        if (remainder.toJson().length() > SweepMessage.MAX_CHARS) {
            notes.add("subscription " + sub + " not split: its " + named.size()
                    + " resource groups do not fit one remainder message");
            items.add(new SweepMessage(sub));
            return;
        }
        for (Map.Entry<String, Long> group : groups.entrySet()) {
            items.add(SweepMessage.of(new ResourceGroupScope(sub, group.getKey())));
            if (group.getValue() > threshold) {
                notes.add("resource group " + sub + "/" + group.getKey() + " holds " + group.getValue()
                        + " VMs, more than " + threshold + "; it stays one item");
            }
        }
        items.add(remainder);
        notes.add("subscription " + sub + " split: " + vms + " VMs in " + named.size()
                + " resource group item(s) and a remainder");
    }

    /** Groups named case-insensitively once (Resource Graph may spell one group two ways), in name order. */
    private static Map<String, Long> groups(Map<String, Long> counted) {
        Map<String, String> spelling = new java.util.TreeMap<>();
        Map<String, Long> sums = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : counted.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            spelling.putIfAbsent(key, e.getKey());
            sums.merge(key, e.getValue(), Long::sum);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        spelling.forEach((key, name) -> out.put(name, sums.get(key)));
        return out;
    }

    /** A name from the estate in a log line: controls escaped, cut short. */
    static String shown(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 100; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > 100 ? out + "…" : out.toString();
    }
}
