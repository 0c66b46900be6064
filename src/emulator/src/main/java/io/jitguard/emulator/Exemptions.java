package io.jitguard.emulator;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Policy exemptions ({@code Microsoft.Authorization/policyExemptions}): there is no stable api-version; the served
 * ones are the previews the SDKs bundle. List {@code $filter}: {@code atScope()}, {@code atExactScope()},
 * {@code excludeExpired()}, {@code policyAssignmentId eq '{id}'} (combinable with {@code and}); anything else is 400.
 * Unfiltered, a list returns the exemptions at the scope and below it.
 */
final class Exemptions {
    static final List<String> API_VERSIONS = List.of("2020-07-01-preview", "2022-07-01-preview", "2024-12-01-preview");
    static final String TYPE = "Microsoft.Authorization/policyExemptions";
    private static final Pattern ASSIGNMENT_EQ = Pattern.compile("(?i)policyAssignmentId\\s+eq\\s+'([^']*)'");

    private Exemptions() {
    }

    static List<ObjectNode> list(ResourceStore store, String scope, String filter) {
        boolean atScope = false;
        boolean exact = false;
        boolean excludeExpired = false;
        String assignment = null;
        if (filter != null && !filter.isBlank()) {
            for (String term : filter.trim().split("(?i)\\s+and\\s+")) {
                String t = term.trim();
                Matcher m = ASSIGNMENT_EQ.matcher(t);
                switch (t.toLowerCase(Locale.ROOT)) {
                    case "atscope()" -> atScope = true;
                    case "atexactscope()" -> exact = true;
                    case "excludeexpired()" -> excludeExpired = true;
                    default -> {
                        if (!m.matches()) {
                            throw new ArmHttp.ArmError(400, "InvalidFilterInQueryString", "The filter '" + filter
                                    + "' is not supported. Supported filters are atScope(), atExactScope(),"
                                    + " excludeExpired() and policyAssignmentId eq '{value}'.");
                        }
                        assignment = m.group(1);
                    }
                }
            }
        }
        Instant now = Instant.now();
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode e : store.list(TYPE, scope, null)) {
            String own = scopeOf(e.path("id").asText());
            if ((atScope || exact) && !own.equalsIgnoreCase(scope)) {
                continue; // no management groups here: "at scope" = this scope (its parents have none)
            }
            JsonNode p = e.path("properties");
            if (assignment != null && !p.path("policyAssignmentId").asText().equalsIgnoreCase(assignment)) {
                continue;
            }
            if (excludeExpired && p.hasNonNull("expiresOn")
                    && !OffsetDateTime.parse(p.get("expiresOn").asText()).toInstant().isAfter(now)) {
                continue;
            }
            out.add(e);
        }
        return out;
    }

    private static String scopeOf(String id) {
        int p = id.toLowerCase(Locale.ROOT).lastIndexOf("/providers/microsoft.authorization/policyexemptions/");
        return p < 0 ? id : id.substring(0, p);
    }
}
