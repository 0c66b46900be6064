package io.jitguard.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.report.ReportJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A line diff of two JSON documents, pretty-printed: what {@code az deployment what-if} shows. The common head and
 * tail are kept as context; the middle is diffed by longest common subsequence, or (past {@link #MAX_CELLS}) shown as
 * removed-then-added.
 */
final class JsonDiff {
    static final long MAX_CELLS = 4_000_000;

    enum Op { SAME, ADD, REMOVE }

    record Line(Op op, String text) {
        String sign() {
            return switch (op) {
                case SAME -> " ";
                case ADD -> "+";
                case REMOVE -> "-";
            };
        }

        String css() {
            return op.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private JsonDiff() {
    }

    static List<Line> diff(JsonNode before, JsonNode after) {
        return diff(lines(before), lines(after));
    }

    static List<String> lines(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        try {
            return Arrays.asList(ReportJson.mapper().writeValueAsString(node).split("\\R", -1));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Line> diff(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<Line> out = new ArrayList<>();
        a.subList(0, head).forEach(l -> out.add(new Line(Op.SAME, l)));
        List<String> ma = a.subList(head, a.size() - tail);
        List<String> mb = b.subList(head, b.size() - tail);
        if ((long) ma.size() * mb.size() > MAX_CELLS) {
            ma.forEach(l -> out.add(new Line(Op.REMOVE, l)));
            mb.forEach(l -> out.add(new Line(Op.ADD, l)));
        } else {
            out.addAll(lcs(ma, mb));
        }
        a.subList(a.size() - tail, a.size()).forEach(l -> out.add(new Line(Op.SAME, l)));
        return out;
    }

    private static List<Line> lcs(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] len = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                len[i][j] = a.get(i).equals(b.get(j)) ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
            }
        }
        List<Line> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (a.get(i).equals(b.get(j))) {
                out.add(new Line(Op.SAME, a.get(i)));
                i++;
                j++;
            } else if (len[i + 1][j] >= len[i][j + 1]) {
                out.add(new Line(Op.REMOVE, a.get(i++)));
            } else {
                out.add(new Line(Op.ADD, b.get(j++)));
            }
        }
        while (i < n) {
            out.add(new Line(Op.REMOVE, a.get(i++)));
        }
        while (j < m) {
            out.add(new Line(Op.ADD, b.get(j++)));
        }
        return out;
    }
}
