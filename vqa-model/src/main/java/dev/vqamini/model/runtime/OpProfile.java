package dev.vqamini.model.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a graph's time goes, by operator type, from an ONNX Runtime profile (the Chrome trace JSON that
 * {@code SessionOptions.enableProfiling} writes): the kernel time of every node, summed per op type.
 *
 * @param runs   how many runs the profile covers (the totals are divided by it)
 * @param byType per op type, most time first
 */
public record OpProfile(int runs, List<OpTime> byType) {

    /** One op type's share: milliseconds per run, how many nodes ran per run, fraction of all kernel time. */
    public record OpTime(String opType, double millisPerRun, double nodesPerRun, double share) {
    }

    /** Reads a profile file covering {@code runs} runs. */
    public static OpProfile read(Path traceJson, int runs) throws IOException {
        JsonNode events = new ObjectMapper().readTree(traceJson.toFile());
        Map<String, double[]> sums = new LinkedHashMap<>(); // op type -> {microseconds, nodes}
        double total = 0;
        for (JsonNode e : events) {
            if (!"Node".equals(e.path("cat").asText()) || !e.path("name").asText().endsWith("_kernel_time")) {
                continue;
            }
            String op = e.path("args").path("op_name").asText("?");
            double micros = e.path("dur").asDouble();
            double[] s = sums.computeIfAbsent(op, k -> new double[2]);
            s[0] += micros;
            s[1]++;
            total += micros;
        }
        List<OpTime> out = new ArrayList<>();
        for (Map.Entry<String, double[]> s : sums.entrySet()) {
            out.add(new OpTime(s.getKey(), s.getValue()[0] / 1000 / runs, s.getValue()[1] / runs,
                    total > 0 ? s.getValue()[0] / total : 0));
        }
        out.sort(Comparator.comparingDouble(OpTime::millisPerRun).reversed());
        return new OpProfile(runs, out);
    }

    public double millisPerRun() {
        return byType.stream().mapToDouble(OpTime::millisPerRun).sum();
    }
}
