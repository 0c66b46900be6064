package io.jitguard.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who caused an ARM operation: the {@code data.claims} of a Resources event, or the payload of an access token (the
 * same claim names in their short JWT form). The one place that knows the claim names and their fallbacks: object id
 * (long ARM form, then {@code oid}), application id ({@code appid}, then {@code azp}), name, UPN (long ARM form, then
 * {@code upn}, then {@code unique_name}). A value that is not a non-blank string counts as absent.
 */
public final class Claims {
    public static final String OBJECT_ID_LONG = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    public static final String UPN_LONG = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
    private static final int MAX_PART = 120;
    private static final Claims NONE = new Claims(null);

    private final JsonNode node;

    private Claims(JsonNode node) {
        this.node = node;
    }

    /** The claims of this object; none when it is null or not a JSON object. */
    public static Claims of(JsonNode claims) {
        return claims != null && claims.isObject() ? new Claims(claims) : NONE;
    }

    public static Claims none() {
        return NONE;
    }

    public Optional<String> objectId() {
        return first(OBJECT_ID_LONG, "oid");
    }

    public Optional<String> appId() {
        return first("appid", "azp");
    }

    public Optional<String> name() {
        return first("name");
    }

    public Optional<String> upn() {
        return first(UPN_LONG, "upn", "unique_name");
    }

    /** One name for who it was: the name, else the UPN, else the application id; null when none is there. */
    public String actor() {
        return name().or(this::upn).or(this::appId).orElse(null);
    }

    /** Who, as {@code name / upn / appid} (those present, each cut at 120 characters), or null when none is there. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Optional<String> part : List.of(name(), upn(), appId())) {
            part.map(String::strip).map(t -> t.length() > MAX_PART ? t.substring(0, MAX_PART) : t)
                    .ifPresent(parts::add);
        }
        return parts.isEmpty() ? null : String.join(" / ", parts);
    }

    private Optional<String> first(String... names) {
        if (node == null) {
            return Optional.empty();
        }
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return Optional.of(v.asText());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return node == null ? "Claims[none]" : "Claims[" + describe() + "]";
    }
}
