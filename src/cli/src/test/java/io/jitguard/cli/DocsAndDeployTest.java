package io.jitguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documents a newcomer follows, checked against what they describe: the settings reference against the code,
 * {@code azure.yaml} against azd's published schema, the deploy steps' paths against what the build makes, and every
 * command's help.
 */
class DocsAndDeployTest {
    private static final Pattern SETTING = Pattern.compile("JITGUARD_[A-Z_]*[A-Z]");
    private static final String AZD_EXTENSIONS =
            "https://raw.githubusercontent.com/Azure/azure-dev/main/cli/azd/extensions/";
    private static final Path STAGED = Path.of("src/functions/target/azure-functions/jitguard");

    @Test
    void theSettingsReferenceListsExactlyTheSettingsTheCodeReads() throws IOException {
        Set<String> inCode = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .toList()) {
                Matcher m = Pattern.compile("\"(JITGUARD_[A-Z_]*[A-Z])\"").matcher(Files.readString(f));
                while (m.find()) {
                    inCode.add(m.group(1));
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("docs/settings.md"))) {
            Matcher row = Pattern.compile("^\\| `(JITGUARD_[A-Z_]*[A-Z])` \\|").matcher(line);
            if (row.find()) {
                documented.add(row.group(1));
            }
        }
        assertThat(inCode).hasSizeGreaterThan(10);
        assertThat(documented).as("docs/settings.md rows vs the names in src/*/src/main").isEqualTo(inCode);
    }

    @Test
    void azureYamlIsValidAgainstAzdsPublishedSchema() throws IOException {
        JsonNode azureYaml = new ObjectMapper(new YAMLFactory()).readTree(Path.of("azure.yaml").toFile());
        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/schemas/azure.yaml.json")) {
            // azd's extension schemas (referenced only for its AI hosts) stand in as the empty schema: no network here
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909, factory -> factory.schemaMappers(
                    mappers -> mappers.add(iri -> iri.toString().startsWith(AZD_EXTENSIONS)
                            ? com.networknt.schema.AbsoluteIri.of("classpath:schemas/azd-extension-stand-in.json")
                            : null))).getSchema(in);
        }
        Set<ValidationMessage> errors = schema.validate(azureYaml);
        assertThat(errors).isEmpty();

        // and the schema is not vacuous: a service without its host is refused
        JsonNode broken = new ObjectMapper(new YAMLFactory()).readTree("name: jitguard\nservices:\n  f:\n    project: .\n");
        assertThat(schema.validate(broken)).isNotEmpty();
    }

    @Test
    void azureYamlDeploysTheFunctionPackageTheBuildStages() throws IOException {
        JsonNode service = new ObjectMapper(new YAMLFactory()).readTree(Path.of("azure.yaml").toFile())
                .path("services").path("functions");
        assertThat(service.path("host").asText()).isEqualTo("function");
        assertThat(service.path("language").asText()).isEqualTo("java");
        Path project = Path.of(service.path("project").asText());
        assertThat(project.resolve("pom.xml")).exists();
        assertThat(project.resolve(service.path("dist").asText()).normalize()).isEqualTo(STAGED);
        assertThat(Path.of("infra/main.bicep")).exists();
        assertThat(Files.readString(Path.of("infra/main.bicep"))).contains("output functionAppName string");
        assertThat(service.path("resourceName").asText()).isEqualTo("${functionAppName}");
    }

    @Test
    void theDeployStepsNameFilesThatExistAfterTheBuild() throws IOException {
        List<String> steps = fencedBlockAfter(Path.of("docs/operations.md"), "<!-- deploy-steps");
        List<String> paths = new ArrayList<>();
        Matcher m = Pattern.compile("(?<![\\w/.-])((?:infra|src|target)/[\\w./-]+)").matcher(String.join("\n", steps));
        while (m.find()) {
            paths.add(m.group(1));
        }
        assertThat(paths).contains("infra/main.bicep", STAGED.toString(), STAGED + ".zip");
        for (String p : paths) {
            if (p.startsWith("infra/")) {
                assertThat(Path.of(p.equals("infra/main.parameters.json") ? "infra/main.parameters.example.json" : p))
                        .as(p).exists();
            }
        }
        // the package itself exists only after `mvn package` (the function module packages before these tests run)
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        assumeTrue(ci || Files.isDirectory(STAGED), "no staged function package (run mvn package first)");
        assertThat(STAGED.resolve("host.json")).exists();
        assertThat(STAGED.resolve("lib")).isDirectory();
        for (String p : paths) {
            if (p.startsWith("src/")) {
                Path path = Path.of(p);
                assertThat(p.endsWith(".zip") ? path.getParent() : path).as(p).exists();
            }
        }
    }

    @Test
    void theFunctionAppsJavaRuntimeIsTheSameInInfraAndThePlugin() throws IOException {
        Matcher plugin = Pattern.compile("<javaVersion>(\\d+)</javaVersion>")
                .matcher(Files.readString(Path.of("src/functions/pom.xml")));
        Matcher bicep = Pattern.compile("name: 'java'\\s+version: '(\\d+)'")
                .matcher(Files.readString(Path.of("infra/modules/functionapp.bicep")));
        assertThat(plugin.find()).isTrue();
        assertThat(bicep.find()).isTrue();
        assertThat(plugin.group(1)).isEqualTo(bicep.group(1)).isEqualTo("21");
    }

    @Test
    void theReadmeIsAShortFrontDoor() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme.lines().count()).isLessThan(250);
        assertThat(readme.length()).isLessThan(30_000);
        assertThat(readme).contains("mvn -B -q package -DskipTests && java -jar target/jitguard.jar demo")
                .contains("mvn -B verify").contains("azd up").doesNotContain("JAVA_TOOL_OPTIONS");
        for (Path doc : List.of(Path.of("README.md"), Path.of("docs/user-guide.md"), Path.of("docs/settings.md"),
                Path.of("docs/operations.md"))) {
            assertThat(Files.readString(doc)).as(doc.toString()).doesNotContainPattern("(?i)\\bissue \\d+")
                    .doesNotContain("branch ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sweep", "fix", "handle-event", "emulator", "demo", "bench"})
    void everyCommandsHelpListsTheSettingsItReadsAndTheExitCodes(String command) throws IOException {
        StringWriter out = new StringWriter();
        int code = Main.run(Map.of(), new String[] {command, "--help"}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        String help = out.toString();
        assertThat(code).isZero();
        assertThat(help).contains("Exit codes:").contains("Settings");
        if (List.of("sweep", "fix", "handle-event").contains(command)) {
            for (String line : Files.readAllLines(Path.of("docs/settings.md"))) {
                Matcher row = Pattern.compile("^\\| `(JITGUARD_[A-Z_]*[A-Z])` \\|.*\\| all runs \\|$").matcher(line);
                if (row.find() && !row.group(1).equals("JITGUARD_SUBSCRIPTIONS")) {
                    assertThat(help).as(command + " --help").contains(row.group(1));
                }
            }
            assertThat(help).contains("JITGUARD_SUBSCRIPTIONS");
        }
    }

    static List<String> fencedBlockAfter(Path doc, String marker) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(marker)) {
                List<String> block = new ArrayList<>();
                for (int j = i + 2; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
                    block.add(lines.get(j));
                }
                return block;
            }
        }
        throw new AssertionError(doc + " has no " + marker);
    }
}
