package io.jitguard.evaluate;

import io.jitguard.model.ResourceSelector;
import io.jitguard.model.Vm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which VMs a policy assignment's (or an exemption's) {@code resourceSelectors} select, after the assignment
 * structure docs: no resource selector selects everything; otherwise a VM is selected when it meets every selector
 * of at least one resource selector. Kinds: {@code resourceLocation} (the VM's location), {@code resourceType}
 * ({@code Microsoft.Compute/virtualMachines}, or {@code Microsoft.ClassicCompute/virtualMachines}),
 * {@code resourceWithoutLocation} (only {@code subscriptionLevelResources}, which a VM never is); each with {@code in}
 * or {@code notIn}. A kind this code does not know is not taken to select the VM: the VM is reported as left out
 * rather than assumed audited. Pure.
 */
public final class ResourceSelectors {
    public static final String RESOURCE_LOCATION = "resourceLocation";
    public static final String RESOURCE_TYPE = "resourceType";
    public static final String RESOURCE_WITHOUT_LOCATION = "resourceWithoutLocation";
    static final String VM_TYPE = "Microsoft.Compute/virtualMachines";
    static final String CLASSIC_VM_TYPE = "Microsoft.ClassicCompute/virtualMachines";

    private ResourceSelectors() {
    }

    /** True when {@code selectors} (empty: none) leave {@code vm} in. */
    public static boolean selects(List<ResourceSelector> selectors, Vm vm) {
        if (selectors.isEmpty()) {
            return true;
        }
        return selectors.stream().anyMatch(rs -> rs.selectors().stream().allMatch(s -> matches(s, vm)));
    }

    static boolean matches(ResourceSelector.Selector s, Vm vm) {
        String value;
        if (s.kind().equalsIgnoreCase(RESOURCE_LOCATION)) {
            value = normalize(vm.location());
        } else if (s.kind().equalsIgnoreCase(RESOURCE_TYPE)) {
            value = normalize(vm.classic() ? CLASSIC_VM_TYPE : VM_TYPE);
        } else if (s.kind().equalsIgnoreCase(RESOURCE_WITHOUT_LOCATION)) {
            value = normalize("locatedResource"); // a VM has a location: never subscriptionLevelResources
        } else {
            return false;
        }
        if (s.in() != null) {
            return s.in().stream().anyMatch(v -> normalize(v).equals(value));
        }
        if (s.notIn() != null) {
            return s.notIn().stream().noneMatch(v -> normalize(v).equals(value));
        }
        return true;
    }

    /** In words, for a report: {@code resourceLocation in [eastus]; resourceType notIn [...]}. */
    public static String describe(ResourceSelector rs) {
        List<String> parts = new ArrayList<>();
        for (ResourceSelector.Selector s : rs.selectors()) {
            parts.add(s.kind() + (s.in() != null ? " in " + s.in() : s.notIn() != null ? " notIn " + s.notIn() : ""));
        }
        return (rs.name() == null ? "" : rs.name() + ": ") + String.join(" and ", parts);
    }

    /** Locations compare without case or spaces ({@code West Europe} = {@code westeurope}). */
    static String normalize(String v) {
        return v == null ? "" : v.replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
