package io.jitguard.evaluate;

/** What evaluation found for one VM. */
public enum VmState {
    /** In a JIT policy of its resource group and location, with every baseline port at most the baseline duration. */
    COMPLIANT,
    /** In no JIT policy of its resource group and location. */
    MISSING,
    /** Listed, but a baseline port is missing or a rule is looser than the baseline. */
    LOOSE,
    /** JIT cannot protect it (classic, no NSG or firewall, no policy name fits): reported, never written. */
    UNSUPPORTED,
    /** Tagged out by the VM's or its resource group's exclusion tag: never written. */
    EXCLUDED,
    /** Its subscription lacks Defender for Servers Plan 2: no JIT write is attempted. */
    BLOCKED;

    public boolean needsWrite() {
        return this == MISSING || this == LOOSE;
    }
}
