package io.jitguard.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Faults the emulator injects before handling a request (so a faulted request never changes state). Two sources:
 * a deterministic {@link #script(ScriptedFault...) script}, consumed in order (the first entry that matches the
 * method and path and still has {@code times} left fires), then random faults at {@link #rate(double) rate} among
 * {@link #kinds(String...) kinds}, from a seeded {@link Random}. Never applied to {@code /_emulator/*}. Thread-safe.
 *
 * <p>Kinds: {@code 429} (with {@code Retry-After}), {@code 500}, {@code 503}, {@code reset} (connection closed without
 * a response), {@code slow} (answer normally after {@code slowMs}), {@code lost-answer} (the request is applied,
 * then the connection is closed without the answer: the caller cannot know whether its write happened). Scripted
 * entries may also name any HTTP status 400–599.
 */
public final class FaultPlan {
    public static final Set<String> KINDS = Set.of("429", "500", "503", "reset", "slow", "lost-answer");

    /** One deterministic fault: {@code method} ({@code null} or {@code *} = any), path substring (case-insensitive,
     * {@code null} = any), kind (see class doc) and how many times it fires. */
    public record ScriptedFault(String method, String pathContains, String kind, int times) {
        public ScriptedFault {
            kind = validKind(kind, true);
            if (times < 1) {
                throw new IllegalArgumentException("times must be at least 1, was " + times);
            }
        }

        public static ScriptedFault status(String method, String pathContains, int status, int times) {
            return new ScriptedFault(method, pathContains, Integer.toString(status), times);
        }

        public static ScriptedFault of(String method, String pathContains, String kind, int times) {
            return new ScriptedFault(method, pathContains, kind, times);
        }

        boolean matches(String m, String path) {
            boolean methodOk = method == null || method.equals("*") || method.equalsIgnoreCase(m);
            boolean pathOk = pathContains == null
                    || path.toLowerCase(Locale.ROOT).contains(pathContains.toLowerCase(Locale.ROOT));
            return methodOk && pathOk;
        }
    }

    /** What to do to one request. */
    record Fault(String kind) {
        boolean isReset() {
            return kind.equals("reset");
        }

        boolean isSlow() {
            return kind.equals("slow");
        }

        boolean isLostAnswer() {
            return kind.equals("lost-answer");
        }

        int status() {
            return Integer.parseInt(kind);
        }
    }

    private double rate;
    private List<String> kinds = List.of("429", "500", "503", "reset", "slow");
    private int retryAfterSeconds = 1;
    private long slowMs = 200;
    private long seed = 42;
    private Random random = new Random(seed);
    private final List<ScriptedFault> script = new ArrayList<>();
    private final List<Integer> remaining = new ArrayList<>();

    public FaultPlan() {
    }

    static String validKind(String kind, boolean allowAnyStatus) {
        if (kind == null) {
            throw new IllegalArgumentException("fault kind is missing");
        }
        String k = kind.trim().toLowerCase(Locale.ROOT);
        if (KINDS.contains(k)) {
            return k;
        }
        if (allowAnyStatus && k.matches("[45]\\d\\d")) {
            return k;
        }
        throw new IllegalArgumentException("unknown fault kind '" + kind + "' (expected one of 429, 500, 503, reset, slow, lost-answer"
                + (allowAnyStatus ? " or an HTTP status 400-599" : "") + ")");
    }

    public synchronized double rate() {
        return rate;
    }

    /** Probability (0–1) that a request gets a random fault. */
    public synchronized FaultPlan rate(double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("fault rate must be between 0 and 1, was " + rate);
        }
        this.rate = rate;
        return this;
    }

    public synchronized List<String> kinds() {
        return kinds;
    }

    public FaultPlan kinds(String... kinds) {
        return kinds(Arrays.asList(kinds));
    }

    public synchronized FaultPlan kinds(Collection<String> kinds) {
        List<String> checked = new ArrayList<>();
        for (String k : kinds) {
            checked.add(validKind(k, false));
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("fault kinds must not be empty");
        }
        this.kinds = List.copyOf(checked);
        return this;
    }

    public synchronized int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public synchronized FaultPlan retryAfterSeconds(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
        }
        this.retryAfterSeconds = seconds;
        return this;
    }

    public synchronized long slowMs() {
        return slowMs;
    }

    public synchronized FaultPlan slowMs(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("slowMs must be >= 0");
        }
        this.slowMs = millis;
        return this;
    }

    /** Re-seeds the random source (repeatable fault sequences). */
    public synchronized FaultPlan seed(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        return this;
    }

    /** Replaces the script. */
    public synchronized FaultPlan script(ScriptedFault... entries) {
        return script(Arrays.asList(entries));
    }

    public synchronized FaultPlan script(List<ScriptedFault> entries) {
        script.clear();
        remaining.clear();
        entries.forEach(this::addScript);
        return this;
    }

    /** Appends one entry to the script. */
    public synchronized FaultPlan addScript(ScriptedFault entry) {
        script.add(entry);
        remaining.add(entry.times());
        return this;
    }

    /** Script entries with the number of times each still fires. */
    public synchronized List<ScriptedFault> pendingScript() {
        List<ScriptedFault> out = new ArrayList<>();
        for (int i = 0; i < script.size(); i++) {
            if (remaining.get(i) > 0) {
                ScriptedFault f = script.get(i);
                out.add(new ScriptedFault(f.method(), f.pathContains(), f.kind(), remaining.get(i)));
            }
        }
        return out;
    }

    /** No more faults: rate 0 and an empty script (kinds, delays and seed are kept). */
    public synchronized FaultPlan clear() {
        rate = 0.0;
        script.clear();
        remaining.clear();
        return this;
    }

    /** Decides the fault (if any) for one request. */
    synchronized Optional<Fault> next(String method, String path) {
        for (int i = 0; i < script.size(); i++) {
            if (remaining.get(i) > 0 && script.get(i).matches(method, path)) {
                remaining.set(i, remaining.get(i) - 1);
                return Optional.of(new Fault(script.get(i).kind()));
            }
        }
        if (rate > 0 && random.nextDouble() < rate) {
            return Optional.of(new Fault(kinds.get(random.nextInt(kinds.size()))));
        }
        return Optional.empty();
    }

    /** Applies the estate's {@code faults} object; {@code where} prefixes error messages. */
    void configure(JsonNode faults, String where) {
        if (faults == null || faults.isNull() || faults.isMissingNode()) {
            return;
        }
        if (!faults.isObject()) {
            throw new EstateException(where + ": must be an object");
        }
        try {
            if (faults.has("rate")) {
                if (!faults.get("rate").isNumber()) {
                    throw new EstateException(where + ".rate: must be a number between 0 and 1");
                }
                rate(faults.get("rate").asDouble());
            }
            if (faults.has("kinds")) {
                JsonNode k = faults.get("kinds");
                if (!k.isArray()) {
                    throw new EstateException(where + ".kinds: must be an array");
                }
                List<String> list = new ArrayList<>();
                k.forEach(n -> list.add(n.asText()));
                kinds(list);
            }
            if (faults.has("retryAfterSeconds")) {
                retryAfterSeconds(intField(faults, "retryAfterSeconds", where));
            }
            if (faults.has("slowMs")) {
                slowMs(intField(faults, "slowMs", where));
            }
            if (faults.has("seed")) {
                seed(faults.get("seed").asLong());
            }
            if (faults.has("script")) {
                JsonNode s = faults.get("script");
                if (!s.isArray()) {
                    throw new EstateException(where + ".script: must be an array");
                }
                List<ScriptedFault> entries = new ArrayList<>();
                for (int i = 0; i < s.size(); i++) {
                    entries.add(scriptEntry(s.get(i), where + ".script[" + i + "]"));
                }
                script(entries);
            }
        } catch (IllegalArgumentException e) {
            throw new EstateException(where + ": " + e.getMessage());
        }
    }

    private static int intField(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (!v.isIntegralNumber()) {
            throw new EstateException(where + "." + field + ": must be an integer");
        }
        return v.asInt();
    }

    private static ScriptedFault scriptEntry(JsonNode e, String where) {
        if (!e.isObject()) {
            throw new EstateException(where + ": must be an object");
        }
        String kind = e.hasNonNull("kind") ? e.get("kind").asText()
                : e.hasNonNull("status") ? e.get("status").asText() : null;
        if (kind == null) {
            throw new EstateException(where + ": needs 'status' or 'kind'");
        }
        int times = e.has("times") ? e.get("times").asInt() : 1;
        try {
            return new ScriptedFault(e.hasNonNull("method") ? e.get("method").asText() : null,
                    e.hasNonNull("pathContains") ? e.get("pathContains").asText() : null, kind, times);
        } catch (IllegalArgumentException ex) {
            throw new EstateException(where + ": " + ex.getMessage());
        }
    }

    synchronized ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("rate", rate);
        ArrayNode k = o.putArray("kinds");
        kinds.forEach(k::add);
        o.put("retryAfterSeconds", retryAfterSeconds);
        o.put("slowMs", slowMs);
        o.put("seed", seed);
        ArrayNode s = o.putArray("script");
        for (ScriptedFault f : pendingScript()) {
            ObjectNode e = s.addObject();
            e.put("method", f.method());
            e.put("pathContains", f.pathContains());
            e.put("kind", f.kind());
            e.put("times", f.times());
        }
        return o;
    }
}
