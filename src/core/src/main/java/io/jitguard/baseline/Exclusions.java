package io.jitguard.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitguard.model.ArmId;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may take a VM out of JIT, and until when. Two sources:
 * <ul>
 * <li>{@code JITGUARD_EXCLUSIONS}: entries an operator approved (only those who control the app settings can change
 * them), each with a scope (subscription, resource group or VM id), a reason, {@code expiresOn} and who approved it;</li>
 * <li>only when {@code JITGUARD_TAG_EXCLUSIONS=on} (off by default): a tag ({@code JITGUARD_EXCLUDE_TAG}, default
 * {@code jitguard-exclude}) on the VM or its resource group, set to the last day it applies ({@code 2026-12-31}), no
 * further than {@code JITGUARD_TAG_MAX_DAYS} (default 30) ahead. Anyone who may tag a VM can set it, so a tag without
 * a day ({@code true}), with a day too far ahead, or with anything else is refused: reported, and the VM enforced.
 * A tag while tags are off is refused the same way, so its owner learns why the VM is still in JIT.</li>
 * </ul>
 * An exclusion applies through its {@code expiresOn} day (UTC) and stops applying the day after.
 *
 * @param tagMaxDays how many days ahead of the run's day a tag's last day may lie
 */
public record Exclusions(List<Entry> entries, String tagName, boolean tagsHonoured, int tagMaxDays) {
    public static final String DEFAULT_TAG = "jitguard-exclude";
    public static final int DEFAULT_TAG_MAX_DAYS = 30;
    /** The longest {@code JITGUARD_TAG_MAX_DAYS} accepted: a tag is a short opt-out, the governed path is the list. */
    public static final int MAX_TAG_MAX_DAYS = 366;
    private static final Pattern SCOPE = Pattern.compile(
            "/subscriptions/" + ArmId.GUID.pattern()
                    + "(/resourceGroups/[^/]+(/providers/Microsoft\\.Compute/virtualMachines/[^/]+)?)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG_NAME = Pattern.compile("[^<>%&\\\\?/]{1,512}");
    private static final Set<String> FIELDS = Set.of("scope", "reason", "expiresOn", "approvedBy");

    public Exclusions {
        entries = List.copyOf(entries);
        if (tagMaxDays < 0 || tagMaxDays > MAX_TAG_MAX_DAYS) {
            throw new IllegalArgumentException("tagMaxDays " + tagMaxDays + " is outside 0-" + MAX_TAG_MAX_DAYS);
        }
    }

    /** Tags honoured or not, at most {@value #DEFAULT_TAG_MAX_DAYS} days ahead. */
    public Exclusions(List<Entry> entries, String tagName, boolean tagsHonoured) {
        this(entries, tagName, tagsHonoured, DEFAULT_TAG_MAX_DAYS);
    }

    /** No approved entries, tags off. */
    public static Exclusions defaults() {
        return new Exclusions(List.of(), DEFAULT_TAG, false);
    }

    /** One approved exclusion from {@code JITGUARD_EXCLUSIONS}. */
    public record Entry(String scope, String reason, LocalDate expiresOn, String approvedBy) {
        boolean covers(String vmId) {
            String s = scope.toLowerCase(Locale.ROOT);
            String vm = vmId.toLowerCase(Locale.ROOT);
            return vm.equals(s) || vm.startsWith(s + "/");
        }
    }

    /**
     * What excluded a VM, would have until it expired, or was refused.
     *
     * @param tagValue the exclusion tag's value as found on the resource (null for an approved entry)
     * @param refusal  why a tag was not honoured (null when it was); a refused tag never excludes
     */
    public record Decision(boolean excluded, String rule, LocalDate until, String reason, String tagValue,
                           String refusal) {
        public Decision(boolean excluded, String rule, LocalDate until, String reason) {
            this(excluded, rule, until, reason, null, null);
        }

        public boolean refused() {
            return refusal != null;
        }

        /** Human text: {@code excluded by JITGUARD_EXCLUSIONS (scope) until 2026-12-31: reason}. */
        public String describe() {
            if (refused()) {
                return "exclusion refused: " + rule + " = \"" + tagValue + "\": " + refusal;
            }
            String when = until == null ? "with no end date" : (excluded ? "until " : "expired ") + until;
            return (excluded ? "excluded by " : "exclusion ") + rule + " " + when
                    + (reason == null || reason.isBlank() ? "" : ": " + reason);
        }
    }

    /**
     * The exclusion that applies to a VM on {@code today}, else an expired one (to be reported), else empty.
     * Approved entries come first; of several, the one lasting longest wins.
     */
    public Optional<Decision> decide(String vmId, Map<String, String> vmTags, Map<String, String> groupTags,
                                     LocalDate today) {
        List<Decision> found = new ArrayList<>();
        for (Entry e : entries) {
            if (e.covers(vmId)) {
                found.add(new Decision(!today.isAfter(e.expiresOn()), Settings.EXCLUSIONS + " (" + e.scope()
                        + ", approved by " + e.approvedBy() + ")", e.expiresOn(), e.reason()));
            }
        }
        tag(vmTags, "tag " + tagName + " on the VM", today).ifPresent(found::add);
        tag(groupTags, "tag " + tagName + " on its resource group", today).ifPresent(found::add);
        Optional<Decision> active = found.stream().filter(Decision::excluded)
                .max((a, b) -> a.until() == null ? 1 : b.until() == null ? -1 : a.until().compareTo(b.until()));
        return active.isPresent() ? active : found.stream().findFirst();
    }

    /** The tag's decision: honoured with a last day within reach, expired, or refused (never silently ignored). */
    private Optional<Decision> tag(Map<String, String> tags, String rule, LocalDate today) {
        String value = null;
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (t.getKey().equalsIgnoreCase(tagName)) {
                value = t.getValue() == null ? "" : t.getValue().strip();
            }
        }
        if (value == null) {
            return Optional.empty();
        }
        if (!tagsHonoured) {
            return Optional.of(refused(rule, value, "tag exclusions are off (" + Settings.TAG_EXCLUSIONS
                    + "); approved exclusions go in " + Settings.EXCLUSIONS));
        }
        LocalDate until;
        try {
            until = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            return Optional.of(refused(rule, value, "the tag must be the last day it applies (yyyy-mm-dd), at most "
                    + tagMaxDays + " days ahead"));
        }
        LocalDate latest = today.plusDays(tagMaxDays);
        if (until.isAfter(latest)) {
            return Optional.of(refused(rule, value, until + " is more than " + tagMaxDays + " days ahead (latest "
                    + latest + ", " + Settings.TAG_MAX_DAYS + ")"));
        }
        return Optional.of(new Decision(!today.isAfter(until), rule, until, null, value, null));
    }

    private static Decision refused(String rule, String value, String why) {
        return new Decision(false, rule, null, null, value, why);
    }

    /**
     * Parses the JSON of {@code JITGUARD_EXCLUSIONS}: an array of {@code {scope, reason, expiresOn, approvedBy}} (or an
     * object with such an array under {@code exclusions}). Every field is required; unknown fields are refused.
     *
     * @throws SettingsException naming the setting and the entry that is wrong
     */
    public static List<Entry> parseEntries(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new SettingsException(Settings.EXCLUSIONS, "is not JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode list = root != null && root.isObject() ? root.path("exclusions") : root;
        if (list == null || !list.isArray()) {
            throw new SettingsException(Settings.EXCLUSIONS,
                    "must be a JSON array of {scope, reason, expiresOn, approvedBy} (or {\"exclusions\": [...]})");
        }
        List<Entry> entries = new ArrayList<>();
        int i = 0;
        for (JsonNode item : list) {
            String where = "entry " + i++;
            if (!item.isObject()) {
                throw new SettingsException(Settings.EXCLUSIONS, where + " is not an object");
            }
            for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw new SettingsException(Settings.EXCLUSIONS, where + " has an unknown field \"" + name
                            + "\" (expected scope, reason, expiresOn, approvedBy)");
                }
            }
            String scope = text(item, "scope", where).replaceAll("/+$", "");
            if (!SCOPE.matcher(scope).matches() || scope.contains("..")) {
                throw new SettingsException(Settings.EXCLUSIONS, where + ": scope \"" + scope
                        + "\" is not a subscription, resource group or virtual machine id");
            }
            String reason = text(item, "reason", where);
            String approvedBy = text(item, "approvedBy", where);
            LocalDate expiresOn;
            try {
                expiresOn = LocalDate.parse(text(item, "expiresOn", where).substring(0,
                        Math.min(10, text(item, "expiresOn", where).length())));
            } catch (DateTimeParseException e) {
                throw new SettingsException(Settings.EXCLUSIONS, where + ": expiresOn \""
                        + item.path("expiresOn").asText() + "\" is not a date such as 2026-12-31");
            }
            entries.add(new Entry(scope, reason, expiresOn, approvedBy));
        }
        return List.copyOf(entries);
    }

    /** Validates {@code JITGUARD_EXCLUDE_TAG}. */
    public static String tagName(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_TAG;
        }
        String name = raw.strip();
        if (!TAG_NAME.matcher(name).matches()) {
            throw new SettingsException(Settings.EXCLUDE_TAG, "\"" + name + "\" is not a valid Azure tag name");
        }
        return name;
    }

    /** Validates {@code JITGUARD_TAG_EXCLUSIONS}: {@code on} or {@code off} (default). */
    public static boolean tagsHonoured(String raw) {
        if (raw == null || raw.isBlank() || raw.strip().equalsIgnoreCase("off")) {
            return false;
        }
        if (raw.strip().equalsIgnoreCase("on")) {
            return true;
        }
        throw new SettingsException(Settings.TAG_EXCLUSIONS, "\"" + raw.strip() + "\" is neither on nor off");
    }

    /** Validates {@code JITGUARD_TAG_MAX_DAYS}: a whole number of days, 1-{@value #MAX_TAG_MAX_DAYS}; default 30. */
    public static int tagMaxDays(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_TAG_MAX_DAYS;
        }
        String v = raw.strip();
        if (!v.matches("[0-9]{1,3}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > MAX_TAG_MAX_DAYS) {
            throw new SettingsException(Settings.TAG_MAX_DAYS, "\"" + v + "\" is not a number of days from 1 to "
                    + MAX_TAG_MAX_DAYS);
        }
        return Integer.parseInt(v);
    }

    private static String text(JsonNode item, String field, String where) {
        JsonNode v = item.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new SettingsException(Settings.EXCLUSIONS, where + " needs a non-empty text \"" + field + "\"");
        }
        return v.asText().strip();
    }
}
