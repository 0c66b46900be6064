package io.jitguard.functions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jitguard.report.ScopeOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * One decision jitguard took, logged as one structured line: who drifted what (event, operation, actor), what
 * jitguard found in the scope, what it did and how that ended. Null fields are left out of the line.
 *
 * @param trigger   {@code event-grid}, {@code timer}, {@code queue}, {@code http:remediate}, {@code http:coverage}
 * @param eventId   the Event Grid / CloudEvents id, or the queue message id
 * @param operation {@code data.operationName} of the event
 * @param actor     who caused the event, from {@code data.claims} (name / upn / appid), or the HTTP caller
 * @param subject   the resource the event or request named
 * @param scope     the scope reconciled for it
 * @param finding   what the scope looked like, e.g. {@code vm-web-2 fixed: missing ports 22,3389}
 * @param action    what jitguard did, e.g. {@code wrote 1: rg-web/default}, {@code none}
 * @param result    the scope's {@link ScopeOutcome#result()} ({@code compliant}, {@code fixed}, {@code exposed}
 *                  (only exposure remains), {@code findings-remain}, {@code would-fix}, {@code failed},
 *                  {@code transient-failure}, {@code rejected}, {@code out-of-scope}, {@code not-found}), or what the
 *                  trigger did instead of reconciling: {@code self}, {@code ignored}, {@code enqueued},
 *                  {@code handed-off}
 * @param reason    why, for anything but a plain success
 * @param timeToProtectSeconds for a scope in which jitguard fixed VMs: the seconds from the ARM write that raised the
 *                  event (or, for the sweep, from the start ARM dates) to jitguard's successful write, the longest of
 *                  the scope's VMs; null when nothing was fixed or no start is known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"trigger", "invocationId", "eventId", "eventType", "operation", "actor", "subject", "scope",
        "finding", "action", "result", "reason", "timeToProtectSeconds"})
public record Decision(String trigger, String invocationId, String eventId, String eventType, String operation,
                      String actor, String subject, String scope, String finding, String action, String result,
                      String reason, Long timeToProtectSeconds) {
    /** An event raised by jitguard's own write: nothing to reconcile. */
    public static final String SELF = "self";
    /** An event that names no scope jitguard reconciles. */
    public static final String IGNORED = "ignored";
    /** The nightly sweep put the subscription on the queue. */
    public static final String ENQUEUED = "enqueued";
    /** Event Grid handed a {@link ScopeOutcome.Requeue} scope off to the queue. */
    public static final String HANDED_OFF = "handed-off";

    /** Every result a decision line can carry (the workbook and the alerts compare with these). */
    public static List<String> results() {
        List<String> all = new ArrayList<>(ScopeOutcome.results());
        all.addAll(List.of(SELF, IGNORED, ENQUEUED, HANDED_OFF));
        return List.copyOf(all);
    }

    public static Decision of(String trigger, String invocationId) {
        return new Decision(trigger, invocationId, null, null, null, null, null, null, null, null, null, null, null);
    }

    public Decision event(String id, String type, String op, String who, String subj) {
        return new Decision(trigger, invocationId, id, type, op, who, subj, scope, finding, action, result, reason,
                timeToProtectSeconds);
    }

    public Decision actor(String who) {
        return new Decision(trigger, invocationId, eventId, eventType, operation, who, subject, scope, finding, action,
                result, reason, timeToProtectSeconds);
    }

    public Decision subject(String subj) {
        return new Decision(trigger, invocationId, eventId, eventType, operation, actor, subj, scope, finding, action,
                result, reason, timeToProtectSeconds);
    }

    public Decision scope(String s) {
        return new Decision(trigger, invocationId, eventId, eventType, operation, actor, subject, s, finding, action,
                result, reason, timeToProtectSeconds);
    }

    public Decision outcome(String found, String did, String res, String why) {
        return new Decision(trigger, invocationId, eventId, eventType, operation, actor, subject, scope, found, did,
                res, why, timeToProtectSeconds);
    }

    /** The same decision with this time to protect (null = none known). */
    public Decision timeToProtect(Long seconds) {
        return new Decision(trigger, invocationId, eventId, eventType, operation, actor, subject, scope, finding, action,
                result, reason, seconds);
    }

    /** Ends the decision with the scope's outcome, keeping the finding and action (none when not set). */
    public Decision ended(ScopeOutcome outcome) {
        return outcome(finding, action == null ? "none" : action, outcome.result(), outcome.reason());
    }

    /** Ends the decision without reconciling: {@code ignored}, {@code self}, {@code rejected}, ... */
    public Decision result(String res, String why) {
        return outcome(finding, "none", res, why);
    }
}
