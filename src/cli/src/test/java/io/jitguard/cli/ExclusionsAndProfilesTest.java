package io.jitguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jitguard.emulator.Estate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exclusions someone is accountable for (JITGUARD_EXCLUSIONS; the tag, off by default, and with
 * JITGUARD_TAG_EXCLUSIONS=on a last day at most JITGUARD_TAG_MAX_DAYS ahead; a renamed tag), managed resource groups,
 * and per-OS port profiles. CLI through {@link Main#run}, the real SDK over HTTPS to the emulator; approved entries
 * use dates far in the past (2020) or future (2099), the tag tests a fixed run day.
 */
class ExclusionsAndProfilesTest extends CliFixture {
    static final String SUB = "33333333-3333-3333-3333-333333333333";
    static final String S = "/subscriptions/" + SUB;
    static final String LOC = "westeurope";
    static final String PAST = "2020-01-01";
    static final String FUTURE = "2099-12-31";

    @Override
    Estate estate() {
        return null;
    }

    /** One resource group, or a VM in one: {@code rg|vm|os|tags}. */
    record Vm(String rg, String name, String os, Map<String, String> tags) {
        String id() {
            return S + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/" + name;
        }
    }

    record Group(String name, Map<String, String> tags, String managedBy) {
    }

    static String policyId(String rg) {
        return S + "/resourceGroups/" + rg + "/providers/Microsoft.Security/locations/" + LOC
                + "/jitNetworkAccessPolicies/default";
    }

    void start(List<Group> groups, List<Vm> vms) {
        ObjectNode estate = JSON.createObjectNode();
        estate.put("tenantId", "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        ObjectNode sub = estate.putArray("subscriptions").addObject();
        sub.put("subscriptionId", SUB).put("displayName", "excl");
        ArrayNode rgs = sub.putArray("resourceGroups");
        ArrayNode res = sub.putArray("resources");
        for (Group g : groups) {
            ObjectNode rg = rgs.addObject().put("name", g.name()).put("location", LOC);
            ObjectNode tags = rg.putObject("tags");
            g.tags().forEach(tags::put);
            if (g.managedBy() != null) {
                rg.put("managedBy", g.managedBy());
            }
            String base = S + "/resourceGroups/" + g.name() + "/providers/Microsoft.Network/";
            res.addObject().put("id", base + "networkSecurityGroups/nsg").put("location", LOC)
                    .putObject("properties").putArray("securityRules");
            ObjectNode vnet = res.addObject().put("id", base + "virtualNetworks/vnet").put("location", LOC);
            ObjectNode vp = vnet.putObject("properties");
            vp.putObject("addressSpace").putArray("addressPrefixes").add("10.0.0.0/16");
            vp.putArray("subnets").addObject().put("id", base + "virtualNetworks/vnet/subnets/snet").put("name", "snet")
                    .putObject("properties").put("addressPrefix", "10.0.1.0/24");
        }
        for (Vm v : vms) {
            String base = S + "/resourceGroups/" + v.rg() + "/providers/Microsoft.Network/";
            ObjectNode nic = res.addObject().put("id", base + "networkInterfaces/" + v.name() + "-nic")
                    .put("location", LOC);
            ObjectNode np = nic.putObject("properties");
            np.putObject("networkSecurityGroup").put("id", base + "networkSecurityGroups/nsg");
            np.putArray("ipConfigurations").addObject().put("name", "ipconfig1").putObject("properties")
                    .put("privateIPAddress", "10.0.1.4")
                    .putObject("subnet").put("id", base + "virtualNetworks/vnet/subnets/snet");
            ObjectNode vm = res.addObject().put("id", v.id()).put("location", LOC);
            ObjectNode tags = vm.putObject("tags");
            v.tags().forEach(tags::put);
            ObjectNode p = vm.putObject("properties");
            if (v.os() != null) {
                p.putObject("storageProfile").putObject("osDisk").put("osType", v.os());
            }
            p.putObject("networkProfile").putArray("networkInterfaces").addObject()
                    .put("id", base + "networkInterfaces/" + v.name() + "-nic")
                    .putObject("properties").put("primary", true);
        }
        res.addObject().put("id", S + "/providers/Microsoft.Security/pricings/VirtualMachines")
                .putObject("properties").put("pricingTier", "Standard").put("subPlan", "P2");
        start(Estate.parse(estate.toString()));
    }

    int run(Map<String, String> settings, String... args) {
        env = new HashMap<>(settings);
        env.put("JITGUARD_ARM_ENDPOINT", emulator.endpoint());
        env.put("JITGUARD_ARM_TOKEN", "test-token");
        return run(args);
    }

    JsonNode fix(Map<String, String> settings) throws IOException {
        Path file = newFile("report-");
        int code = run(settings, "fix", "--scope", S, "--report", file.toString());
        assertThat(code).as(stdout + stderr).isIn(0, 1);
        return JSON.readTree(Files.readString(file));
    }

    static JsonNode vm(JsonNode report, Vm vm) {
        for (JsonNode v : report.path("vms")) {
            if (v.path("id").asText().equalsIgnoreCase(vm.id())) {
                return v;
            }
        }
        throw new AssertionError("no report for " + vm.id() + " in " + report.path("vms"));
    }

    /** The VM ids the policy of {@code rg} lists, with their port numbers. */
    Map<String, List<Integer>> listed(String rg) {
        Map<String, List<Integer>> out = new HashMap<>();
        emulator.resource(policyId(rg)).ifPresent(p -> {
            for (JsonNode e : p.path("properties").path("virtualMachines")) {
                List<Integer> ports = new ArrayList<>();
                e.path("ports").forEach(port -> ports.add(port.path("number").asInt()));
                out.put(e.path("id").asText().toLowerCase(), ports);
            }
        });
        return out;
    }

    static String entries(String scope, String expiresOn) {
        return "[{\"scope\":\"" + scope + "\",\"reason\":\"vendor appliance, change CHG-1\",\"expiresOn\":\""
                + expiresOn + "\",\"approvedBy\":\"ciso@contoso.example\"}]";
    }

    @Test
    void approvedExclusionsApplyUntilTheirLastDayAndExpiredOnesAreReconciledAndReported() throws IOException {
        Vm kept = new Vm("rg-a", "vm-approved", "Linux", Map.of());
        Vm expired = new Vm("rg-b", "vm-expired", "Linux", Map.of());
        start(List.of(new Group("rg-a", Map.of(), null), new Group("rg-b", Map.of(), null)), List.of(kept, expired));
        Path file = tmp.resolve("exclusions.json");
        Files.writeString(file, "{\"exclusions\":" + entries(kept.id(), FUTURE).replace("]", ",")
                + entries(S + "/resourceGroups/rg-b", PAST).substring(1) + "}");

        JsonNode report = fix(Map.of("JITGUARD_EXCLUSIONS", file.toString()));

        JsonNode k = vm(report, kept);
        assertThat(k.path("status").asText()).isEqualTo("excluded");
        assertThat(k.path("reason").asText()).contains("JITGUARD_EXCLUSIONS", kept.id(), "ciso@contoso.example",
                "until " + FUTURE, "vendor appliance");
        assertThat(k.path("exclusion").path("state").asText()).isEqualTo("excluded");
        assertThat(k.path("exclusion").path("until").asText()).isEqualTo(FUTURE);
        assertThat(k.path("exclusion").path("rule").asText()).startsWith("JITGUARD_EXCLUSIONS (" + kept.id());
        assertThat(listed("rg-a")).as("an excluded VM is never written").isEmpty();

        JsonNode e = vm(report, expired);
        assertThat(e.path("status").asText()).isEqualTo("fixed");
        assertThat(e.path("exclusion").path("state").asText()).isEqualTo("exclusion-expired");
        assertThat(e.path("notes").get(0).asText()).startsWith("exclusion-expired: exclusion expired " + PAST)
                .contains("JITGUARD_EXCLUSIONS (" + S + "/resourceGroups/rg-b");
        assertThat(listed("rg-b")).containsKey(expired.id().toLowerCase());

        JsonNode again = fix(Map.of("JITGUARD_EXCLUSIONS", Files.readString(file)));
        assertThat(vm(again, expired).path("status").asText()).isEqualTo("compliant");
        assertThat(vm(again, expired).path("notes").get(0).asText())
                .as("reported on every run until the entry is removed").startsWith("exclusion-expired");
    }

    /** The run's day for the tag tests: tags are judged against it (JITGUARD_TAG_MAX_DAYS ahead at most). */
    static final java.time.Instant RUN_DAY = java.time.Instant.parse("2026-11-25T09:00:00Z");
    static final String IN_REACH = "2026-12-20";
    static final String TOO_FAR = "2026-12-26";
    static final Map<String, String> TAGS_ON = Map.of("JITGUARD_TAG_EXCLUSIONS", "on");

    @Test
    void withTagsOnATagNeedsALastDayWithinThirtyDays_andEveryReportShowsItsValue() throws IOException {
        clock = java.time.Clock.fixed(RUN_DAY, java.time.ZoneOffset.UTC);
        Vm tagTrue = new Vm("rg-a", "vm-true", "Linux", Map.of("jitguard-exclude", "true"));
        Vm tagSoon = new Vm("rg-a", "vm-soon", "Linux", Map.of("jitguard-exclude", IN_REACH));
        Vm tagFar = new Vm("rg-a", "vm-far", "Linux", Map.of("jitguard-exclude", TOO_FAR));
        Vm tagPast = new Vm("rg-a", "vm-past", "Linux", Map.of("jitguard-exclude", PAST));
        Vm inTaggedGroup = new Vm("rg-t", "vm-in-group", "Windows", Map.of());
        start(List.of(new Group("rg-a", Map.of(), null), new Group("rg-t", Map.of("jitguard-exclude", IN_REACH), null)),
                List.of(tagTrue, tagSoon, tagFar, tagPast, inTaggedGroup));
        Path out = tmp.resolve("out");

        assertThat(run(TAGS_ON, "fix", "--scope", S, "--output-dir", out.toString(), "--output-formats",
                "json,csv,html,ocsf")).as(stdout + stderr).isIn(0, 1);
        JsonNode report = JSON.readTree(Files.readString(out.resolve("report.json")));

        assertThat(vm(report, tagSoon).path("status").asText()).isEqualTo("excluded");
        assertThat(vm(report, tagSoon).path("exclusion").path("tagValue").asText()).isEqualTo(IN_REACH);
        assertThat(vm(report, inTaggedGroup).path("reason").asText())
                .isEqualTo("tagged jitguard-exclude=" + IN_REACH + " on resource group rg-t (excluded until " + IN_REACH
                        + ")");
        assertThat(vm(report, tagTrue).path("status").asText()).as("true is refused: the VM is enforced")
                .isEqualTo("fixed");
        assertThat(vm(report, tagTrue).path("exclusion").path("state").asText()).isEqualTo("exclusion-refused");
        assertThat(vm(report, tagTrue).path("notes").get(0).asText())
                .startsWith("exclusion-refused: exclusion refused (tagged jitguard-exclude=true on the VM)");
        assertThat(vm(report, tagFar).path("status").asText()).isEqualTo("fixed");
        assertThat(vm(report, tagFar).path("notes").get(0).asText())
                .contains(TOO_FAR + " is more than 30 days ahead (latest 2026-12-25, JITGUARD_TAG_MAX_DAYS)");
        assertThat(vm(report, tagPast).path("notes").get(0).asText())
                .isEqualTo("exclusion-expired: exclusion expired " + PAST + " (tagged jitguard-exclude=" + PAST
                        + " on the VM)");
        assertThat(listed("rg-a")).containsOnlyKeys(tagTrue.id().toLowerCase(), tagFar.id().toLowerCase(),
                tagPast.id().toLowerCase());
        assertThat(listed("rg-t")).isEmpty();

        // every report lists each tag-excluded VM with the tag's value
        assertThat(stdout).contains("vm-soon", "tagged jitguard-exclude=" + IN_REACH + " on the VM")
                .contains("vm-in-group", "tagged jitguard-exclude=" + IN_REACH + " on resource group rg-t")
                .contains("vm-true", "exclusion-refused");
        String csv = Files.readString(out.resolve("report.csv"));
        assertThat(csvColumn(csv, "vm-soon", "status")).isEqualTo("excluded");
        assertThat(csvColumn(csv, "vm-soon", "exclusion_value")).isEqualTo(IN_REACH);
        assertThat(csvColumn(csv, "vm-in-group", "exclusion_value")).isEqualTo(IN_REACH);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("vm-soon", "tag jitguard-exclude on the VM &#x3D; &quot;" + IN_REACH + "&quot; until "
                + IN_REACH);
        JsonNode ocsf = JSON.readTree(Files.readString(out.resolve(io.jitguard.output.OutputFormat.OCSF.fileName())));
        List<String> ocsfExcluded = new ArrayList<>();
        for (JsonNode finding : ocsf.isArray() ? ocsf : ocsf.path("findings")) {
            String value = finding.at("/unmapped/jitguard/exclusion/tagValue").asText();
            if (!value.isEmpty()) {
                ocsfExcluded.add(finding.toString().contains("vm-soon") ? "vm-soon=" + value
                        : finding.toString().contains("vm-in-group") ? "vm-in-group=" + value : "other=" + value);
            }
        }
        assertThat(ocsfExcluded).contains("vm-soon=" + IN_REACH, "vm-in-group=" + IN_REACH);
    }

    @Test
    void tagsAreOffByDefault_aTagIsReportedAsRefused_andARenamedTagIsTheOnlyOneHonoured() throws IOException {
        clock = java.time.Clock.fixed(RUN_DAY, java.time.ZoneOffset.UTC);
        Vm old = new Vm("rg-a", "vm-old-tag", "Linux", Map.of("jitguard-exclude", IN_REACH));
        Vm renamed = new Vm("rg-a", "vm-new-tag", "Linux", Map.of("no-jit", IN_REACH));
        start(List.of(new Group("rg-a", Map.of(), null)), List.of(old, renamed));

        JsonNode dry = JSON.readTree(dryRun(Map.of("JITGUARD_EXCLUDE_TAG", "no-jit", "JITGUARD_TAG_EXCLUSIONS", "on")));
        assertThat(vm(dry, old).path("status").asText()).isEqualTo("would-fix");
        assertThat(vm(dry, renamed).path("status").asText()).isEqualTo("excluded");
        assertThat(vm(dry, renamed).path("reason").asText())
                .isEqualTo("tagged no-jit=" + IN_REACH + " on the VM (excluded until " + IN_REACH + ")");

        JsonNode off = fix(Map.of());
        assertThat(vm(off, old).path("status").asText()).isEqualTo("fixed");
        assertThat(vm(off, old).path("notes").get(0).asText()).contains("exclusion-refused",
                "tag exclusions are off (JITGUARD_TAG_EXCLUSIONS)");
        assertThat(vm(off, renamed).path("status").asText()).isEqualTo("fixed");
        assertThat(listed("rg-a")).containsOnlyKeys(old.id().toLowerCase(), renamed.id().toLowerCase());
    }

    @Test
    void aTagValueCannotForgeTheSummary() throws IOException {
        clock = java.time.Clock.fixed(RUN_DAY, java.time.ZoneOffset.UTC);
        Vm hostile = new Vm("rg-a", "vm-hostile", "Linux", Map.of("jitguard-exclude",
                "true\n  compliant    33333333/rg-a/vm-fake \u001b[32mall good\u001b[0m"));
        start(List.of(new Group("rg-a", Map.of(), null)), List.of(hostile));

        assertThat(run(TAGS_ON, "fix", "--scope", S)).as(stdout + stderr).isIn(0, 1);

        List<String> lines = stdout.lines().filter(l -> l.contains("vm-hostile") || l.contains("vm-fake")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("true\\n  compliant    33333333/rg-a/vm-fake \\u001b[32mall good")
                .doesNotContain("\u001b");
        assertThat(stdout).doesNotContain("\u001b");
    }

    String dryRun(Map<String, String> settings) throws IOException {
        Path file = newFile("dry-");
        assertThat(run(settings, "fix", "--dry-run", "--scope", S, "--report", file.toString()))
                .as(stdout + stderr).isIn(0, 1);
        return Files.readString(file);
    }

    @Test
    void aVmOfAManagedResourceGroupIsExcludedAndNeverWritten() throws IOException {
        String workspace = S + "/resourceGroups/rg-data/providers/Microsoft.Databricks/workspaces/ws1";
        Vm worker = new Vm("rg-databricks-managed", "worker-1", "Linux", Map.of());
        start(List.of(new Group("rg-databricks-managed", Map.of(), workspace)), List.of(worker));

        JsonNode report = fix(Map.of());

        assertThat(vm(report, worker).path("status").asText()).isEqualTo("excluded");
        assertThat(vm(report, worker).path("reason").asText())
                .isEqualTo("resource group managed by " + workspace + ": its deny assignment refuses writes");
        assertThat(emulator.stats().writes()).isZero();
    }

    @Test
    void linuxAndWindowsVmsGetTheirOwnPorts_andAnUnknownOsTheBaseline() throws IOException {
        Vm linux = new Vm("rg-a", "vm-linux", "Linux", Map.of());
        Vm windows = new Vm("rg-a", "vm-windows", "Windows", Map.of());
        Vm unknown = new Vm("rg-a", "vm-unknown", null, Map.of());
        start(List.of(new Group("rg-a", Map.of(), null)), List.of(linux, windows, unknown));
        Map<String, String> profiles = Map.of("JITGUARD_PORTS_LINUX", "22", "JITGUARD_PORTS_WINDOWS", "3389,5986",
                "JITGUARD_PORTS", "22,3389");

        JsonNode report = fix(profiles);

        assertThat(vm(report, linux).path("changes").toString()).contains("add port 22").doesNotContain("3389");
        Map<String, List<Integer>> listed = listed("rg-a");
        assertThat(listed.get(linux.id().toLowerCase())).containsExactly(22);
        assertThat(listed.get(windows.id().toLowerCase())).containsExactly(3389, 5986);
        assertThat(listed.get(unknown.id().toLowerCase())).containsExactly(22, 3389);

        long writes = emulator.stats().writes();
        JsonNode second = fix(profiles);
        assertThat(vm(second, linux).path("status").asText()).as("covered by a rule for 22 alone")
                .isEqualTo("compliant");
        assertThat(vm(second, windows).path("status").asText()).isEqualTo("compliant");
        assertThat(emulator.stats().writes()).isEqualTo(writes);

        JsonNode wider = fix(Map.of());
        assertThat(vm(wider, linux).path("status").asText()).as("without a profile the baseline is every port")
                .isEqualTo("fixed");
    }

    @Test
    void badProfileAndExclusionSettingsNameTheSettingAndWriteNothing() throws IOException {
        start(List.of(new Group("rg-a", Map.of(), null)), List.of(new Vm("rg-a", "vm", "Linux", Map.of())));

        assertThat(run(Map.of("JITGUARD_PORTS_LINUX", "22,ssh"), "fix", "--scope", S)).isEqualTo(2);
        assertThat(stderr).contains("JITGUARD_PORTS_LINUX").doesNotContain("JITGUARD_PORTS:");
        assertThat(run(Map.of("JITGUARD_PORTS_WINDOWS", "3389,3389"), "fix", "--scope", S)).isEqualTo(2);
        assertThat(stderr).contains("JITGUARD_PORTS_WINDOWS");
        Path missing = tmp.resolve("nope.json");
        assertThat(run(Map.of("JITGUARD_EXCLUSIONS", missing.toString()), "fix", "--scope", S)).isEqualTo(2);
        assertThat(stderr).contains("JITGUARD_EXCLUSIONS").contains(missing.toString());
        assertThat(run(Map.of("JITGUARD_EXCLUSIONS", "[{\"scope\":\"" + S + "\"}]"), "fix", "--scope", S))
                .isEqualTo(2);
        assertThat(stderr).contains("JITGUARD_EXCLUSIONS").contains("entry 0");
        assertThat(run(Map.of("JITGUARD_TAG_EXCLUSIONS", "maybe"), "fix", "--scope", S)).isEqualTo(2);
        assertThat(stderr).contains("JITGUARD_TAG_EXCLUSIONS");
        assertThat(run(Map.of("JITGUARD_TAG_EXCLUSIONS", "on", "JITGUARD_TAG_MAX_DAYS", "forever"), "fix", "--scope", S))
                .isEqualTo(2);
        assertThat(stderr).contains("JITGUARD_TAG_MAX_DAYS: \"forever\" is not a number of days from 1 to 366");
        assertThat(emulator.stats().writes()).isZero();
    }

    /** One column of the CSV report's row for a VM, by the header's name. */
    private static String csvColumn(String csv, String vmName, String column) throws IOException {
        try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new java.io.StringReader(csv.replace("\uFEFF", "")))) {
            for (var row : parser) {
                if (row.get("vm_name").equals(vmName)) {
                    return row.get(column);
                }
            }
        }
        throw new AssertionError("no CSV row for " + vmName);
    }
}
