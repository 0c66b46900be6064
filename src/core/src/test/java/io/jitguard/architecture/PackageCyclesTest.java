package io.jitguard.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The arrows of docs/architecture.md, checked from the sources (imports, not bytecode: fast, no build needed): no
 * package cycle across the main code of all modules, and core imports no Azure SDK. Runs with the repository root as
 * working directory.
 */
class PackageCyclesTest {
    private static final Path SRC = Path.of("src");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern QUALIFIED = Pattern.compile("\\bio\\.jitguard\\.[a-z][\\w.]*?\\.[A-Z]\\w*");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)\\s*;");

    @Test
    void noPackageCycleInTheMainCodeOfAnyModule() {
        Map<String, Set<String>> graph = graph(mainSources());
        assertThat(graph).as("sources were found").containsKey("io.jitguard.engine");
        assertThat(cycles(graph)).as("package cycles (strongly connected components)").isEmpty();
    }

    @Test
    void theMainCodeOfEveryModuleIsRead() {
        List<Path> read = mainSources();
        List<String> modules;
        try (Stream<Path> m = Files.list(SRC)) {
            modules = m.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(modules).as("ls src").contains("core", "azure", "functions", "cli", "emulator", "testkit", "output");
        for (String module : modules) {
            assertThat(read).as("main code of src/%s is read", module)
                    .anyMatch(f -> f.startsWith(SRC.resolve(module).resolve("src/main/java")));
        }
        assertThat(graph(read)).as("a package of every module is in the graph")
                .containsKeys("io.jitguard.engine", "io.jitguard.events", "io.jitguard.functions", "io.jitguard.cli",
                        "io.jitguard.emulator", "io.jitguard.testing", "io.jitguard.output");
    }

    @Test
    void coreImportsNoAzureSdk() {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources(SRC.resolve("core/src/main/java"))) {
            for (String imported : imports(read(file))) {
                if (imported.startsWith("com.azure") || imported.startsWith("com.microsoft")) {
                    offenders.add(SRC.relativize(file) + " imports " + imported);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", new TreeSet<>(Set.of("b")));
        g.put("b", new TreeSet<>(Set.of("c")));
        g.put("c", new TreeSet<>(Set.of("a")));
        g.put("d", new TreeSet<>(Set.of("a")));
        assertThat(cycles(g)).containsExactly(List.of("a", "b", "c"));
    }

    static List<Path> mainSources() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(SRC)) {
            modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory)
                    .forEach(dir -> files.addAll(sources(dir)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static List<Path> sources(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Package → packages of io.jitguard it imports or names fully qualified in code (same-package references need
     * neither).
     */
    static Map<String, Set<String>> graph(List<Path> files) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path file : files) {
            String text = read(file);
            Matcher m = PACKAGE.matcher(text);
            if (!m.find()) {
                continue;
            }
            String pkg = m.group(1);
            Set<String> deps = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
            List<String> referenced = new ArrayList<>(imports(text));
            for (String line : text.lines().toList()) {
                String t = line.strip();
                if (t.startsWith("*") || t.startsWith("//") || t.startsWith("/*") || t.startsWith("import ")
                        || t.startsWith("package ")) {
                    continue;
                }
                Matcher q = QUALIFIED.matcher(t);
                while (q.find()) {
                    referenced.add(q.group());
                }
            }
            for (String imported : referenced) {
                if (imported.startsWith("io.jitguard.")) {
                    String target = packageOf(imported);
                    if (!target.equals(pkg)) {
                        deps.add(target);
                    }
                }
            }
        }
        return graph;
    }

    /** {@code io.jitguard.x.Type} or {@code io.jitguard.x.Type.Nested} or a static member → {@code io.jitguard.x}. */
    private static String packageOf(String imported) {
        String[] parts = imported.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String part : parts) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
        }
        return pkg.toString();
    }

    private static List<String> imports(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tarjan's strongly connected components of more than one package, each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                strongConnect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void strongConnect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                      Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                      List<List<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                strongConnect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                component.sort(String::compareTo);
                out.add(component);
            }
        }
    }
}
