package io.jitguard.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixesTest {
    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "255.255.255.255", "10.0.0.0/8", "::", "::/0", "1::", "::1",
            "2001:db8::/32", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::ffff:10.0.0.1", "1:2:3:4:5:6:1.2.3.4",
            "FE80::ABCD/64"})
    void valid(String s) {
        assertThat(IpPrefixes.isAddressOrCidr(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/", "10.0.0.0/x", "1.2.3.4.5", "256.0.0.0", ":1", "1:", ":::",
            "1::2::3", "1:2:3:4:5:6:7:8/129", "12345::", "g::", "1.2.3.4::", "1:2:3:4:5:6:7:1.2.3.4",
            "AzureCloud", "localhost"})
    void invalid(String s) {
        assertThat(IpPrefixes.isAddressOrCidr(s)).isFalse();
    }
}
