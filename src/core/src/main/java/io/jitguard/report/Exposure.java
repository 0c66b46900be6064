package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A VM's exposure: each baseline port open from the Internet ({@code open}) or without Defender's JIT deny rule
 * ({@code no-jit-deny}), and notes (ports open for an approved JIT request, NSGs not read).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"ports", "notes"})
public record Exposure(List<Port> ports, List<String> notes) {
    public Exposure {
        ports = List.copyOf(ports);
        notes = List.copyOf(notes);
    }

    /**
     * @param finding  {@code open} or {@code no-jit-deny}
     * @param nsg      the NSG's resource id
     * @param rule     the allow rule that lets the traffic in (for {@code open})
     * @param priority its priority
     * @param source   its source prefixes
     * @param severity {@code HIGH} (a NIC has a public IP) or {@code MEDIUM}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"finding", "port", "nsg", "rule", "priority", "source", "severity"})
    public record Port(String finding, int port, String nsg, String rule, Integer priority, String source,
                       String severity) {
        /** e.g. {@code 22 open via nsg-web/allow-ssh (300, Internet) HIGH}. */
        public String text() {
            String nsgName = nsg == null ? "?" : nsg.substring(nsg.lastIndexOf('/') + 1);
            return "no-jit-deny".equals(finding) ? port + " without JIT deny rule on " + nsgName + " " + severity
                    : port + " open via " + nsgName + "/" + rule + " (" + priority + ", " + source + ") " + severity;
        }
    }

    @JsonIgnore
    public boolean isEmpty() {
        return ports.isEmpty() && notes.isEmpty();
    }

    /** The highest severity of its ports, or null when none. */
    @JsonIgnore
    public String severity() {
        return ports.stream().anyMatch(p -> "HIGH".equals(p.severity())) ? "HIGH"
                : ports.isEmpty() ? null : "MEDIUM";
    }

    /** One line: {@code exposed: 22 open via …; 3389 …}. */
    @JsonIgnore
    public String summary() {
        return ports.stream().map(Port::text).collect(Collectors.joining("; "));
    }
}
