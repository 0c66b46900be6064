package io.jitguard.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DecisionLogTest {
    @Test
    void aDecisionIsOneLineWhateverItsFieldsHold_andParsesBackToTheSameValues() throws Exception {
        String subject = "/subscriptions/x/resourceGroups/rg\nforged\r\u001b[31m\u0085next\u2028line\u2029para\u202eevil\u007f";
        Decision d = Decision.of("http:remediate", "inv-1").subject(subject).result("rejected", "because\nno");

        String line = DecisionLog.line(d);

        assertThat(line.lines()).hasSize(1);
        assertThat(line).doesNotContain("\n", "\r", "\u001b", "\u0085", "\u2028", "\u2029", "\u202e", "\u007f");
        JsonNode back = new ObjectMapper().readTree(line.substring(DecisionLog.PREFIX.length()));
        assertThat(back.path("subject").asText()).isEqualTo(subject);
        assertThat(back.path("reason").asText()).isEqualTo("because\nno");
    }
}
