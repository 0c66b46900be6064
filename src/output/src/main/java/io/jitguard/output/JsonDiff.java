package io.jitguard.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jitguard.report.ReportJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;

/**
 * A line diff of two JSON documents, pretty-printed: what {@code az deployment what-if} shows, by java-diff-utils
 * (Myers' algorithm, so a policy of thousands of VMs diffs in linear space).
 */
final class JsonDiff {
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
        List<Line> out = new ArrayList<>();
        int at = 0;
        for (AbstractDelta<String> delta : DiffUtils.diff(a, b).getDeltas()) {
            Chunk<String> source = delta.getSource();
            a.subList(at, source.getPosition()).forEach(l -> out.add(new Line(Op.SAME, l)));
            source.getLines().forEach(l -> out.add(new Line(Op.REMOVE, l)));
            delta.getTarget().getLines().forEach(l -> out.add(new Line(Op.ADD, l)));
            at = source.getPosition() + source.size();
        }
        a.subList(at, a.size()).forEach(l -> out.add(new Line(Op.SAME, l)));
        return out;
    }
}
