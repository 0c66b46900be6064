package io.jitguard.evaluate;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A set of traffic sources: addresses ({@link AddressSet}) and the sources a rule can name only by name — service
 * tags such as {@code VirtualNetwork} or {@code AzureLoadBalancer} and application security groups ({@code asg:…}).
 * Names are kept apart from addresses because jitguard does not know which addresses they stand for; the tag set is
 * finite or co-finite ("every name but these"), so {@code *} is representable and complements stay exact.
 */
public record SourceSet(AddressSet addresses, boolean allNamesBut, Set<String> names) {
    public static final SourceSet NONE = new SourceSet(AddressSet.EMPTY, false, Set.of());
    /** Every address and every named source ({@code *}). */
    public static final SourceSet EVERYTHING = new SourceSet(AddressSet.ALL, true, Set.of());

    public SourceSet {
        names = Set.copyOf(names);
    }

    public static SourceSet of(AddressSet addresses) {
        return new SourceSet(addresses, false, Set.of());
    }

    public static SourceSet named(String name) {
        return new SourceSet(AddressSet.EMPTY, false, Set.of(key(name)));
    }

    /** Service tags are case-insensitive in ARM: the two internal ones get their documented spelling. */
    static String key(String name) {
        String n = name.strip();
        return switch (n.toLowerCase(Locale.ROOT)) {
            case "virtualnetwork" -> "VirtualNetwork";
            case "azureloadbalancer" -> "AzureLoadBalancer";
            default -> n;
        };
    }

    /** True when it holds the named source ({@code VirtualNetwork}, {@code asg:web}). */
    public boolean holdsName(String name) {
        return allNamesBut != names.contains(key(name));
    }

    public boolean isEmpty() {
        return addresses.isEmpty() && !allNamesBut && names.isEmpty();
    }

    public SourceSet union(SourceSet o) {
        if (o.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return o;
        }
        AddressSet a = addresses.union(o.addresses);
        if (!allNamesBut && !o.allNamesBut) {
            return new SourceSet(a, false, plus(names, o.names));
        }
        if (allNamesBut && o.allNamesBut) {
            return new SourceSet(a, true, both(names, o.names));
        }
        Set<String> excluded = allNamesBut ? names : o.names;
        Set<String> included = allNamesBut ? o.names : names;
        return new SourceSet(a, true, minus(excluded, included));
    }

    public SourceSet intersection(SourceSet o) {
        if (isEmpty() || o == EVERYTHING) {
            return this;
        }
        if (o.isEmpty() || this == EVERYTHING) {
            return o;
        }
        AddressSet a = addresses.intersection(o.addresses);
        if (!allNamesBut && !o.allNamesBut) {
            return new SourceSet(a, false, both(names, o.names));
        }
        if (allNamesBut && o.allNamesBut) {
            return new SourceSet(a, true, plus(names, o.names));
        }
        Set<String> excluded = allNamesBut ? names : o.names;
        Set<String> included = allNamesBut ? o.names : names;
        return new SourceSet(a, false, minus(included, excluded));
    }

    public SourceSet difference(SourceSet o) {
        if (isEmpty() || o.isEmpty()) {
            return this;
        }
        if (o == EVERYTHING || o.equals(this)) {
            return NONE;
        }
        return intersection(new SourceSet(o.addresses.complement(), !o.allNamesBut, o.names));
    }

    /** The named sources it holds, sorted ({@code *} for "every name"). */
    public List<String> nameList() {
        if (allNamesBut) {
            return List.of(names.isEmpty() ? "any service tag" : "any service tag but " + String.join(", ", new TreeSet<>(names)));
        }
        return List.copyOf(new TreeSet<>(names));
    }

    private static Set<String> plus(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }

    private static Set<String> both(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.retainAll(b);
        return s;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.removeAll(b);
        return s;
    }
}
