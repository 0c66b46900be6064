package io.jitguard.baseline;

/** Syntax checks for IPv4/IPv6 addresses and CIDRs, without {@code InetAddress} (which may resolve names). */
final class IpPrefixes {
    private IpPrefixes() {
    }

    static boolean isAddressOrCidr(String s) {
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        int max;
        if (isIpv4(addr)) {
            max = 32;
        } else if (isIpv6(addr)) {
            max = 128;
        } else {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        String len = s.substring(slash + 1);
        if (!len.matches("[0-9]{1,3}")) {
            return false;
        }
        return Integer.parseInt(len) <= max;
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        if (s.isEmpty() || !s.contains(":")) {
            return false;
        }
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return false;
        }
        String head = dc < 0 ? s : s.substring(0, dc);
        String tail = dc < 0 ? "" : s.substring(dc + 2);
        int groups = 0;
        boolean[] v4 = {false};
        int h = countGroups(head, dc < 0 ? v4 : null);
        if (h < 0) {
            return false;
        }
        groups += h;
        if (dc >= 0) {
            int t = countGroups(tail, v4);
            if (t < 0) {
                return false;
            }
            groups += t;
            return groups <= 7;
        }
        return groups == 8;
    }

    /** Groups in a colon-separated run (an embedded IPv4 tail counts as two); -1 when malformed. */
    private static int countGroups(String run, boolean[] v4Allowed) {
        if (run.isEmpty()) {
            return 0;
        }
        String[] parts = run.split(":", -1);
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && v4Allowed != null && p.contains(".")) {
                if (!isIpv4(p)) {
                    return -1;
                }
                n += 2;
            } else if (p.matches("[0-9a-fA-F]{1,4}")) {
                n++;
            } else {
                return -1;
            }
        }
        return n;
    }
}
