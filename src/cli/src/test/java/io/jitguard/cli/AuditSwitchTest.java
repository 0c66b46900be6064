package io.jitguard.cli;

import static io.jitguard.cli.TenantEstateTest.ASSIGNMENT;
import static io.jitguard.cli.TenantEstateTest.JIT_REF;
import static io.jitguard.cli.TenantEstateTest.SUB;
import static io.jitguard.cli.TenantEstateTest.assignment;
import static io.jitguard.cli.TenantEstateTest.monitoring;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.emulator.Estate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The JIT audit cannot be switched off around jitguard: overrides (any selector form, in order), the assignment's
 * resourceSelectors, exemptions of other assignments, a missing assignment — through the CLI, the real SDK and the
 * emulator (the tenant estate's MCSB v2 assignment, the example estate's v1 one).
 */
class AuditSwitchTest extends CliFixture {
    static final String EXAMPLE_SUB = "11111111-1111-1111-1111-111111111111";
    static final String EXAMPLE_ASSIGNMENT = "/subscriptions/" + EXAMPLE_SUB
            + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";

    @Override
    Estate estate() {
        return null;
    }

    void tenant(Consumer<ObjectNode> edit) throws IOException {
        startTenant(edit);
    }

    void example(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode estate = (ObjectNode) JSON.readTree(Files.readString(Path.of("examples/estate.json")));
        edit.accept(estate);
        start(Estate.parse(estate.toString()));
    }

    JsonNode stored(String id) {
        return emulator.resource(id).orElseThrow(() -> new AssertionError("no resource " + id));
    }

    /** The tenant assignment's overrides replaced by {@code json} (single quotes for double). */
    static Consumer<ObjectNode> overrides(String json) {
        return e -> {
            try {
                ((ObjectNode) assignment(e).path("properties")).set("overrides",
                        JSON.readTree(json.replace('\'', '"')));
            } catch (IOException x) {
                throw new IllegalStateException(x);
            }
        };
    }

    @Test
    void aDisablingOverrideWithoutSelectorsGetsANotInSelectorForTheJitAuditOnly() throws IOException {
        tenant(overrides("[{'kind':'policyEffect','value':'Disabled'}]"));
        JsonNode report = sweep();
        assertThat(monitoring(report, SUB).path("status").asText()).as(stdout + stderr).isEqualTo("fixed");
        assertThat(monitoring(report, SUB).path("before").asText()).isEqualTo("Disabled (override)");
        assertThat(monitoring(report, SUB).path("after").asText()).isEqualTo("AuditIfNotExists");
        assertThat(monitoring(report, SUB).path("reason").asText())
                .contains("override 1 (policyEffect Disabled, no selectors: every policy of the initiative)");
        assertThat(stored(ASSIGNMENT).at("/properties/overrides").toString().replace('"', '\''))
                .isEqualTo("[{'kind':'policyEffect','value':'Disabled','selectors':[{'kind':"
                        + "'policyDefinitionReferenceId','notIn':['" + JIT_REF + "']}]}]");

        JsonNode again = sweep();
        assertThat(monitoring(again, SUB).path("status").asText()).isEqualTo("compliant");
        assertThat(again.path("writes")).noneMatch(w -> w.asText().contains("policyAssignments"));
    }

    @Test
    void aNotInSelectorThatLeavesTheJitAuditInGainsItsReferenceId() throws IOException {
        tenant(overrides("[{'kind':'policyEffect','value':'Disabled','selectors':[{'kind':"
                + "'policyDefinitionReferenceId','notIn':['diskEncryptionMonitoring']}]}]"));
        JsonNode report = sweep();
        assertThat(monitoring(report, SUB).path("status").asText()).as(stdout + stderr).isEqualTo("fixed");
        assertThat(stored(ASSIGNMENT).at("/properties/overrides/0/selectors/0/notIn").toString())
                .isEqualTo("[\"diskEncryptionMonitoring\",\"" + JIT_REF + "\"]");
        assertThat(stored(ASSIGNMENT).at("/properties/overrides/0/value").asText()).isEqualTo("Disabled");
    }

    @Test
    void theFirstOverrideThatAppliesDecidesNotALaterAuditingOne() throws IOException {
        tenant(overrides("[{'kind':'policyEffect','value':'Disabled','selectors':[{'kind':"
                + "'policyDefinitionReferenceId','notIn':['x']}]},{'kind':'policyEffect','value':'AuditIfNotExists',"
                + "'selectors':[{'kind':'policyDefinitionReferenceId','in':['" + JIT_REF + "']}]}]"));
        JsonNode dry = sweep("--dry-run");
        assertThat(monitoring(dry, SUB).path("status").asText()).as(stdout + stderr).isEqualTo("would-fix");
        assertThat(exit).isEqualTo(ExitCodes.FINDINGS_REMAIN);
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void anAuditingOverrideForEveryLocationWinsOverADisabledV1ParameterAndNothingIsWritten() throws IOException {
        example(e -> ((ObjectNode) io.jitguard.testing.EstateEdits.resource(e, "policyAssignments/SecurityCenterBuiltIn")
                .path("properties")).putArray("overrides").addObject().put("kind", "policyEffect")
                .put("value", "AuditIfNotExists").putArray("selectors").addObject()
                .put("kind", "policyDefinitionReferenceId").putArray("in").add(JIT_REF));
        JsonNode report = sweep();
        JsonNode m = monitoring(report, EXAMPLE_SUB);
        assertThat(m.path("status").asText()).as(stdout + stderr).isEqualTo("compliant");
        assertThat(m.path("reason").asText()).contains("jitNetworkAccessMonitoringEffect is Disabled, but the "
                + "overrides keep the JIT audit on everywhere");
        assertThat(report.path("writes")).noneMatch(w -> w.asText().contains("policyAssignments"));
        assertThat(stored(EXAMPLE_ASSIGNMENT).at("/properties/parameters/jitNetworkAccessMonitoringEffect/value")
                .asText()).isEqualTo("Disabled");
    }

    @Test
    void vmsTheAssignmentsResourceSelectorsLeaveOutAreNamed() throws IOException {
        tenant(e -> {
            ObjectNode props = (ObjectNode) assignment(e).path("properties");
            props.putArray("overrides");
            ObjectNode rs = props.putArray("resourceSelectors").addObject().put("name", "SDPRegions");
            rs.putArray("selectors").addObject().put("kind", "resourceLocation").putArray("in").add("eastus");
        });
        JsonNode report = sweep();
        assertThat(monitoring(report, SUB).path("reason").asText()).as(stdout + stderr)
                .contains("resourceSelectors (SDPRegions: resourceLocation in [eastus]) keep 1 VM(s) outside JIT "
                        + "monitoring: vm-app-1");
        assertThat(stored(ASSIGNMENT).at("/properties/resourceSelectors/0/name").asText()).isEqualTo("SDPRegions");
    }

    @Test
    void onlyExemptionsOfThisAssignmentCountAndTheirResourceSelectorsNarrowThem() throws IOException {
        String other = "/subscriptions/" + SUB + "/providers/Microsoft.Authorization/policyAssignments/other";
        tenant(e -> {
            ((ObjectNode) assignment(e).path("properties")).putArray("overrides");
            ArrayNode resources = (ArrayNode) e.path("subscriptions").get(0).path("resources");
            ObjectNode foreign = resources.addObject().put("id", "/subscriptions/" + SUB
                    + "/providers/Microsoft.Authorization/policyExemptions/foreign-jit");
            ObjectNode fp = foreign.putObject("properties").put("policyAssignmentId", other)
                    .put("exemptionCategory", "Waiver");
            fp.putArray("policyDefinitionReferenceIds").add(JIT_REF);
            ObjectNode east = resources.addObject().put("id", "/subscriptions/" + SUB
                    + "/providers/Microsoft.Authorization/policyExemptions/east-only");
            ObjectNode ep = east.putObject("properties").put("policyAssignmentId", ASSIGNMENT.toLowerCase())
                    .put("exemptionCategory", "Mitigated");
            ep.putArray("resourceSelectors").addObject().put("name", "east").putArray("selectors").addObject()
                    .put("kind", "resourceLocation").putArray("in").add("eastus");
        });
        String reason = monitoring(sweep(), SUB).path("reason").asText();
        assertThat(reason).as(stdout + stderr).doesNotContain("foreign-jit")
                .contains("exemption east-only (Mitigated, expires never) exempts /subscriptions/" + SUB
                        + " from the JIT audit, only where its resourceSelectors select (east: resourceLocation in "
                        + "[eastus]): no VM read is exempted")
                .contains("exemption waive-lab (Waiver, expires 2099-01-01T00:00:00Z) exempts /subscriptions/" + SUB
                        + " from the JIT audit: 1 VM(s): vm-app-1");
    }

    @Test
    void aMissingAssignmentIsAFindingThatFailsTheRunByDefault() throws IOException {
        tenant(e -> {
            ArrayNode resources = (ArrayNode) e.path("subscriptions").get(0).path("resources");
            for (int i = resources.size() - 1; i >= 0; i--) {
                if (resources.get(i).path("id").asText().endsWith("/policyAssignments/SecurityCenterBuiltIn")) {
                    resources.remove(i);
                }
            }
            // no exposure either: SSH is not open from the Internet
            ArrayNode rules = (ArrayNode) io.jitguard.testing.EstateEdits.resource(e,
                    "networkSecurityGroups/nsg-app").path("properties").path("securityRules");
            for (int i = rules.size() - 1; i >= 0; i--) {
                if (rules.get(i).path("name").asText().equals("allow-ssh")) {
                    rules.remove(i);
                }
            }
        });
        JsonNode report = sweep("--subscription", SUB);
        assertThat(monitoring(report, SUB).path("status").asText()).as(stdout + stderr).isEqualTo("missing");
        // nothing else in the run would make it exit 1: the missing assignment does
        assertThat(report.path("vms")).allSatisfy(v -> assertThat(v.path("status").asText())
                .isNotIn("would-fix", "failed", "blocked", "exposed"));
        assertThat(report.path("failures")).isEmpty();
        assertThat(exit).isEqualTo(ExitCodes.FINDINGS_REMAIN);
        assertThat(emulator.resource(ASSIGNMENT)).as("jitguard never creates it").isEmpty();
        assertThat(emulator.stats().byOperation().keySet()).noneMatch(k -> k.equals("PUT policyAssignments"));
    }
}
