package io.jitguard.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The effective effect of jitNetworkAccessMonitoring over overrides and the parameter, and the minimal fix. */
class JitOverridesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JIT = "jitNetworkAccessMonitoring";

    static ObjectNode props(String overrides) throws Exception {
        return (ObjectNode) JSON.readTree(("{'overrides':" + overrides + "}").replace('\'', '"'));
    }

    static String ref(String how, String... ids) {
        return "{'kind':'policyDefinitionReferenceId','" + how + "':['" + String.join("','", ids) + "']}";
    }

    static String loc(String how, String... names) {
        return "{'kind':'resourceLocation','" + how + "':['" + String.join("','", names) + "']}";
    }

    static String override(String value, String... selectors) {
        return "{'kind':'policyEffect','value':'" + value + "'"
                + (selectors.length == 0 ? "" : ",'selectors':[" + String.join(",", selectors) + "]") + "}";
    }

    static String list(String... overrides) {
        return "[" + String.join(",", overrides) + "]";
    }

    /** case, overrides, parameter (the fallback; null = default), the override that decides (-1 = parameter, null = on). */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no overrides, default parameter", "[]", null, null),
                Arguments.of("no overrides, parameter Disabled", "[]", "Disabled", -1),
                Arguments.of("no selector: every policy", list(override("Disabled")), null, 0),
                Arguments.of("no selector, lower-case value", list(override("disabled")), null, 0),
                Arguments.of("in naming it", list(override("Disabled", ref("in", "other", JIT))), null, 0),
                Arguments.of("in naming others only", list(override("Disabled", ref("in", "other"))), null, null),
                Arguments.of("notIn without it", list(override("Disabled", ref("notIn", "other"))), null, 0),
                Arguments.of("notIn with it", list(override("Disabled", ref("notIn", JIT.toLowerCase()))), null, null),
                Arguments.of("Deny is not an audit", list(override("Deny", ref("in", JIT))), null, 0),
                Arguments.of("Audit is", list(override("Audit", ref("in", JIT))), null, null),
                Arguments.of("first applying auditing override wins over a later Disabled",
                        list(override("AuditIfNotExists", ref("in", JIT)), override("Disabled")), null, null),
                Arguments.of("first applying Disabled wins over a later audit",
                        list(override("Disabled", ref("notIn", "x")), override("AuditIfNotExists", ref("in", JIT))),
                        null, 0),
                Arguments.of("an override not applying is skipped",
                        list(override("Audit", ref("in", "x")), override("Disabled")), null, 1),
                Arguments.of("policyVersion overrides do not change the effect",
                        list("{'kind':'definitionVersion','value':'2.*.*'}"), null, null),
                Arguments.of("v1: an auditing override for every location wins over a Disabled parameter",
                        list(override("AuditIfNotExists", ref("in", JIT))), "Disabled", null),
                Arguments.of("v1: a Disabled parameter decides where the auditing override does not apply",
                        list(override("AuditIfNotExists", ref("in", JIT), loc("in", "westeurope"))), "Disabled", -1),
                Arguments.of("a location-bound Disabled override switches some VMs off",
                        list(override("Disabled", loc("in", "eastus"))), null, 0),
                Arguments.of("a location-bound Disabled override behind an audit for every location never applies",
                        list(override("Audit"), override("Disabled", loc("in", "eastus"))), null, null),
                Arguments.of("a Disabled override for locations an earlier audit left open applies",
                        list(override("Audit", loc("in", "eastus")), override("Disabled", loc("notIn", "eastus"))),
                        null, 1),
                Arguments.of("a Disabled override for exactly the locations an earlier audit took never applies",
                        list(override("Audit", loc("in", "eastus")), override("Disabled", loc("in", "East US"))),
                        null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theEffectiveEffectDecides(String name, String overrides, String parameter, Integer decides) throws Exception {
        JitOverrides.Drift drift = JitOverrides.drift(props(overrides), parameter);
        if (decides == null) {
            assertThat(drift).isNull();
        } else {
            assertThat(drift).isNotNull();
            assertThat(drift.override()).isEqualTo(decides);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void afterTheFixOnlyTheParameterCanStillDecide(String name, String overrides, String parameter, Integer decides)
            throws Exception {
        ObjectNode p = props(overrides);
        boolean changed = JitOverrides.exclude(p, parameter);
        assertThat(changed).isEqualTo(decides != null && decides >= 0);
        assertThat(JitOverrides.drift(p, null)).as("with the parameter auditing, nothing switches JIT off").isNull();
        if (decides == null || decides < 0) {
            assertThat(p).isEqualTo(props(overrides));
        }
    }

    static String fixed(String overrides) throws Exception {
        ObjectNode p = props(overrides);
        JitOverrides.exclude(p, null);
        return p.get("overrides").toString().replace('"', '\'');
    }

    @Test
    void aSelectorLessOverrideGetsANotInSelectorAndKeepsEverythingElse() throws Exception {
        assertThat(fixed("[{'kind':'policyEffect','value':'Disabled','note':'keep'}]"))
                .isEqualTo("[{'kind':'policyEffect','value':'Disabled','note':'keep','selectors':["
                        + "{'kind':'policyDefinitionReferenceId','notIn':['" + JIT + "']}]}]");
    }

    @Test
    void aNotInListGainsTheJitReferenceId() throws Exception {
        assertThat(fixed(list(override("Disabled", loc("in", "eastus"), ref("notIn", "a", "b")))))
                .isEqualTo(list(override("Disabled", loc("in", "eastus"), ref("notIn", "a", "b", JIT))));
    }

    @Test
    void anInListLosesOnlyTheJitReferenceIdAndAnOverrideSelectingNothingElseGoes() throws Exception {
        assertThat(fixed(list(override("Disabled", ref("in", "a", JIT)), override("Deny", ref("in", JIT)),
                override("Disabled", ref("in", "c")))))
                .isEqualTo(list(override("Disabled", ref("in", "a")), override("Disabled", ref("in", "c"))));
    }

    @Test
    void everyDisablingOverrideInTurnIsFixedButAnAuditingOneIsLeftAlone() throws Exception {
        assertThat(fixed(list(override("Disabled"), override("Audit", ref("in", "x")), override("Disabled",
                ref("notIn", "y")))))
                .isEqualTo(list(override("Disabled", ref("notIn", JIT)), override("Audit", ref("in", "x")),
                        override("Disabled", ref("notIn", "y", JIT))));
    }

    @Test
    void theReasonNamesTheOverrideAndHowItSelects() throws Exception {
        JsonNode p = props(list(override("Audit", ref("in", "x")), override("Disabled", loc("in", "eastus"))));
        assertThat(JitOverrides.drift(p, null).reason())
                .isEqualTo("override 2 (policyEffect Disabled, resourceLocation in [\"eastus\"]) switches " + JIT
                        + " off for resources in [eastus]");
        assertThat(JitOverrides.drift(props(list(override("Disabled"))), null).reason())
                .contains("no selectors: every policy of the initiative");
    }
}
