package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One write a dry run would make, like {@code az deployment what-if}: the document as read and the document that would
 * be PUT.
 *
 * @param target the resource id that would be written
 * @param before the document as read; null when the resource does not exist yet (the write creates it)
 * @param after  the body of the PUT
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PlannedChange(String target, JsonNode before, JsonNode after) {
}
