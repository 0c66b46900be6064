package io.jitguard.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md is the one map, so it is checked: its module table against each module's pom.xml, its package
 * lines against the imports of the main code. Runs with the repository root as working directory.
 */
class ArchitectureMapTest {
    private static final Path DOC = Path.of("docs", "architecture.md");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern OURS = Pattern.compile("<artifactId>jitguard-([\\w-]+)</artifactId>");
    private static final Pattern PACKAGE_LINE = Pattern.compile("(?m)^([a-z]+)\\s+->\\s+(.+)$");

    @Test
    void theModuleTableIsWhatThePomsDeclare() {
        Map<String, String> documented = new TreeMap<>();
        Map<String, String> declared = new TreeMap<>();
        for (String row : read(DOC).lines().filter(l -> l.startsWith("| `src/")).toList()) {
            String[] cells = row.split("\\|");
            String module = cells[1].trim().replace("`", "").substring("src/".length());
            documented.put(module, "main: " + set(cells[4]) + ", tests: " + set(cells[5]));
        }
        try (var modules = Files.list(Path.of("src"))) {
            for (Path dir : modules.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).toList()) {
                Set<String> main = new TreeSet<>();
                Set<String> tests = new TreeSet<>();
                Matcher d = DEPENDENCY.matcher(read(dir.resolve("pom.xml")));
                while (d.find()) {
                    Matcher ours = OURS.matcher(d.group(1));
                    if (ours.find()) {
                        String name = ours.group(1) + (d.group(1).contains("<type>test-jar</type>") ? " (test-jar)" : "");
                        (d.group(1).contains("<scope>test</scope>") ? tests : main).add(name);
                    }
                }
                declared.put(dir.getFileName().toString(), "main: " + main + ", tests: " + tests);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(documented).as("module table of %s vs the poms", DOC).isEqualTo(declared);
    }

    @Test
    void thePackageLinesAreWhatTheSourcesImport() {
        String doc = read(DOC);
        String block = doc.substring(doc.indexOf("## Packages"));
        block = block.substring(block.indexOf("```") + 3);
        block = block.substring(0, block.indexOf("```"));
        Map<String, Set<String>> documented = new TreeMap<>();
        Matcher m = PACKAGE_LINE.matcher(block);
        while (m.find()) {
            documented.put(m.group(1), m.group(2).trim().equals("nothing") ? Set.of() : set(m.group(2)));
        }
        Map<String, Set<String>> actual = new TreeMap<>();
        PackageCyclesTest.graph(PackageCyclesTest.mainSources()).forEach((pkg, deps) -> actual.put(
                pkg.replace("io.jitguard.", ""),
                deps.stream().map(d -> d.replace("io.jitguard.", "")).collect(Collectors.toCollection(TreeSet::new))));
        assertThat(documented).as("package lines of %s vs the imports", DOC).isEqualTo(actual);
    }

    private static Set<String> set(String cell) {
        String c = cell.trim();
        if (c.isEmpty() || c.equals("—")) {
            return new TreeSet<>();
        }
        return Arrays.stream(c.split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
