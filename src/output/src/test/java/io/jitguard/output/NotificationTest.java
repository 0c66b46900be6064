package io.jitguard.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
        assertThat(teams.toString()).contains("\\\\(");
        assertThat(Notification.Format.parse(null)).isEqualTo(Notification.Format.JSON);
    }
}
