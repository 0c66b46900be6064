package io.jitguard.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SweepMessageTest {
    static final String SUB = "11111111-1111-1111-1111-111111111111";

    @Test
    void roundTrips() {
        SweepMessage m = new SweepMessage(SUB);
        assertThat(m.toJson()).isEqualTo("{\"subscriptionId\":\"" + SUB + "\"}");
        assertThat(SweepMessage.parse(m.toJson())).isEqualTo(m);
    }

    @Test
    void aScopeRoundTrips() {
        String rg = "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Security/locations/westeurope";
        SweepMessage m = SweepMessage.of(io.jitguard.scope.Scopes.parse(rg));
        assertThat(m.toJson()).isEqualTo("{\"scope\":\"" + rg + "\"}");
        assertThat(SweepMessage.parse(m.toJson())).isEqualTo(m);
        assertThat(m.scope().id()).isEqualTo(rg);
        assertThat(SweepMessage.parse("{\"subscriptionId\":\"" + SUB + "\"}").scope().id())
                .isEqualTo("/subscriptions/" + SUB);
    }

    @Test
    void rejectsWhatIsNotAWorkItem() {
        for (String bad : new String[] {null, "", "  ", "x", "42", "[]", "{}", "{\"subscriptionId\":7}",
                "{\"subscriptionId\":\"nope\"}", "{\"subscriptionId\":\"" + SUB + "\",\"x\":1}",
                "{\"subscriptionId\":\"" + SUB + "/resourceGroups/rg\"}", "{\"subscriptionId\":\"" + "a".repeat(2000)
                + "\"}", "{\"scope\":\"/subscriptions/" + SUB + "/resourceGroups/../x\"}", "{\"scope\":7}",
                "{\"scope\":\"/subscriptions/" + SUB + "\",\"subscriptionId\":\"" + SUB + "\"}",
                "{\"scope\":\"/subscriptions/" + SUB + "\",\"scope\":\"/subscriptions/" + SUB + "\"}"}) {
            assertThatThrownBy(() -> SweepMessage.parse(bad)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void messagesQueuedBeforeTheRemainderExistedParseAsBefore() {
        assertThat(SweepMessage.parse("{\"subscriptionId\":\"" + SUB + "\"}"))
                .isEqualTo(new SweepMessage(SUB, null)).satisfies(m -> assertThat(m.isRemainder()).isFalse());
        String rg = "/subscriptions/" + SUB + "/resourceGroups/rg-web";
        assertThat(SweepMessage.parse("{\"scope\":\"" + rg + "\"}").scope().id()).isEqualTo(rg);
    }

    @Test
    void aRemainderRoundTripsAndNamesTheGroupsItLeavesOut() {
        SweepMessage m = SweepMessage.remainder(SUB, java.util.List.of("rg-web", "RG.(data)-1"));
        assertThat(m.toJson()).isEqualTo("{\"subscriptionId\":\"" + SUB + "\",\"except\":[\"rg-web\",\"RG.(data)-1\"]}");
        assertThat(SweepMessage.parse(m.toJson())).isEqualTo(m);
        assertThat(m.isRemainder()).isTrue();
    }

    @Test
    void rejectsARemainderThatIsNotOne() {
        String head = "{\"subscriptionId\":\"" + SUB + "\",\"except\":";
        for (String bad : new String[] {head + "[]}", head + "\"rg-web\"}", head + "[7]}", head + "[\"rg/x\"]}",
                head + "[\"rg-web\",\"RG-WEB\"]}", head + "[\"ends.\"]}", head + "[\"a\\nb\"]}",
                head + "[\"" + "r".repeat(91) + "\"]}",
                "{\"scope\":\"/subscriptions/" + SUB + "\",\"except\":[\"rg-web\"]}"}) {
            assertThatThrownBy(() -> SweepMessage.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
