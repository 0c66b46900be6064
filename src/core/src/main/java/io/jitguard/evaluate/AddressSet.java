package io.jitguard.evaluate;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An immutable set of IPv4 and IPv6 addresses as sorted, disjoint, non-adjacent closed intervals. Both families live
 * on one number line: IPv4 address {@code a} is {@code a}, IPv6 address {@code a} is {@code 2^32 + a}, so one sweep
 * serves union, intersection and difference and the families never mix. No operation loops over addresses.
 */
public final class AddressSet {
    // before the constants below: building them parses
    private static final Pattern OCTET_OR_LENGTH = Pattern.compile("\\d{1,3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    static final BigInteger V6_BASE = BigInteger.ONE.shiftLeft(32);
    static final BigInteger MAX = V6_BASE.add(BigInteger.ONE.shiftLeft(128)).subtract(BigInteger.ONE);

    public static final AddressSet EMPTY = new AddressSet(new BigInteger[0]);
    /** Every IPv4 and IPv6 address. */
    public static final AddressSet ALL = new AddressSet(new BigInteger[] {BigInteger.ZERO, MAX});
    public static final AddressSet IPV4 = cidr("0.0.0.0/0");
    public static final AddressSet IPV6 = cidr("::/0");
    /**
     * Addresses that are not on the Internet: IPv4 "this network", RFC 1918, shared (RFC 6598), loopback, link-local,
     * IETF protocol assignments, documentation, benchmarking, multicast and reserved (RFC 6890); IPv6 everything
     * outside global unicast {@code 2000::/3}, and documentation {@code 2001:db8::/32}.
     */
    public static final AddressSet NON_PUBLIC = of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3")
            .union(IPV6.difference(cidr("2000::/3"))).union(cidr("2001:db8::/32"));
    /** The Internet: every address that is not {@link #NON_PUBLIC}. */
    public static final AddressSet PUBLIC = ALL.difference(NON_PUBLIC);

    /** lo0, hi0, lo1, hi1, … (inclusive). */
    private final BigInteger[] bounds;

    private AddressSet(BigInteger[] bounds) {
        this.bounds = bounds;
    }

    /** The union of the CIDRs or addresses given ({@link #parse}); throws on one that is neither. */
    public static AddressSet of(String... prefixes) {
        AddressSet out = EMPTY;
        for (String p : prefixes) {
            out = out.union(cidr(p));
        }
        return out;
    }

    private static AddressSet cidr(String prefix) {
        return parse(prefix).orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR: " + prefix));
    }

    /**
     * An IPv4 or IPv6 address or CIDR ({@code 10.0.0.0/8}, {@code 10.1.1.4}, {@code 2001:db8::/32}); host bits
     * below the prefix length are ignored, as ARM does. Empty for anything else (a service tag, a typo).
     */
    public static Optional<AddressSet> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        Optional<BigInteger> value;
        int width;
        if (address.contains(":")) {
            value = ipv6(address);
            width = 128;
        } else {
            value = ipv4(address);
            width = 32;
        }
        if (value.isEmpty()) {
            return Optional.empty();
        }
        int length = width;
        if (slash >= 0) {
            String len = s.substring(slash + 1);
            if (!OCTET_OR_LENGTH.matcher(len).matches() || Integer.parseInt(len) > width) {
                return Optional.empty();
            }
            length = Integer.parseInt(len);
        }
        BigInteger size = BigInteger.ONE.shiftLeft(width - length);
        BigInteger lo = value.get().subtract(value.get().mod(size));
        BigInteger base = width == 32 ? BigInteger.ZERO : V6_BASE;
        return Optional.of(new AddressSet(new BigInteger[] {base.add(lo), base.add(lo).add(size).subtract(BigInteger.ONE)}));
    }

    private static Optional<BigInteger> ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        long v = 0;
        for (String p : parts) {
            if (!OCTET_OR_LENGTH.matcher(p).matches() || Integer.parseInt(p) > 255) {
                return Optional.empty();
            }
            v = v * 256 + Integer.parseInt(p);
        }
        return Optional.of(BigInteger.valueOf(v));
    }

    private static Optional<BigInteger> ipv6(String s) {
        if (!IPV6_CHARACTERS.matcher(s).matches()) {
            return Optional.empty(); // never hand InetAddress a name it could look up
        }
        try {
            byte[] bytes = InetAddress.getByName(s).getAddress();
            if (bytes.length == 4) {
                // an IPv4-mapped literal (::ffff:a.b.c.d) comes back as IPv4: keep it in the IPv6 space
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                bytes = mapped;
            }
            return Optional.of(new BigInteger(1, bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** For tests on small number lines: the set of the closed intervals {@code lo0, hi0, lo1, hi1, …}. */
    static AddressSet ofIntervals(long... loHi) {
        AddressSet out = EMPTY;
        for (int i = 0; i + 1 < loHi.length; i += 2) {
            if (loHi[i] <= loHi[i + 1]) {
                out = out.union(new AddressSet(new BigInteger[] {BigInteger.valueOf(loHi[i]), BigInteger.valueOf(loHi[i + 1])}));
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    private boolean isAll() {
        return bounds.length == 2 && bounds[0].signum() == 0 && bounds[1].equals(MAX);
    }

    /** How many addresses it holds. */
    public BigInteger size() {
        BigInteger n = BigInteger.ZERO;
        for (int i = 0; i < bounds.length; i += 2) {
            n = n.add(bounds[i + 1].subtract(bounds[i])).add(BigInteger.ONE);
        }
        return n;
    }

    boolean contains(BigInteger point) {
        int i = Arrays.binarySearch(bounds, point);
        if (i >= 0) {
            return true;
        }
        int insertion = -i - 1;
        return insertion % 2 == 1; // between a lo and its hi
    }

    /** True when the set holds the address ({@code 10.1.1.4}, {@code 2001:db8::4}). */
    public boolean contains(String address) {
        Optional<AddressSet> a = parse(address);
        return a.isPresent() && a.get().bounds[0].equals(a.get().bounds[1]) && contains(a.get().bounds[0]);
    }

    public boolean containsAll(AddressSet other) {
        if (other.bounds.length == 2) {
            // one interval (a VM's address): it must lie within the interval of this set that holds its start
            int i = Arrays.binarySearch(bounds, other.bounds[0]);
            int lo = i >= 0 ? i - i % 2 : -i - 2;
            return lo >= 0 && lo % 2 == 0 && other.bounds[1].compareTo(bounds[lo + 1]) <= 0;
        }
        return other.difference(this).isEmpty();
    }

    public boolean intersects(AddressSet other) {
        return !intersection(other).isEmpty();
    }

    public AddressSet union(AddressSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<BigInteger> out = new ArrayList<>(bounds.length + other.bounds.length);
        int i = 0;
        int j = 0;
        while (i < bounds.length || j < other.bounds.length) {
            BigInteger lo;
            BigInteger hi;
            if (j >= other.bounds.length || (i < bounds.length && bounds[i].compareTo(other.bounds[j]) <= 0)) {
                lo = bounds[i];
                hi = bounds[i + 1];
                i += 2;
            } else {
                lo = other.bounds[j];
                hi = other.bounds[j + 1];
                j += 2;
            }
            int n = out.size();
            if (n > 0 && lo.compareTo(out.get(n - 1).add(BigInteger.ONE)) <= 0) {
                if (hi.compareTo(out.get(n - 1)) > 0) {
                    out.set(n - 1, hi);
                }
            } else {
                out.add(lo);
                out.add(hi);
            }
        }
        return new AddressSet(out.toArray(new BigInteger[0]));
    }

    public AddressSet intersection(AddressSet other) {
        if (isEmpty() || other.isAll()) {
            return this;
        }
        if (other.isEmpty() || isAll()) {
            return other;
        }
        List<BigInteger> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < bounds.length && j < other.bounds.length) {
            BigInteger lo = bounds[i].max(other.bounds[j]);
            BigInteger hi = bounds[i + 1].min(other.bounds[j + 1]);
            if (lo.compareTo(hi) <= 0) {
                out.add(lo);
                out.add(hi);
            }
            if (bounds[i + 1].compareTo(other.bounds[j + 1]) < 0) {
                i += 2;
            } else {
                j += 2;
            }
        }
        return out.isEmpty() ? EMPTY : new AddressSet(out.toArray(new BigInteger[0]));
    }

    public AddressSet difference(AddressSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this;
        }
        return intersection(other.complement());
    }

    /** Every address (IPv4 and IPv6) not in this set. */
    public AddressSet complement() {
        if (isEmpty()) {
            return ALL;
        }
        if (isAll()) {
            return EMPTY;
        }
        List<BigInteger> out = new ArrayList<>();
        BigInteger next = BigInteger.ZERO;
        for (int i = 0; i < bounds.length; i += 2) {
            if (bounds[i].compareTo(next) > 0) {
                out.add(next);
                out.add(bounds[i].subtract(BigInteger.ONE));
            }
            next = bounds[i + 1].add(BigInteger.ONE);
        }
        if (next.compareTo(MAX) <= 0) {
            out.add(next);
            out.add(MAX);
        }
        return new AddressSet(out.toArray(new BigInteger[0]));
    }

    /** The set as the fewest CIDRs, in address order ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). */
    public List<String> cidrs() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < bounds.length; i += 2) {
            splitFamilies(bounds[i], bounds[i + 1], out);
        }
        return out;
    }

    private static void splitFamilies(BigInteger lo, BigInteger hi, List<String> out) {
        if (lo.compareTo(V6_BASE) < 0 && hi.compareTo(V6_BASE) >= 0) {
            blocks(lo, V6_BASE.subtract(BigInteger.ONE), out);
            blocks(V6_BASE, hi, out);
        } else {
            blocks(lo, hi, out);
        }
    }

    private static void blocks(BigInteger lo, BigInteger hi, List<String> out) {
        boolean v6 = lo.compareTo(V6_BASE) >= 0;
        int width = v6 ? 128 : 32;
        BigInteger base = v6 ? V6_BASE : BigInteger.ZERO;
        BigInteger a = lo.subtract(base);
        BigInteger end = hi.subtract(base);
        while (a.compareTo(end) <= 0) {
            int bits = a.signum() == 0 ? width : a.getLowestSetBit();
            while (bits > 0 && a.add(BigInteger.ONE.shiftLeft(bits)).subtract(BigInteger.ONE).compareTo(end) > 0) {
                bits--;
            }
            out.add(text(a, v6) + "/" + (width - bits));
            a = a.add(BigInteger.ONE.shiftLeft(bits));
        }
    }

    private static String text(BigInteger value, boolean v6) {
        if (!v6) {
            long v = value.longValue();
            return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
        }
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[16];
        int copy = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - copy, bytes, 16 - copy, copy);
        try {
            return compress(InetAddress.getByAddress(bytes).getHostAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java prints {@code 2001:db8:0:0:0:0:0:0}; people write {@code 2001:db8::}. */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        if (bestStart < 0) {
            return full.toLowerCase(Locale.ROOT);
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return (head + "::" + tail).toLowerCase(Locale.ROOT);
    }

    /**
     * The set in words a network engineer can check, per family: the smallest CIDR that covers it, minus the CIDRs
     * of that block it does not hold, leaving out those in {@code understood} (e.g. the non-public ranges when the
     * set is a set of public sources). {@code 0.0.0.0/0 minus 1.0.0.0/8}; at most {@code maxHoles} holes are named.
     */
    public String describe(AddressSet understood, int maxHoles) {
        List<String> parts = new ArrayList<>();
        for (AddressSet family : List.of(IPV4, IPV6)) {
            AddressSet mine = intersection(family);
            if (mine.isEmpty()) {
                continue;
            }
            AddressSet cover = cover(mine.bounds[0], mine.bounds[mine.bounds.length - 1]);
            List<String> holes = cover.difference(mine).difference(understood).cidrs();
            String text = cover.cidrs().get(0);
            if (!holes.isEmpty()) {
                text += " minus " + String.join(", ", holes.subList(0, Math.min(maxHoles, holes.size())))
                        + (holes.size() > maxHoles ? " and " + (holes.size() - maxHoles) + " more" : "");
            }
            parts.add(text);
        }
        return parts.isEmpty() ? "no address" : String.join("; ", parts);
    }

    /** The smallest CIDR block holding both addresses (of one family). */
    private static AddressSet cover(BigInteger lo, BigInteger hi) {
        boolean v6 = lo.compareTo(V6_BASE) >= 0;
        int width = v6 ? 128 : 32;
        BigInteger base = v6 ? V6_BASE : BigInteger.ZERO;
        BigInteger a = lo.subtract(base);
        BigInteger b = hi.subtract(base);
        int bits = a.xor(b).bitLength();
        BigInteger size = BigInteger.ONE.shiftLeft(bits);
        BigInteger start = a.subtract(a.mod(size));
        return new AddressSet(new BigInteger[] {base.add(start), base.add(start).add(size).subtract(BigInteger.ONE)});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressSet other && Arrays.equals(bounds, other.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        return String.join(", ", cidrs());
    }
}
