package io.jitguard.engine;

/**
 * Told when a run enters each phase of the pipeline, on the calling thread, for measurements (the bench prints the
 * requests in flight per phase). Not called in a phase the run skips entirely.
 */
@FunctionalInterface
public interface RunPhases {
    RunPhases NONE = phase -> {
    };

    void entered(Phase phase);

    enum Phase {
        /** Scope reads and evaluation. */
        READ,
        /**
         * The monitoring effect (policy assignments) and the JIT policy writes; alongside them, the exposure reads of
         * every scope but a lone VM (its virtual networks' admin rules, NSGs on paths outside the scope).
         */
        WRITE,
        /** The end-of-run read-back of every written policy. */
        READ_BACK,
        /** A lone VM's exposure reads (its NSGs, its virtual networks' admin rules), left until after the writes. */
        EXPOSURE,
        /** Nothing more is sent. */
        DONE
    }
}
