package io.jitguard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The controls mapping against the committed extract of Azure Policy's initiatives it cites. */
class ControlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode read(String resource) throws Exception {
        try (InputStream in = ControlsTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return JSON.readTree(in);
        }
    }

    @Test
    void everyControlIsAGroupOfTheInitiativeItCitesAndTheCitedPolicyIsMappedToIt() throws Exception {
        JsonNode extract = read("/azure-policy/initiatives.json");
        JsonNode mapping = read(Controls.RESOURCE);
        List<String> problems = new ArrayList<>();
        int rows = 0;
        for (JsonNode row : mapping.path("controls")) {
            rows++;
            String where = row.path("control").asText() + " (" + row.path("standard").asText() + ")";
            JsonNode source = row.path("source");
            if (!"Azure/azure-policy".equals(source.path("repository").asText())
                    || !extract.path("commit").asText().equals(source.path("commit").asText())) {
                problems.add(where + ": cites " + source + ", not the extract's repository and commit");
                continue;
            }
            JsonNode initiative = null;
            for (JsonNode i : extract.path("initiatives")) {
                if (i.path("path").asText().equals(source.path("path").asText())) {
                    initiative = i;
                }
            }
            if (initiative == null) {
                problems.add(where + ": " + source.path("path").asText() + " is not in the extract");
                continue;
            }
            if (!initiative.path("name").asText().equals(row.path("initiative").asText())
                    || !initiative.path("displayName").asText().equals(row.path("standard").asText())) {
                problems.add(where + ": initiative name or display name differs from " + initiative.path("path"));
            }
            Set<String> groups = new HashSet<>();
            initiative.path("groups").forEach(g -> groups.add(g.asText()));
            if (!groups.contains(row.path("control").asText())) {
                problems.add(where + ": no such group in " + initiative.path("path").asText());
            }
            String policy = row.path("policyDefinitionId").asText().toLowerCase(Locale.ROOT);
            boolean mapped = false;
            for (JsonNode ref : initiative.path("policyDefinitions")) {
                if (ref.path("policyDefinitionId").asText().toLowerCase(Locale.ROOT).equals(policy)) {
                    for (JsonNode g : ref.path("groupNames")) {
                        mapped |= g.asText().equals(row.path("control").asText());
                    }
                }
            }
            if (!mapped) {
                problems.add(where + ": the initiative does not map " + policy + " to this control");
            }
            if (!row.path("control").asText().endsWith(row.path("label").asText().replace(' ', '_'))) {
                problems.add(where + ": label " + row.path("label").asText() + " is not the control's own id");
            }
        }
        assertTrue(rows > 0, "the mapping has rows");
        assertEquals(List.of(), problems);
    }

    @Test
    void theJitEvidenceCarriesTheBuiltInsOwnMappingsAndExposureTheCisRdpAndSshControls() {
        List<String> jit = Controls.of(Controls.JIT).stream().map(Control::control).toList();
        assertTrue(jit.containsAll(List.of("Azure_Security_Benchmark_v3.0_NS-3", "Azure_Security_Benchmark_v3.0_PA-2",
                "NIST_SP_800-53_R5_AC-4", "NIST_SP_800-53_R5_SC-7", "CIS_Azure_1.1.0_2.12")), jit.toString());
        assertEquals(List.of("CIS_Azure_2.0.0_6.1", "CIS_Azure_Foundations_v2.1.0_6.1"),
                Controls.of(Controls.EXPOSED_RDP).stream().map(Control::control).toList());
        assertEquals(List.of("CIS_Azure_2.0.0_6.2", "CIS_Azure_Foundations_v2.1.0_6.2"),
                Controls.of(Controls.EXPOSED_SSH).stream().map(Control::control).toList());
        assertEquals(Controls.EXPOSED_RDP, Controls.exposedPort(3389));
        assertEquals(Controls.EXPOSED_SSH, Controls.exposedPort(22));
        assertNull(Controls.exposedPort(5985));
    }

    @Test
    void aUnionListsEachControlOnceInTheMappingsOrder() {
        List<Control> both = Controls.union(Set.of(Controls.EXPOSED_SSH, Controls.JIT));
        assertEquals(Controls.of(Controls.JIT).size() + Controls.of(Controls.EXPOSED_SSH).size(), both.size());
        assertEquals(Controls.of(Controls.JIT).get(0), both.get(0));
        assertEquals(new HashSet<>(both).size(), both.size());
        assertFalse(Controls.union(Set.of()).iterator().hasNext());
    }
}
