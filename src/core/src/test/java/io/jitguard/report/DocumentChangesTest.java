package io.jitguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentChangesTest {
    static final String VM = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/";

    static JsonNode json(String text) throws Exception {
        return ReportJson.mapper().readTree(text.replace('\'', '"'));
    }

    static String entry(String name, String ports) {
        return "{'id':'" + VM + name + "','ports':[" + ports + "]}";
    }

    static String port(int n, String duration, String source) {
        return "{'number':" + n + ",'protocol':'*','maxRequestAccessDuration':'" + duration
                + "','allowedSourceAddressPrefix':'" + source + "'}";
    }

    /** A policy as ARM returns it: read-only fields around the entries. */
    static String asRead(String entries) {
        return "{'id':'/x/default','name':'default','type':'Microsoft.Security/locations/jitNetworkAccessPolicies',"
                + "'location':'westeurope','kind':'Basic','systemData':{'createdBy':'a'},'etag':'e',"
                + "'properties':{'provisioningState':'Succeeded','virtualMachines':[" + entries + "]}}";
    }

    /** The PUT body: no read-only fields. */
    static String body(String entries) {
        return "{'location':'westeurope','kind':'Basic','properties':{'virtualMachines':[" + entries + "]}}";
    }

    @Test
    void oneShortenedDurationIsOneChangeNotTheReadOnlyFields() throws Exception {
        List<DocumentChanges.Change> changes = DocumentChanges.of(
                json(asRead(entry("a", port(22, "PT8H", "*")))), json(body(entry("a", port(22, "PT3H", "*")))));
        assertThat(changes).extracting(DocumentChanges.Change::text)
                .containsExactly("shorten-duration a port 22: PT8H -> PT3H");
    }

    @Test
    void entriesAndPortsAddedNarrowedAndRemovedAreNamedPerVm() throws Exception {
        String before = asRead(entry("a", port(22, "PT3H", "*")) + "," + entry("gone", port(22, "PT3H", "*")));
        String after = body(entry("a", port(22, "PT3H", "10.0.0.0/8") + "," + port(3389, "PT3H", "*")) + ","
                + entry("new", port(22, "PT3H", "*")));
        List<DocumentChanges.Change> changes = DocumentChanges.of(json(before), json(after));
        assertThat(changes).extracting(DocumentChanges.Change::op)
                .containsExactly("narrow-source", "add-port", "add-entry", "remove-entry");
        assertThat(changes.get(0).from()).isEqualTo("*");
        assertThat(changes.get(0).to()).isEqualTo("10.0.0.0/8");
        assertThat(changes.get(1).port()).isEqualTo(3389);
        assertThat(changes.get(2).vm()).endsWith("/new");
        assertThat(changes.get(2).to()).isEqualTo("ports 22 * PT3H from *");
        assertThat(changes.get(3).vm()).endsWith("/gone");
    }

    @Test
    void aNewPolicyListsItsEntriesAndTopLevelValues() throws Exception {
        List<DocumentChanges.Change> changes = DocumentChanges.of(null, json(body(entry("a", port(22, "PT3H", "*")))));
        assertThat(changes).extracting(DocumentChanges.Change::text).containsExactly(
                "add-entry a: ports 22 * PT3H from *", "add /location: westeurope", "add /kind: Basic");
    }

    @Test
    void otherDocumentsDiffPerValueAndAWriteThatDropsDataSaysSo() throws Exception {
        JsonNode before = json("{'id':'/a','systemData':{},'properties':{'parameters':{'jitNetworkAccessMonitoringEffect'"
                + ":{'value':'Disabled'}},'notScopes':['/x'],'enforcementMode':'Default'}}");
        JsonNode after = json("{'properties':{'parameters':{'jitNetworkAccessMonitoringEffect':"
                + "{'value':'AuditIfNotExists'}},'enforcementMode':'Default'}}");
        assertThat(DocumentChanges.of(before, after)).extracting(DocumentChanges.Change::text).containsExactly(
                "change /properties/parameters/jitNetworkAccessMonitoringEffect/value: Disabled -> AuditIfNotExists",
                "remove /properties/notScopes (was [\"/x\"])");
    }

    @Test
    void theJsonOfAPlannedChangeCarriesTheChangesAndBothDocuments() throws Exception {
        PlannedChange c = new PlannedChange("/x/default", json(asRead(entry("a", port(22, "PT8H", "*")))),
                json(body(entry("a", port(22, "PT3H", "*")))));
        JsonNode written = ReportJson.mapper().readTree(ReportJson.mapper().writeValueAsString(c));
        assertThat(written.at("/changes/0/op").asText()).isEqualTo("shorten-duration");
        assertThat(written.at("/before/etag").asText()).isEqualTo("e");
        assertThat(written.at("/after/properties/virtualMachines/0/ports/0/maxRequestAccessDuration").asText())
                .isEqualTo("PT3H");
    }
}
