package io.jitguard.plan;

import io.jitguard.model.JitPolicyJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.World;
import io.jitguard.baseline.Baseline;
import io.jitguard.evaluate.PolicyNaming;
import io.jitguard.evaluate.RuleCheck;
import io.jitguard.model.JitVm;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The merge invariants, over random policy documents and baselines. */
class PolicyMergeProperties {
    private static final int TRIES = 200;

    @Provide
    Arbitrary<ObjectNode> documents() {
        return Generators.policyDocument();
    }

    @Provide
    Arbitrary<Baseline> baselines() {
        return Generators.baseline();
    }

    @Provide
    Arbitrary<List<String>> vmIds() {
        return Generators.writeVmIds();
    }

    private static PolicyWrite write(List<String> vmIds) {
        return new PolicyWrite(PolicyNaming.policyId(World.SUB, World.RG, World.LOC, "default"), World.SUB,
                World.RG, World.LOC, "default", false, vmIds);
    }

    @Property(tries = TRIES)
    void nothingIsLost(@ForAll("documents") ObjectNode doc, @ForAll("baselines") Baseline baseline,
                       @ForAll("vmIds") List<String> vmIds) {
        ObjectNode input = doc.deepCopy();
        MergeResult r = PolicyMerge.merge(doc, write(vmIds), baseline);
        assertThat(doc).as("the document as read is not modified").isEqualTo(input);
        kept(input, r.document(), "");
    }

    /**
     * Every value of {@code in} is in {@code out}, except read-only fields and the two fields a fix may tighten.
     * Plain checks rather than AssertJ: this walks every node of every try.
     */
    private static void kept(JsonNode in, JsonNode out, String path) {
        if (in.isObject()) {
            check(out.isObject(), path, "is no longer an object");
            Iterator<Map.Entry<String, JsonNode>> it = in.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                String p = path + "/" + k;
                if (path.isEmpty() && PolicyMerge.READ_ONLY_TOP_LEVEL.contains(k)
                        || p.equals("/properties/provisioningState")
                        || isRule(path) && (k.equals(JitPolicyJson.DURATION) || k.equals(JitPolicyJson.PREFIX)
                        || k.equals(JitPolicyJson.PREFIXES))) {
                    continue;
                }
                check(out.has(k), p, "was lost");
                kept(e.getValue(), out.get(k), p);
            }
        } else if (in.isArray()) {
            check(out.isArray(), path, "is no longer an array");
            boolean growable = path.equals("/properties/virtualMachines") || isPorts(path);
            check(growable ? out.size() >= in.size() : out.size() == in.size(), path, "lost elements");
            for (int i = 0; i < in.size(); i++) {
                kept(in.get(i), out.get(i), path + "/" + i);
            }
        } else {
            check(out.equals(in), path, "changed from " + in + " to " + out);
        }
    }

    private static void check(boolean ok, String path, String problem) {
        if (!ok) {
            throw new AssertionError(path + " " + problem);
        }
    }

    private static final java.util.regex.Pattern RULE =
            java.util.regex.Pattern.compile("/properties/virtualMachines/\\d+/ports/\\d+");
    private static final java.util.regex.Pattern PORTS =
            java.util.regex.Pattern.compile("/properties/virtualMachines/\\d+/ports");

    private static boolean isPorts(String path) {
        return PORTS.matcher(path).matches();
    }

    private static boolean isRule(String path) {
        return RULE.matcher(path).matches();
    }

    @Property(tries = TRIES)
    void nothingIsLoosened(@ForAll("documents") ObjectNode doc, @ForAll("baselines") Baseline baseline,
                           @ForAll("vmIds") List<String> vmIds) {
        ObjectNode out = PolicyMerge.merge(doc, write(vmIds), baseline).document();
        JsonNode inVms = doc.at("/properties/virtualMachines");
        JsonNode outVms = out.at("/properties/virtualMachines");
        for (int i = 0; i < outVms.size(); i++) {
            JsonNode outVm = outVms.get(i);
            JsonNode inPorts = i < inVms.size() ? inVms.get(i).get("ports") : null;
            if (inPorts == null) {
                assertThat(vmIds).as("only VMs of the write are added").contains(outVm.get("id").asText());
            }
            JsonNode outPorts = outVm.get("ports");
            for (int j = 0; j < outPorts.size(); j++) {
                JsonNode o = outPorts.get(j);
                assertThat(o.has(JitPolicyJson.PREFIX) ^ o.has(JitPolicyJson.PREFIXES))
                        .as("exactly one source field").isTrue();
                if (inPorts == null || j >= inPorts.size()) {
                    assertThat(JitPolicyJson.parseRule(o)).contains(
                            RuleCheck.baselineRule(o.get("number").asInt(), baseline));
                    continue;
                }
                JsonNode in = inPorts.get(j);
                Duration din = JitPolicyJson.duration(in.get(JitPolicyJson.DURATION));
                Duration dout = JitPolicyJson.duration(o.get(JitPolicyJson.DURATION));
                assertThat(dout).isNotNull();
                assertThat(dout).as("duration never longer").isLessThanOrEqualTo(din);
                if (!dout.equals(din)) {
                    assertThat(dout).isEqualTo(baseline.maxDuration());
                } else {
                    assertThat(o.get(JitPolicyJson.DURATION)).as("untouched spelling")
                            .isEqualTo(in.get(JitPolicyJson.DURATION));
                }
                List<String> sin = JitPolicyJson.sources(in);
                List<String> sout = JitPolicyJson.sources(o);
                if (!sout.equals(sin)) {
                    assertThat(RuleCheck.allowsAny(sin)).as("only * is narrowed").isTrue();
                    assertThat(baseline.anySource()).isFalse();
                    assertThat(sout).isEqualTo(baseline.sourcePrefixes());
                }
                assertThat(o.get("protocol")).isEqualTo(in.get("protocol"));
                assertThat(o.get("number")).isEqualTo(in.get("number"));
            }
        }
    }

    @Property(tries = TRIES)
    void everyVmOfTheWriteIsCovered(@ForAll("documents") ObjectNode doc, @ForAll("baselines") Baseline baseline,
                                    @ForAll("vmIds") List<String> vmIds) {
        ObjectNode out = PolicyMerge.merge(doc, write(vmIds), baseline).document();
        List<JitVm> vms = JitPolicyJson.parseVms(out);
        for (String id : vmIds) {
            assertThat(vms).filteredOn(v -> v.id().equalsIgnoreCase(id)).singleElement()
                    .satisfies(v -> assertThat(RuleCheck.check(v.ports(), baseline)).isEmpty());
        }
    }

    @Property(tries = TRIES)
    void mergeIsIdempotent(@ForAll("documents") ObjectNode doc, @ForAll("baselines") Baseline baseline,
                           @ForAll("vmIds") List<String> vmIds) {
        MergeResult once = PolicyMerge.merge(doc, write(vmIds), baseline);
        MergeResult twice = PolicyMerge.merge(once.document(), write(vmIds), baseline);
        assertThat(twice.changed()).isFalse();
        assertThat(twice.document()).isEqualTo(once.document());
    }

    @Property(tries = TRIES)
    void changedExactlyWhenTheEvaluatorSeesAGap(@ForAll("documents") ObjectNode doc,
                                                 @ForAll("baselines") Baseline baseline,
                                                 @ForAll("vmIds") List<String> vmIds) {
        MergeResult r = PolicyMerge.merge(doc, write(vmIds), baseline);
        List<JitVm> before = JitPolicyJson.parseVms(doc);
        for (String id : vmIds) {
            List<String> expected = before.stream().filter(v -> v.id().equalsIgnoreCase(id)).findFirst()
                    .map(v -> RuleCheck.gapTexts(v.ports(), baseline))
                    .orElseGet(() -> {
                        List<String> l = new java.util.ArrayList<>(List.of("add to policy default"));
                        l.addAll(RuleCheck.gapTexts(List.of(), baseline));
                        return l;
                    });
            assertThat(r.changesByVmId().getOrDefault(id, List.of())).isEqualTo(expected);
        }
    }
}
