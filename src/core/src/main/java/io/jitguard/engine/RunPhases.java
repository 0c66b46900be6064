package io.jitguard.engine;

/**
 * Told when a run enters each phase of the pipeline, for measurements (the bench prints the requests in flight per
 * phase): once per phase, in order, {@link Phase#WRITE} on the worker thread that plans the first subscription, the
 * others on the calling thread. Not called in a phase the run skips entirely ({@link Phase#READ_BACK} in a dry run,
 * {@link Phase#EXPOSURE} without a lone VM).
 */
@FunctionalInterface
public interface RunPhases {
    RunPhases NONE = phase -> {
    };

    void entered(Phase phase);

    enum Phase {
        /** Scope reads and evaluation, until the first subscription is planned (its writes are queued then). */
        READ,
        /**
         * From the first write on: the monitoring effect (policy assignments) and the JIT policy writes of each
         * subscription as soon as its reads are in, the reads of subscriptions not yet read, and, when no write or
         * scope read waits, the exposure reads of every scope but a lone VM (its virtual networks' admin rules, NSGs
         * on paths outside the scope).
         */
        WRITE,
        /** The end-of-run read-back of every written policy, and the exposure reads still under way. */
        READ_BACK,
        /** A lone VM's exposure reads (its NSGs, its virtual networks' admin rules), left until after the writes. */
        EXPOSURE,
        /** Nothing more is sent. */
        DONE
    }
}
