package io.jitguard.read;

import java.util.List;

/**
 * Counts the estate's VMs per resource group, cheaply and approximately (Resource Graph lags ARM by seconds to
 * minutes): it only sizes work, it is never read for what to change.
 */
public interface EstateCensus {
    /**
     * One row per resource group holding at least one VM, across {@code subscriptionIds}; a subscription without a row
     * held no VM.
     *
     * @throws CensusFailedException when the count cannot be had (the caller plans without it)
     */
    List<VmCount> vmCounts(List<String> subscriptionIds);

    /** The count could not be had: the service refused or failed, or answered something that is not a count. */
    class CensusFailedException extends RuntimeException {
        public CensusFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A census that always fails with {@code reason} (no Resource Graph configured, e.g. a given ARM client). */
    static EstateCensus unavailable(String reason) {
        return subscriptionIds -> {
            throw new CensusFailedException(reason, null);
        };
    }
}
