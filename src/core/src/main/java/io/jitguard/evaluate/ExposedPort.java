package io.jitguard.evaluate;

import java.math.BigInteger;

/**
 * One exposure finding's facts, for the report.
 *
 * @param finding   {@code open} (a public source reaches the port) or {@code no-jit-deny} (internal only: no Defender
 *                  JIT deny rule for this VM and internal sources reach the port)
 * @param port      the baseline port
 * @param nsgId     the NSG whose rule lets the traffic in (for {@code open} the last NSG on the path, or the AVNM rule
 *                  collection of an {@code AlwaysAllow} admin rule; for {@code no-jit-deny} the NIC's NSG if it has
 *                  one, else the subnet's); null when the VM has no NSG
 * @param rule      the allow rule that decides; null for {@code no-jit-deny}
 * @param priority  its priority; null for {@code no-jit-deny}
 * @param source    its source prefixes, comma-separated; null for {@code no-jit-deny}
 * @param severity  {@code open}: {@code HIGH} when the NIC has a public IP address, else {@code MEDIUM};
 *                  {@code no-jit-deny}: {@code LOW}
 * @param block     {@code open}: the public sources that reach, e.g. {@code 0.0.0.0/0 minus 1.0.0.0/8}; else null
 * @param addresses {@code open}: how many public addresses reach; else null
 * @param sources   {@code no-jit-deny}: the internal sources that reach ({@code VirtualNetwork, AzureLoadBalancer});
 *                  else null
 */
public record ExposedPort(String finding, int port, String nsgId, String rule, Integer priority, String source,
                          String severity, String block, BigInteger addresses, String sources) {
    public static final String OPEN = "open";
    public static final String NO_JIT_DENY = "no-jit-deny";

    public ExposedPort(String finding, int port, String nsgId, String rule, Integer priority, String source,
                       String severity) {
        this(finding, port, nsgId, rule, priority, source, severity, null, null, null);
    }
}
