package io.jitguard.evaluate;

/**
 * One exposure finding's facts, for the report.
 *
 * @param finding  {@code open} (reachable from the Internet) or {@code no-jit-deny} (Defender's deny rule missing)
 * @param port     the baseline port
 * @param nsgId    the NSG whose rule lets the traffic in (for {@code open}, the last on the path, else the first
 *                 that lacks the deny rule); null when the VM has no NSG
 * @param rule     the allow rule that decides in that NSG; null for {@code no-jit-deny}
 * @param priority its priority; null for {@code no-jit-deny}
 * @param source   its source prefixes, comma-separated; null for {@code no-jit-deny}
 * @param severity {@code HIGH} when a NIC of the VM has a public IP address, else {@code MEDIUM}
 */
public record ExposedPort(String finding, int port, String nsgId, String rule, Integer priority, String source,
                          String severity) {
    public static final String OPEN = "open";
    public static final String NO_JIT_DENY = "no-jit-deny";
}
