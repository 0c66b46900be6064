package io.jitguard.model;

import java.util.List;
import java.util.Map;

/**
 * A virtual machine as read from ARM.
 *
 * @param id      full resource id, as ARM returned it
 * @param classic true for {@code Microsoft.ClassicCompute/virtualMachines} (JIT cannot protect those)
 * @param nicIds  ids of its network interfaces
 * @param osType  {@code properties.storageProfile.osDisk.osType} ({@code Linux}, {@code Windows}), null when unknown
 * @param timeCreated {@code properties.timeCreated}, null when ARM did not say
 */
public record Vm(String id, String name, String subscriptionId, String resourceGroup, String location,
                 Map<String, String> tags, boolean classic, List<String> nicIds, String osType,
                 java.time.Instant timeCreated) {
    public Vm {
        tags = Map.copyOf(tags);
        nicIds = List.copyOf(nicIds);
    }

    public Vm(String id, String name, String subscriptionId, String resourceGroup, String location,
              Map<String, String> tags, boolean classic, List<String> nicIds) {
        this(id, name, subscriptionId, resourceGroup, location, tags, classic, nicIds, null);
    }

    public Vm(String id, String name, String subscriptionId, String resourceGroup, String location,
              Map<String, String> tags, boolean classic, List<String> nicIds, String osType) {
        this(id, name, subscriptionId, resourceGroup, location, tags, classic, nicIds, osType, null);
    }

    /** {@link #id()} as an {@link ArmId}. */
    public ArmId armId() {
        return ArmId.parse(id);
    }
}
