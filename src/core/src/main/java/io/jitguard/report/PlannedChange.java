package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One write a dry run would make, like {@code az deployment what-if}: the document as read and the document that would
 * be PUT, and what differs between them per VM entry or value ({@link DocumentChanges}).
 *
 * @param target the resource id that would be written
 * @param before the document as read; null when the resource does not exist yet (the write creates it)
 * @param after  the body of the PUT
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"target", "changes", "before", "after"})
public record PlannedChange(String target, JsonNode before, JsonNode after) {
    /** What the write changes ({@link DocumentChanges#of}); read-only fields are never shown as removed. */
    @com.fasterxml.jackson.annotation.JsonProperty("changes")
    public java.util.List<DocumentChanges.Change> changes() {
        return DocumentChanges.of(before, after);
    }
}
