package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.time.Instant;

/**
 * How long a VM jitguard fixed stood unprotected: from the moment its drift began to jitguard's successful write.
 *
 * @param seconds     whole seconds from {@code driftSince} to {@code protectedAt}; null when the start is unknown
 * @param from        what dates the start: {@link #EVENT} (the ARM write that raised the event: its {@code eventTime}),
 *                    {@link #VM_CREATED} (the VM's {@code properties.timeCreated}), {@link #POLICY_MODIFIED} (the
 *                    policy's {@code systemData.lastModifiedAt}, else {@code createdAt}), or {@link #UNKNOWN}
 * @param driftSince  that moment; null when unknown
 * @param protectedAt when ARM accepted jitguard's write (the run's clock)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"seconds", "from", "driftSince", "protectedAt"})
public record TimeToProtect(Long seconds, String from, Instant driftSince, Instant protectedAt) {
    public static final String EVENT = "event";
    public static final String VM_CREATED = "vm-created";
    public static final String POLICY_MODIFIED = "policy-modified";
    public static final String UNKNOWN = "unknown";

    /** From a known start; a start after the write (clock skew) counts as 0 seconds, never negative. */
    public static TimeToProtect between(String from, Instant driftSince, Instant protectedAt) {
        long seconds = Math.max(0, Duration.between(driftSince, protectedAt).getSeconds());
        return new TimeToProtect(seconds, from, driftSince, protectedAt);
    }

    /** A fix whose drift ARM does not date: no number, never a guess. */
    public static TimeToProtect unknown(Instant protectedAt) {
        return new TimeToProtect(null, UNKNOWN, null, protectedAt);
    }

    /** {@code 42 s (event)} or {@code unknown}. */
    public String text() {
        return seconds == null ? UNKNOWN : seconds + " s (" + from + ")";
    }
}
