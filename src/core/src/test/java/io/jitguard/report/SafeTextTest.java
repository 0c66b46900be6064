package io.jitguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void lineBreaksAnsiEscapesAndOtherControlsAreWrittenAsVisibleEscapes() {
        assertThat(SafeText.oneLine("vm-1\n  compliant   forged/vm")).isEqualTo("vm-1\\n  compliant   forged/vm");
        assertThat(SafeText.oneLine("a\r\tb")).isEqualTo("a\\r\\tb");
        assertThat(SafeText.oneLine("\u001b[2K\u001b[1Agreen")).isEqualTo("\\u001b[2K\\u001b[1Agreen");
        assertThat(SafeText.oneLine("x\u0085y\u2028z\u2029\u202eevil\u0000\u007f"))
                .isEqualTo("x\\u0085y\\u2028z\\u2029\\u202eevil\\u0000\\u007f");
        assertThat(SafeText.oneLine("rg-web/vm-é 東京 (excluded until 2026-12-31)"))
                .as("printable text, any script, is kept as it is").isEqualTo("rg-web/vm-é 東京 (excluded until 2026-12-31)");
        assertThat(SafeText.oneLine(null)).isNull();
    }

    @Test
    void theSummaryKeepsOneVmOnOneLineWhateverItsReasonOrNotesHold() {
        String id = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-web/providers/"
                + "Microsoft.Compute/virtualMachines/vm-1";
        VmReport vm = new VmReport(id, VmStatus.FIXED, "", List.of(), null).with(null,
                List.of("exclusion-refused: tagged jitguard-exclude=2026-12-01\n  compliant    11111111/rg/vm-fake"
                        + "\u001b[32m on the VM"));
        String table = ReportText.coverageTable(List.of(vm));
        assertThat(table.lines()).hasSize(2);
        assertThat(table).contains("2026-12-01\\n  compliant    11111111/rg/vm-fake\\u001b[32m on the VM")
                .doesNotContain("\u001b");
    }
}
