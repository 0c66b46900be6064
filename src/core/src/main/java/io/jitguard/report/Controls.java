package io.jitguard.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitguard.model.SameInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which controls a finding evidences: read once from {@code controls.json} beside this class, whose every row names the
 * Azure Policy initiative file and commit it was read from (a test checks each control id against an extract of those
 * initiatives).
 *
 * <ul>
 *   <li>{@link #JIT}: a VM that is not (fully) protected by a JIT policy: the controls the initiatives map the built-in
 *   policy "Management ports of virtual machines should be protected with just-in-time network access control" to.</li>
 *   <li>{@link #EXPOSED_RDP} / {@link #EXPOSED_SSH}: TCP 3389 / 22 reachable from the Internet: CIS Microsoft Azure
 *   Foundations 6.1 / 6.2.</li>
 * </ul>
 */
public final class Controls {
    public static final String JIT = "jit";
    public static final String EXPOSED_RDP = "exposed-rdp";
    public static final String EXPOSED_SSH = "exposed-ssh";
    static final String RESOURCE = "controls.json";

    private static final Map<String, List<Control>> BY_EVIDENCE = load();
    /** {@link #union}'s lists by their kinds of evidence: at most one per subset of the mapping's kinds. */
    private static final Map<List<String>, List<Control>> UNIONS = new java.util.concurrent.ConcurrentHashMap<>();
    /** The kinds of evidence of each list {@link #union} made, by the list instance (not its every control). */
    private static final Map<SameInstance<Collection<Control>>, List<String>> EVIDENCE = new java.util.concurrent.ConcurrentHashMap<>();

    private Controls() {
    }

    /** The controls of one kind of evidence ({@link #JIT}, {@link #EXPOSED_RDP}, {@link #EXPOSED_SSH}). */
    public static List<Control> of(String evidence) {
        List<Control> controls = BY_EVIDENCE.get(evidence);
        if (controls == null) {
            throw new IllegalArgumentException("no controls are mapped for evidence " + evidence);
        }
        return controls;
    }

    /** The evidence a port reachable from the Internet gives, or null when no control names that port. */
    public static String exposedPort(int port) {
        return switch (port) {
            case 3389 -> EXPOSED_RDP;
            case 22 -> EXPOSED_SSH;
            default -> null;
        };
    }

    /**
     * The controls of all these kinds of evidence, each once, in the order of the mapping. The same kinds give the same
     * list instance, so 10,000 VM findings share a handful of lists ({@link #evidenceOf} then finds them cached).
     */
    public static List<Control> union(Collection<String> evidence) {
        List<String> kinds = new ArrayList<>();
        for (String e : BY_EVIDENCE.keySet()) {
            if (evidence.contains(e)) {
                kinds.add(e);
            }
        }
        return UNIONS.computeIfAbsent(List.copyOf(kinds), k -> {
            Set<Control> all = new LinkedHashSet<>();
            k.forEach(e -> all.addAll(BY_EVIDENCE.get(e)));
            List<Control> union = List.copyOf(all);
            EVIDENCE.putIfAbsent(new SameInstance<Collection<Control>>(union), List.copyOf(evidenceIn(union)));
            return union;
        });
    }

    /** The kinds of evidence whose every control is among {@code controls}, in the mapping's order. */
    public static List<String> evidenceOf(Collection<Control> controls) {
        List<String> known = EVIDENCE.get(new SameInstance<>(controls));
        return known != null ? known : evidenceIn(controls);
    }

    private static List<String> evidenceIn(Collection<Control> controls) {
        Set<Control> present = controls instanceof Set<Control> set ? set : new java.util.HashSet<>(controls);
        List<String> evidence = new ArrayList<>();
        BY_EVIDENCE.forEach((e, cs) -> {
            if (!cs.isEmpty() && present.containsAll(cs)) {
                evidence.add(e);
            }
        });
        return evidence;
    }

    /** Every kind of evidence the mapping knows. */
    public static Set<String> evidence() {
        return BY_EVIDENCE.keySet();
    }

    private static Map<String, List<Control>> load() {
        try (InputStream in = Controls.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            JsonNode rows = new ObjectMapper().readTree(in).path("controls");
            Map<String, List<Control>> byEvidence = new LinkedHashMap<>();
            for (JsonNode row : rows) {
                byEvidence.computeIfAbsent(row.path("evidence").asText(), k -> new ArrayList<>()).add(new Control(
                        row.path("standard").asText(), row.path("control").asText(), row.path("label").asText(),
                        row.path("initiative").asText()));
            }
            byEvidence.replaceAll((k, v) -> List.copyOf(v));
            return Collections.unmodifiableMap(byEvidence);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
    }
}
