package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.report.Exposure;
import io.jitguard.report.Report;
import io.jitguard.report.ReportJson;
import io.jitguard.report.VmReport;
import io.jitguard.report.VmStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationTest {
    @Test
    void aRunWithNothingFixedRemainingOrFailedHasNoMessage() {
        Report quiet = new Report("enforce", false, "t", Instant.EPOCH, Instant.EPOCH, List.of(), List.of(),
                List.of(new VmReport(Fixtures.vmId("rg", "a"), VmStatus.COMPLIANT, "", List.of(), null),
                        new VmReport(Fixtures.vmId("rg", "b"), VmStatus.EXCLUDED, "tagged", List.of(), null)),
                List.of(), List.of(), List.of(), new io.jitguard.arm.ArmCalls(1, 0));
        assertThat(Notification.of(quiet)).isEmpty();
    }

    @Test
    void tenThousandFindingsListTwentyAndStayBoundedInEveryFormat() throws Exception {
        Report big = Fixtures.many(10_000);
        Notification n = Notification.of(big).orElseThrow();
        assertThat(n.items()).hasSize(Notification.MAX_ITEMS);
        assertThat(n.more()).isGreaterThan(1000);
        for (Notification.Format f : Notification.Format.values()) {
            String body = n.render(f);
            assertThat(body.getBytes(StandardCharsets.UTF_8).length).as(f.name()).isLessThan(25_000);
            JsonNode json = ReportJson.mapper().readTree(body);
            if (f == Notification.Format.JSON) {
                assertThat(json.path("more").asInt()).isEqualTo(n.more());
            } else {
                assertThat(body).contains("and " + n.more() + " more");
            }
            if (f == Notification.Format.SLACK) {
                assertThat(json.path("blocks").size()).isLessThanOrEqualTo(50);
                json.path("blocks").forEach(b -> assertThat(b.at("/text/text").asText().length())
                        .isLessThanOrEqualTo(3000));
            }
        }
    }

    @Test
    void hostileNamesCannotMakeLinksOrMentions() throws Exception {
        Notification n = Notification.of(Fixtures.report(false)).orElseThrow();
        JsonNode slack = ReportJson.mapper().readTree(n.render(Notification.Format.SLACK));
        assertThat(slack.toString()).doesNotContain("<script>").contains("&lt;script&gt;");
        JsonNode teams = ReportJson.mapper().readTree(n.render(Notification.Format.TEAMS));
        assertThat(teams.toString()).contains("<script>alert(1)<script>").doesNotContain("\\\\");
        assertThat(Notification.Format.parse(null)).isEqualTo(Notification.Format.JSON);
    }

    static final Exposure HIGH = new Exposure(List.of(new Exposure.Port("open", 22, "/nsg/n", "allow", 100,
            "Internet", "HIGH")), List.of());

    /** A run of the mode: exposed VMs (two of them also would-fix), fixed, would-fix and compliant ones. */
    static Report run(String mode, boolean dryRun, boolean exposure) {
        List<VmReport> vms = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            vms.add(new VmReport(Fixtures.vmId("rg", "c" + i), VmStatus.COMPLIANT, "", List.of(), "/p"));
            vms.add(new VmReport(Fixtures.vmId("rg", "w" + i), dryRun ? VmStatus.WOULD_FIX : VmStatus.FIXED, "gap",
                    List.of("add port 22"), "/p", i < 2 && exposure ? HIGH : null));
            if (exposure) {
                vms.add(new VmReport(Fixtures.vmId("rg", "e" + i), VmStatus.EXPOSED, "open", List.of(), "/p", HIGH));
            }
        }
        return new Report(mode, dryRun, "t", Instant.EPOCH, Instant.EPOCH, List.of(), List.of(), vms, List.of(),
                List.of(), List.of(), new io.jitguard.arm.ArmCalls(1, 0));
    }

    @Test
    void theTitleCountsWhatTheTotalsCountInEveryMode() throws Exception {
        for (Report r : List.of(run("enforce", false, true), run("enforce", true, true), run("audit", true, true),
                run("audit", true, false), run("enforce", false, false))) {
            Notification n = Notification.of(r).orElseThrow();
            JsonNode totals = ReportJson.mapper().readTree(n.render(Notification.Format.JSON)).path("totals");
            String what = r.mode() + (r.dryRun() ? " dry run" : "") + ": " + n.title();
            long exposed = totals.path("exposed").asLong();
            long needAction = totals.path(Notification.NEED_ACTION).asLong();
            assertThat(needAction).as(what).isEqualTo(r.totals().needsAction());
            if (needAction > 0) {
                assertThat(n.title()).as(what).contains(needAction + " VM" + (needAction == 1 ? "" : "s")
                        + " need action");
            }
            if (exposed > 0) {
                assertThat(n.title()).as(what).contains("(" + exposed + " exposed)");
            } else {
                assertThat(n.title()).as(what).doesNotContain("exposed");
            }
            long fixed = totals.path("fixed").asLong();
            assertThat(n.title().contains(fixed + " fixed")).as(what).isEqualTo(fixed > 0);
            assertThat(totals.path(Notification.COVERED).asLong()).isEqualTo(r.totals().covered());
            assertThat(totals.path(Notification.CLOSED).asLong()).isEqualTo(r.totals().closed());
        }
        assertThat(Notification.of(run("audit", true, false)).orElseThrow().title())
                .isEqualTo("jitguard audit, dry run (t): 3 VMs need action");
        assertThat(Notification.of(run("enforce", false, true)).orElseThrow().title())
                .isEqualTo("jitguard enforce (t): 3 VMs need action (3 exposed), 3 fixed");
    }

    @Test
    void teamsTextEscapesOnlyWhatItsMarkdownWouldRead() {
        assertThat(Notification.teamsEscape("vm_web_1 (rg-a): add port 22; C:\\temp")).isEqualTo(
                "vm_web_1 (rg-a): add port 22; C:\\temp");
        assertThat(Notification.teamsEscape("[click](http://x) **b** _i_ \\*")).isEqualTo(
                "\\[click\\](http://x) \\*\\*b\\*\\* \\_i\\_ \\\\\\*");
        assertThat(Notification.teamsEscape("a\n- b {{DATE(2017-02-14T06:00:00Z)}}")).doesNotContain("\n")
                .doesNotContain("{{");
    }
}
