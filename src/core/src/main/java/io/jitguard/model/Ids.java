package io.jitguard.model;

import java.util.Locale;
import java.util.regex.Pattern;

/** The one definition of how jitguard compares ARM ids and recognises a GUID. */
public final class Ids {
    /** A GUID in its canonical 8-4-4-4-12 form, any case (subscription and tenant ids). */
    public static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    /** ARM ids compare case-insensitively: the lower-case form is the map key ({@code ""} for null). */
    public static String key(String id) {
        return id == null ? "" : id.toLowerCase(Locale.ROOT);
    }

    public static boolean isGuid(String value) {
        return value != null && GUID.matcher(value).matches();
    }
}
