package io.jitguard.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The interval set against a brute-force model: random sets of intervals on a 64-address number line, each kept also
 * as a bit per address; union, intersection, difference, complement, contains and size must agree with the bits.
 */
class AddressSetTest {
    static final int SPACE = 64;

    record Pair(AddressSet set, BitSet bits) {
    }

    static Pair random(Random random) {
        int n = random.nextInt(5);
        long[] loHi = new long[n * 2];
        BitSet bits = new BitSet();
        for (int i = 0; i < n; i++) {
            int lo = random.nextInt(SPACE);
            int hi = Math.min(SPACE - 1, lo + random.nextInt(12));
            loHi[2 * i] = lo;
            loHi[2 * i + 1] = hi;
            bits.set(lo, hi + 1);
        }
        return new Pair(AddressSet.ofIntervals(loHi), bits);
    }

    static void agrees(AddressSet set, BitSet bits) {
        for (int a = 0; a < SPACE + 2; a++) {
            assertThat(set.contains(BigInteger.valueOf(a))).as("address %d of %s", a, set).isEqualTo(bits.get(a));
        }
    }

    /** Within the small space: the set's part below SPACE (complements reach up to the end of IPv6). */
    static AddressSet small(AddressSet s) {
        return s.intersection(AddressSet.ofIntervals(0, SPACE - 1));
    }

    @RepeatedTest(300)
    void unionIntersectionDifferenceAndContainsAgreeWithTheBits(RepetitionInfo info) {
        Random random = new Random(7919L * info.getCurrentRepetition());
        Pair a = random(random);
        Pair b = random(random);
        agrees(a.set(), a.bits());

        BitSet union = (BitSet) a.bits().clone();
        union.or(b.bits());
        agrees(a.set().union(b.set()), union);
        assertThat(a.set().union(b.set()).size()).isEqualTo(BigInteger.valueOf(union.cardinality()));

        BitSet both = (BitSet) a.bits().clone();
        both.and(b.bits());
        agrees(a.set().intersection(b.set()), both);
        assertThat(a.set().intersects(b.set())).isEqualTo(!both.isEmpty());

        BitSet minus = (BitSet) a.bits().clone();
        minus.andNot(b.bits());
        agrees(a.set().difference(b.set()), minus);
        assertThat(a.set().containsAll(b.set())).isEqualTo(minusEmpty(b.bits(), a.bits()));

        BitSet complement = (BitSet) a.bits().clone();
        complement.flip(0, SPACE);
        agrees(small(a.set().complement()), complement);

        // canonical form: equal sets are equal values, whatever the order they were built in
        assertThat(b.set().union(a.set())).isEqualTo(a.set().union(b.set()));
        assertThat(a.set().difference(b.set()).union(a.set().intersection(b.set()))).isEqualTo(a.set());
    }

    private static boolean minusEmpty(BitSet x, BitSet y) {
        BitSet r = (BitSet) x.clone();
        r.andNot(y);
        return r.isEmpty();
    }

    @Test
    void cidrsOfBothFamiliesParseAndPrint() {
        assertThat(AddressSet.of("10.0.0.0/7").cidrs()).containsExactly("10.0.0.0/7");
        assertThat(AddressSet.of("10.0.0.0/7").contains("11.1.2.3")).isTrue();
        assertThat(AddressSet.of("10.1.1.4").contains("10.1.1.4")).isTrue();
        assertThat(AddressSet.of("10.1.1.4").contains("10.1.1.5")).isFalse();
        assertThat(AddressSet.of("10.1.1.77/24").cidrs()).containsExactly("10.1.1.0/24");
        assertThat(AddressSet.of("2001:db8::/32").contains("2001:db8::4")).isTrue();
        assertThat(AddressSet.of("2001:db8::/32").contains("10.0.0.1")).isFalse();
        assertThat(AddressSet.of("::/0").intersects(AddressSet.of("0.0.0.0/0"))).isFalse();
        assertThat(AddressSet.of("fd00::/8", "10.0.0.0/8").cidrs()).containsExactly("10.0.0.0/8", "fd00::/8");
        assertThat(AddressSet.of("10.0.0.0/8").size()).isEqualTo(BigInteger.valueOf(1L << 24));
        assertThat(AddressSet.parse("Internet")).isEmpty();
        assertThat(AddressSet.parse("10.0.0.0/33")).isEmpty();
        assertThat(AddressSet.parse("300.0.0.0/8")).isEmpty();
        assertThat(AddressSet.parse("example.com")).isEmpty();
        assertThat(AddressSet.parse("fe80::zz")).isEmpty();
    }

    @Test
    void theInternetIsThePublicSpace() {
        assertThat(AddressSet.PUBLIC.contains("8.8.8.8")).isTrue();
        assertThat(AddressSet.PUBLIC.contains("11.0.0.1")).isTrue();
        assertThat(AddressSet.PUBLIC.contains("2a01:111::1")).isTrue();
        for (String inside : new String[] {"10.1.1.4", "172.20.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1",
                "169.254.169.254", "224.0.0.1", "fd00::1", "fe80::1", "::1", "2001:db8::1"}) {
            assertThat(AddressSet.PUBLIC.contains(inside)).as(inside).isFalse();
        }
    }

    @Test
    void aBlockIsDescribedAsItsCoverMinusItsHoles() {
        AddressSet reach = AddressSet.PUBLIC.difference(AddressSet.of("1.0.0.0/8"));
        assertThat(reach.intersection(AddressSet.IPV4).describe(AddressSet.NON_PUBLIC, 3))
                .isEqualTo("0.0.0.0/0 minus 1.0.0.0/8");
        assertThat(AddressSet.of("11.0.0.0/8").describe(AddressSet.NON_PUBLIC, 3)).isEqualTo("11.0.0.0/8");
        assertThat(AddressSet.of("2001:db8::/32").describe(AddressSet.EMPTY, 3)).isEqualTo("2001:db8::/32");
        assertThat(AddressSet.of("1.0.0.0/8", "3.0.0.0/8", "5.0.0.0/8", "7.0.0.0/8").describe(AddressSet.EMPTY, 2))
                .isEqualTo("0.0.0.0/5 minus 0.0.0.0/8, 2.0.0.0/8 and 2 more");
        assertThat(AddressSet.EMPTY.describe(AddressSet.EMPTY, 3)).isEqualTo("no address");
    }
}
