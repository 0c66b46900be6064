package io.jitguard.plan;

import io.jitguard.model.JitPolicyJson;
import static io.jitguard.World.LOC;
import static io.jitguard.World.RG;
import static io.jitguard.World.SUB;
import static io.jitguard.World.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.World;
import io.jitguard.baseline.Baseline;
import io.jitguard.baseline.Mode;
import io.jitguard.evaluate.Evaluator;
import io.jitguard.evaluate.PolicyNaming;
import io.jitguard.evaluate.VmFinding;
import io.jitguard.model.Vm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyMergeTest {
    private static final String VM1 = World.vmId(RG, "vm1");
    private static final String VM2 = World.vmId(RG, "vm2");
    private static final String OTHER = World.vmId(RG, "other");
    private final Baseline baseline = Baseline.defaults();
    private final Baseline narrow = new Baseline(List.of(22, 3389), "*", List.of("10.0.0.0/8", "192.168.0.0/16"),
            Duration.ofHours(2), Mode.ENFORCE, List.of(), "jitguard-exclude");

    private static PolicyWrite write(boolean create, String... vmIds) {
        return new PolicyWrite(PolicyNaming.policyId(SUB, RG, LOC, "default"), SUB, RG, LOC, "default", create,
                List.of(vmIds));
    }

    /** A policy as ARM returns it: read-only fields, another VM, a request history, unknown fields. */
    private static final String READ = """
            {
              "id": "/subscriptions/%1$s/resourceGroups/rg1/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default",
              "name": "default",
              "type": "Microsoft.Security/locations/jitNetworkAccessPolicies",
              "kind": "Basic",
              "location": "westeurope",
              "etag": "x",
              "systemData": {"createdBy": "someone"},
              "futureTopLevel": {"a": [1, 2]},
              "properties": {
                "provisioningState": "Succeeded",
                "futureProperty": true,
                "virtualMachines": [
                  {"id": "%2$s", "publicIpAddress": "1.2.3.4", "ports": [
                    {"number": 8080, "protocol": "TCP", "allowedSourceAddressPrefix": "*", "maxRequestAccessDuration": "P1D"}
                  ]},
                  {"id": "%3$s", "ports": [
                    {"number": 22, "protocol": "TCP", "allowedSourceAddressPrefix": "*", "maxRequestAccessDuration": "PT8H", "x-rule": 1},
                    {"number": 3389, "protocol": "*", "allowedSourceAddressPrefixes": ["10.1.0.0/16"], "maxRequestAccessDuration": "PT1H"},
                    {"number": 5985, "protocol": "UDP", "allowedSourceAddressPrefix": "*", "maxRequestAccessDuration": "soon"}
                  ]}
                ],
                "requests": [
                  {"virtualMachines": [{"id": "%2$s", "ports": [{"number": 8080, "status": "Revoked", "statusReason": "Expired", "endTimeUtc": "2026-01-01T00:00:00Z"}]}],
                   "requestor": "alice@example.com", "startTimeUtc": "2026-01-01T00:00:00Z"}
                ]
              }
            }
            """.formatted(SUB, OTHER, VM1.toUpperCase());

    @Test
    void newPolicyHasTheBaselineRulesOfEveryVm() {
        MergeResult r = PolicyMerge.merge(null, write(true, VM1, VM2), baseline);
        assertThat(r.document()).isEqualTo(parse("""
                {"kind":"Basic","location":"westeurope","properties":{"virtualMachines":[
                  {"id":"%1$s","ports":[
                    {"number":22,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT3H"},
                    {"number":3389,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT3H"},
                    {"number":5985,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT3H"},
                    {"number":5986,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT3H"}]},
                  {"id":"%2$s","ports":[
                    {"number":22,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT3H"},
                    {"number":3389,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT3H"},
                    {"number":5985,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT3H"},
                    {"number":5986,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT3H"}]}
                ]}}""".formatted(VM1, VM2)));
        assertThat(r.changed()).isTrue();
        assertThat(r.changesByVmId().keySet()).containsExactly(VM1, VM2);
        assertThat(r.changesByVmId().get(VM1)).containsExactly("add to policy default", "add port 22",
                "add port 3389", "add port 5985", "add port 5986");
    }

    @Test
    void specificSourcesAreWrittenAsThePluralField() {
        ObjectNode doc = PolicyMerge.merge(null, write(true, VM1), narrow).document();
        JsonNode rule = doc.at("/properties/virtualMachines/0/ports/0");
        assertThat(rule).isEqualTo(parse("""
                {"number":22,"protocol":"*","allowedSourceAddressPrefixes":["10.0.0.0/8","192.168.0.0/16"],
                 "maxRequestAccessDuration":"PT2H"}"""));
    }

    @Test
    void existingPolicyKeepsEverythingAndOnlyAddsOrTightens() {
        JsonNode read = parse(READ);
        JsonNode before = read.deepCopy();
        MergeResult r = PolicyMerge.merge(read, write(false, VM1, VM2), baseline);
        assertThat(read).as("input untouched").isEqualTo(before);
        ObjectNode doc = r.document();

        assertThat(doc.has("id")).isFalse();
        assertThat(doc.has("name")).isFalse();
        assertThat(doc.has("type")).isFalse();
        assertThat(doc.has("etag")).isFalse();
        assertThat(doc.has("systemData")).isFalse();
        assertThat(doc.at("/properties/provisioningState").isMissingNode()).isTrue();
        assertThat(doc.get("futureTopLevel")).isEqualTo(before.get("futureTopLevel"));
        assertThat(doc.at("/properties/futureProperty").asBoolean()).isTrue();
        assertThat(doc.at("/properties/requests")).isEqualTo(before.at("/properties/requests"));
        assertThat(doc.at("/properties/virtualMachines/0")).as("VM outside the write untouched")
                .isEqualTo(before.at("/properties/virtualMachines/0"));

        JsonNode vm1 = doc.at("/properties/virtualMachines/1");
        assertThat(vm1.get("id").asText()).as("id spelling kept").isEqualTo(VM1.toUpperCase());
        assertThat(vm1.get("ports")).isEqualTo(parse("""
                [{"number":22,"protocol":"TCP","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT3H","x-rule":1},
                 {"number":3389,"protocol":"*","allowedSourceAddressPrefixes":["10.1.0.0/16"],"maxRequestAccessDuration":"PT1H"},
                 {"number":5985,"protocol":"UDP","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"soon"},
                 {"number":5986,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT3H"}]"""));
        assertThat(r.changesByVmId().get(VM1)).containsExactly(
                "tighten port 22 maxRequestAccessDuration PT8H -> PT3H", "add port 5986");
        assertThat(r.changesByVmId().get(VM2)).first().isEqualTo("add to policy default");
        assertThat(doc.at("/properties/virtualMachines")).hasSize(3);
    }

    @Test
    void restrictsAnySourceToTheBaselinesKeepingOneField() {
        JsonNode read = parse("""
                {"kind":"Basic","location":"westeurope","properties":{"virtualMachines":[{"id":"%s","ports":[
                  {"number":22,"protocol":"TCP","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"PT1H"},
                  {"number":3389,"protocol":"*","allowedSourceAddressPrefixes":["10.9.0.0/16","*"],"maxRequestAccessDuration":"PT1H"},
                  {"number":80,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"P1D"}]}]}}
                """.formatted(VM1));
        MergeResult r = PolicyMerge.merge(read, write(false, VM1), narrow);
        assertThat(r.document().at("/properties/virtualMachines/0/ports")).isEqualTo(parse("""
                [{"number":22,"protocol":"TCP","maxRequestAccessDuration":"PT1H","allowedSourceAddressPrefixes":["10.0.0.0/8","192.168.0.0/16"]},
                 {"number":3389,"protocol":"*","maxRequestAccessDuration":"PT1H","allowedSourceAddressPrefixes":["10.0.0.0/8","192.168.0.0/16"]},
                 {"number":80,"protocol":"*","allowedSourceAddressPrefix":"*","maxRequestAccessDuration":"P1D"}]"""));
        assertThat(r.changesByVmId().get(VM1)).containsExactly(
                "restrict port 22 sources * -> 10.0.0.0/8,192.168.0.0/16",
                "restrict port 3389 sources 10.9.0.0/16,* -> 10.0.0.0/8,192.168.0.0/16");
    }

    @Test
    void compliantVmIsNotChanged() {
        MergeResult first = PolicyMerge.merge(null, write(true, VM1), baseline);
        MergeResult again = PolicyMerge.merge(first.document(), write(false, VM1.toLowerCase()), baseline);
        assertThat(again.changed()).isFalse();
        assertThat(again.document()).isEqualTo(first.document());
    }

    @Test
    void mergeChangesAreTheEvaluatorsGaps() {
        JsonNode read = parse(READ);
        World w = new World();
        Vm vm = w.vm("vm1");
        w.policies.add(JitPolicyJson.toPolicy(read));
        VmFinding f = Evaluator.evaluate(w.build(), baseline).vms().get(0);
        MergeResult r = PolicyMerge.merge(read, write(false, vm.id()), baseline);
        assertThat(r.changesByVmId().get(vm.id())).isEqualTo(f.gaps());
    }

    @Test
    void shapesItCannotKeepWholeAreRefused() {
        assertThatThrownBy(() -> PolicyMerge.merge(parse("[]"), write(false, VM1), baseline))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PolicyMerge.merge(parse("{\"properties\":{\"virtualMachines\":{}}}"),
                write(false, VM1), baseline)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PolicyMerge.merge(parse("{\"properties\":{\"virtualMachines\":[{\"id\":\"" + VM1
                + "\",\"ports\":5}]}}"), write(false, VM1), baseline)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingKindAndLocationAreFilledIn() {
        MergeResult r = PolicyMerge.merge(parse("{\"properties\":{}}"), write(false, VM1), baseline);
        assertThat(r.document().get("kind").asText()).isEqualTo("Basic");
        assertThat(r.document().get("location").asText()).isEqualTo(LOC);
    }
}
