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
    /**
     * Controls as their ids in JSON: VM entries name their controls by id, the report describes each once. Written
     * directly (10,000 findings of 30 controls each are 300,000 ids).
     */
    public static final class Ids
            extends com.fasterxml.jackson.databind.ser.std.StdSerializer<java.util.List<Control>> {
        @SuppressWarnings("unchecked")
        public Ids() {
            super((Class<java.util.List<Control>>) (Class<?>) java.util.List.class);
        }

        @Override
        public void serialize(java.util.List<Control> controls, com.fasterxml.jackson.core.JsonGenerator json,
                              com.fasterxml.jackson.databind.SerializerProvider provider) throws java.io.IOException {
            json.writeStartArray(controls, controls.size());
            for (Control c : controls) {
                json.writeString(quoted(c.control()));
            }
            json.writeEndArray();
        }

        private static com.fasterxml.jackson.core.SerializableString quoted(String id) {
            com.fasterxml.jackson.core.SerializableString known = QUOTED.get(id);
            if (known == null) {
                known = new com.fasterxml.jackson.core.io.SerializedString(id);
                if (QUOTED.size() < 1_000) {
                    QUOTED.put(id, known);
                }
            }
            return known;
        }

        /** Each mapped control id quoted and encoded once (tens of ids, each written for thousands of VMs). */
        private static final java.util.Map<String, com.fasterxml.jackson.core.SerializableString> QUOTED =
                new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public boolean isEmpty(com.fasterxml.jackson.databind.SerializerProvider provider,
                               java.util.List<Control> controls) {
            return controls == null || controls.isEmpty();
        }
    }

    /** {@code standard label}, e.g. {@code NIST SP 800-53 Rev. 5 AC-4}. */
    public String text() {
        return standard + " " + label;
    }
}
