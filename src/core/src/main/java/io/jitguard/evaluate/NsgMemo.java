package io.jitguard.evaluate;

import io.jitguard.model.ArmId;
import io.jitguard.model.NetworkSecurityGroup;
import io.jitguard.model.SecurityRule;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers about one subscription's NSGs, computed once per NSG and question: the deciding rule for Internet traffic
 * to a port ({@link InboundReachability#deciding}) and whether the NSG holds a Defender JIT deny rule for a port
 * ({@link PortExposure#hasJitDeny}). Both depend only on the NSG's rules and the question, not on the VM, so VMs that
 * share an NSG (thousands behind one subnet NSG, each adding its own Defender deny rules) do not rescan its rules.
 * NSGs are told apart by id (case-insensitive): one instance holds the NSGs of one read.
 */
public final class NsgMemo {
    private record DecidingKey(String nsg, Set<String> asgs, int port, String protocol, int widest) {
    }

    private record DenyKey(String nsg, int port) {
    }

    private final ConcurrentHashMap<DecidingKey, Optional<SecurityRule>> deciding = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<DenyKey, Boolean> deny = new ConcurrentHashMap<>();

    Optional<SecurityRule> deciding(NetworkSecurityGroup nsg, Set<String> nicAsgIds, int port, String protocol,
                                    int widest) {
        return deciding.computeIfAbsent(new DecidingKey(ArmId.key(nsg.id()), nicAsgIds, port, protocol, widest),
                k -> InboundReachability.deciding(nsg, nicAsgIds, port, protocol, widest));
    }

    boolean hasJitDeny(NetworkSecurityGroup nsg, int port) {
        return deny.computeIfAbsent(new DenyKey(ArmId.key(nsg.id()), port),
                k -> PortExposure.hasJitDeny(nsg, port));
    }
}
