package io.jitguard.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One control of a regulatory standard that a finding evidences, as Azure Policy's regulatory-compliance initiative
 * names it ({@link Controls}).
 *
 * @param standard   the initiative's display name, e.g. {@code NIST SP 800-53 Rev. 5}
 * @param control    the initiative's group name for the control, e.g. {@code NIST_SP_800-53_R5_AC-4}
 * @param label      the control's own id within the standard, for people, e.g. {@code AC-4}
 * @param initiative the initiative's name (its policy set definition id, a GUID)
 */
@JsonPropertyOrder({"standard", "control", "label", "initiative"})
public record Control(String standard, String control, String label, String initiative) {
    /** A control as its id in JSON: VM entries name their controls by id, the report describes each once. */
    public static final class Id extends com.fasterxml.jackson.databind.util.StdConverter<Control, String> {
        @Override
        public String convert(Control value) {
            return value.control();
        }
    }

    /** {@code standard label}, e.g. {@code NIST SP 800-53 Rev. 5 AC-4}. */
    public String text() {
        return standard + " " + label;
    }
}
