package io.jitguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --output-dir} / {@code --output-formats}, and the dry run's planned documents in the JSON report. */
class OutputOptionsTest extends CliFixture {
    @Test
    void aDryRunSweepWritesEveryFormatAndShowsThePlannedDocuments() throws IOException {
        Path dir = tmp.resolve("out");
        int code = run("sweep", "--dry-run", "--output-dir", dir.toString(), "--output-formats", "json,csv,html,ocsf");

        assertThat(code).as(stderr).isEqualTo(1);
        // a UTF-8 byte order mark first, so Excel reads non-Latin names right
        assertThat(dir.resolve("report.csv")).content().startsWith("\uFEFFsubscription_id,resource_group,vm_name,status");
        assertThat(dir.resolve("report.html")).content().contains("class=\"planned-change\"");
        assertThat(JSON.readTree(dir.resolve("report.ocsf.json").toFile()).get(0).path("class_uid").asInt())
                .isEqualTo(2003);
        JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
        JsonNode changes = report.path("plannedChanges");
        assertThat(changes.size()).isEqualTo(report.path("plannedWrites").size()).isPositive();
        JsonNode web = null;
        for (JsonNode c : changes) {
            if (c.path("target").asText().endsWith("/rg-web/providers/Microsoft.Security/locations/westeurope/"
                    + "jitNetworkAccessPolicies/default")) {
                web = c;
            }
        }
        assertThat(web).isNotNull();
        assertThat(web.path("before").path("properties").path("virtualMachines").toString())
                .doesNotContain("vm-web-2");
        assertThat(web.path("after").path("properties").path("virtualMachines").toString()).contains("vm-web-2");
        JsonNode assignment = null;
        for (JsonNode c : changes) {
            if (c.path("target").asText().endsWith("/SecurityCenterBuiltIn")) {
                assignment = c;
            }
        }
        if (assignment != null) {
            assertThat(assignment.at("/after/properties/parameters/jitNetworkAccessMonitoringEffect/value").asText())
                    .isEqualTo("AuditIfNotExists");
        }
    }

    @Test
    void anUnknownFormatIsAUsageErrorNamingItAndNothingIsWritten() {
        Path dir = tmp.resolve("out");
        assertThat(run("sweep", "--output-dir", dir.toString(), "--output-formats", "json,pdf")).isEqualTo(2);
        assertThat(stderr).contains("'pdf'");
        assertThat(dir).doesNotExist();
        assertThat(run("fix", "--output-formats", "csv", "--scope", "/subscriptions/11111111-1111-1111-1111-111111111111")).isEqualTo(2);
        assertThat(stderr).contains("--output-formats needs --output-dir");
    }

    @Test
    void theDefaultFormatIsJson() {
        Path dir = tmp.resolve("json-only");
        run("sweep", "--dry-run", "--output-dir", dir.toString());
        assertThat(dir.resolve("report.json")).exists();
        assertThat(dir.resolve("report.html")).doesNotExist();
    }

    @Test
    void aReportIsMovedIntoPlaceWholeAndAFailedOneLeavesTheOldFileAndNoPartOfItself() throws IOException {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("atomic"));
        Path file = dir.resolve("report.json");
        OutputOptions.write(file, out -> out.write("old".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(file).hasContent("old");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputOptions.write(file, out -> {
            out.write("half of a new report".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            throw new IllegalStateException("rendering failed");
        })).hasMessage("rendering failed");

        assertThat(file).hasContent("old");
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.json");
        }
        OutputOptions.write(file, out -> out.write("new".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(file).hasContent("new");
    }

    @Test
    void aLinkedReportFileKeepsItsLinkAndItsTargetGetsTheReport() throws IOException {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("linked"));
        Path target = java.nio.file.Files.writeString(dir.resolve("target.json"), "old");
        Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("report.json"), target);
        OutputOptions.write(link, out -> out.write("new".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(java.nio.file.Files.isSymbolicLink(link)).isTrue();
        assertThat(target).hasContent("new");
    }

    @Test
    void theReportFileHasTheJsonWithHowWritesWereLockedLast() throws IOException {
        Path file = tmp.resolve("report-with-locks.json");
        run("sweep", "--dry-run", "--report", file.toString());
        JsonNode report = JSON.readTree(file.toFile());
        java.util.List<String> fields = new java.util.ArrayList<>();
        report.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).startsWith("mode", "dryRun").endsWith("locks");
        assertThat(report.path("locks").asText()).isEqualTo("in-process");
        assertThat(java.nio.file.Files.readString(file)).startsWith("{\n  \"mode\" : ");
    }
}
