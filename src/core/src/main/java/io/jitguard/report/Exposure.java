package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A VM's exposure: each baseline port open from the Internet ({@code open}) or reached by internal sources without
 * this VM's Defender JIT deny rule ({@code no-jit-deny}), and notes (ports open for an approved JIT request, NSGs not read).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"ports", "notes"})
public record Exposure(List<Port> ports, List<String> notes) {
    public Exposure {
        ports = List.copyOf(ports);
        notes = List.copyOf(notes);
    }

    /**
     * @param finding   {@code open} (a public source reaches) or {@code no-jit-deny} (internal only: this VM's JIT
     *                  deny rule is missing and internal sources reach)
     * @param nsg       the NSG's resource id (for an AVNM {@code AlwaysAllow} rule: its rule collection's id)
     * @param rule      the allow rule that lets the traffic in (for {@code open})
     * @param priority  its priority
     * @param source    its source prefixes
     * @param severity  {@code HIGH} (the NIC has a public IP) or {@code MEDIUM} for {@code open}; {@code LOW} for
     *                  {@code no-jit-deny}
     * @param block     for {@code open}: the public sources that reach, e.g. {@code 0.0.0.0/0 minus 1.0.0.0/8}
     * @param addresses for {@code open}: how many public addresses reach
     * @param sources   for {@code no-jit-deny}: the internal sources that reach
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"finding", "port", "nsg", "rule", "priority", "source", "severity", "block", "addresses",
            "sources"})
    public record Port(String finding, int port, String nsg, String rule, Integer priority, String source,
                       String severity, String block, java.math.BigInteger addresses, String sources) {
        public Port(String finding, int port, String nsg, String rule, Integer priority, String source,
                    String severity) {
            this(finding, port, nsg, rule, priority, source, severity, null, null, null);
        }

        /** e.g. {@code 22 open via nsg-web/allow-ssh (300, Internet) from 0.0.0.0/0 minus 1.0.0.0/8 HIGH}. */
        public String text() {
            String nsgName = nsg == null ? "?" : nsg.substring(nsg.lastIndexOf('/') + 1);
            if ("no-jit-deny".equals(finding)) {
                return port + " internal only: JIT deny rule missing on " + nsgName
                        + (sources == null ? "" : " (reached from " + sources + ")") + " " + severity;
            }
            return port + " open via " + nsgName + "/" + rule + " (" + priority + ", " + source + ")"
                    + (block == null ? "" : " from " + block) + " " + severity;
        }
    }

    @JsonIgnore
    public boolean isEmpty() {
        return ports.isEmpty() && notes.isEmpty();
    }

    /** The highest severity of its ports ({@code HIGH}, {@code MEDIUM}, {@code LOW}), or null when none. */
    @JsonIgnore
    public String severity() {
        for (String level : List.of("HIGH", "MEDIUM", "LOW")) {
            if (ports.stream().anyMatch(p -> level.equals(p.severity()))) {
                return level;
            }
        }
        return ports.isEmpty() ? null : "MEDIUM";
    }

    /** One line: {@code exposed: 22 open via …; 3389 …}. */
    @JsonIgnore
    public String summary() {
        return ports.stream().map(Port::text).collect(Collectors.joining("; "));
    }
}
