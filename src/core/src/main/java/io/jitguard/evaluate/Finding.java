package io.jitguard.evaluate;

import io.jitguard.baseline.Exclusions;
import java.util.Objects;

/**
 * One thing a {@link VmCheck} found about a VM.
 *
 * @param kind   what it is about; its {@link FindingKind#remedy() remedy} says whether a JIT write fixes it
 * @param reason in words, for people (the VM's reason in the report when this finding decides its state)
 * @param policy for a JIT-write finding: the policy the fix writes (an existing one, or one to create); else null
 * @param gap    for {@link FindingKind#MISSING_RULE} / {@link FindingKind#LOOSE_RULE}: the port and what is loose
 *               (typed: {@link RuleCheck.Gap}); else null
 * @param exclusion for {@link FindingKind#EXCLUDED} / {@link FindingKind#EXCLUSION_EXPIRED} /
 *                  {@link FindingKind#EXCLUSION_REFUSED}: which rule, until when, the tag's value; else null
 * @param exposure  for {@link FindingKind#EXPOSED} / {@link FindingKind#NO_JIT_DENY}: the port and the rule; else null
 */
public record Finding(FindingKind kind, String reason, PolicyNaming.Target policy, RuleCheck.Gap gap,
                      Exclusions.Decision exclusion, ExposedPort exposure) {
    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if (kind.remedy() == Remedy.JIT_POLICY_WRITE && policy == null) {
            throw new IllegalArgumentException(kind + " needs the policy its fix writes");
        }
    }

    public Finding(FindingKind kind, String reason, PolicyNaming.Target policy, RuleCheck.Gap gap) {
        this(kind, reason, policy, gap, null, null);
    }

    /** An exclusion that applies ({@link FindingKind#EXCLUDED}), has expired or was refused. */
    public static Finding exclusion(Exclusions.Decision decision, String reason) {
        FindingKind kind = decision.excluded() ? FindingKind.EXCLUDED
                : decision.refused() ? FindingKind.EXCLUSION_REFUSED : FindingKind.EXCLUSION_EXPIRED;
        return new Finding(kind, reason, null, null, decision, null);
    }

    /** A report-only finding. */
    public static Finding report(FindingKind kind, String reason) {
        return new Finding(kind, reason, null, null);
    }

    /** A report-only exposure finding ({@link FindingKind#EXPOSED}, {@link FindingKind#NO_JIT_DENY}). */
    public static Finding exposure(FindingKind kind, String reason, ExposedPort exposure) {
        return new Finding(kind, reason, null, null, null, exposure);
    }

    /** A baseline gap of a rule list, fixed by writing {@code policy}. */
    public static Finding gap(PolicyNaming.Target policy, RuleCheck.Gap gap) {
        FindingKind kind = gap.kind() == RuleCheck.Kind.ADD ? FindingKind.MISSING_RULE : FindingKind.LOOSE_RULE;
        return new Finding(kind, gap.text(), policy, gap);
    }

    public Remedy remedy() {
        return kind.remedy();
    }

    /** What a fix changes, in words ("add to policy default", "add port 22", "tighten port …"). */
    public String change() {
        if (gap != null) {
            return gap.text();
        }
        return kind == FindingKind.NOT_IN_POLICY ? "add to policy " + policy.name() : reason;
    }
}
