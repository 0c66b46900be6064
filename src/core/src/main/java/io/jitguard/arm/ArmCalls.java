package io.jitguard.arm;

/** ARM requests as counted by jitguard: one per request it sent (each page of a list is one read). */
public record ArmCalls(long reads, long writes) {
    public ArmCalls minus(ArmCalls earlier) {
        return new ArmCalls(reads - earlier.reads, writes - earlier.writes);
    }
}
