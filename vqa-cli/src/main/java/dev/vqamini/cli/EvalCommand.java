package dev.vqamini.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.dataset.MosLabels;
import dev.vqamini.model.QualityModel;
import dev.vqamini.files.FileScorer;
import dev.vqamini.stats.Agreement;
import dev.vqamini.video.VideoInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.nio.file.Files;

/** {@code vqa eval}: agreement of a model's scores with a dataset's MOS. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a model on a labelled dataset: score every video listed in the label file and report",
                "SRCC, PLCC (raw, and after the 4-parameter logistic fit VQA papers use), KRCC and RMSE (in MOS units,",
                "after the fit) for the fused, technical and aesthetic scores.",
                "Labels: KoNViD-1k / LIVE-VQC format, one 'filename, a, b, mos' line per video, names relative to --dataset.",
                "Unusable videos print 'path: reason' on stderr and are left out. Exit code 1 if any was left out."})
public final class EvalCommand implements Callable<Integer> {

    @Mixin
    WeightsOption weights;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "Folder the label file's names are relative to.")
    Path dataset;

    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "Label file (filename, a, b, mos).")
    Path labels;

    @Mixin
    ViewOptions view;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N labelled videos (quick checks).")
    Integer limit;

    @Option(names = "--json", description = "Print JSON (metrics and per-video scores) instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Inputs.labels(labels, "--labels", "--dataset");
        Inputs.folder(dataset, "--dataset", "dataset folder", "the folder the label file's names are relative to");
        List<MosLabels.Entry> entries = MosLabels.read(labels);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("labels file " + labels + " lists no videos (" + Inputs.labelFormat("--dataset") + ")");
        }
        if (limit != null && limit < entries.size()) {
            entries = entries.subList(0, limit);
        }
        if (entries.stream().noneMatch(e -> Files.exists(dataset.resolve(e.name())))) {
            throw new IllegalArgumentException("none of the " + entries.size() + " videos in " + labels + " is in " + dataset
                    + " (first: " + dataset.resolve(entries.get(0).name()) + "): give --dataset the folder the label"
                    + " file's names are relative to");
        }
        List<double[]> rows = new ArrayList<>(); // fused, technical, aesthetic, mos
        List<Map<String, Object>> perVideo = new ArrayList<>();
        List<Map<String, String>> failures = new ArrayList<>();
        String version;
        long t0 = System.nanoTime();
        try (QualityModel model = weights.model(runtime.options())) {
            version = model.version();
            FileScorer scorer = new FileScorer(model, view.settings(), view.seed());
            for (int i = 0; i < entries.size(); i++) {
                MosLabels.Entry e = entries.get(i);
                Path file = dataset.resolve(e.name());
                System.err.printf("eval: [%d/%d] %s%n", i + 1, entries.size(), e.name());
                try {
                    FileScorer.Scored s = scorer.score(file);
                    rows.add(new double[] {s.score().fused(), s.score().technical(), s.score().aesthetic(), e.mos()});
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("file", e.name());
                    r.put("mos", e.mos());
                    r.put("fused", s.score().fused());
                    r.put("technical", s.score().technical());
                    r.put("aesthetic", s.score().aesthetic());
                    perVideo.add(r);
                } catch (VideoInputException ex) {
                    System.err.println(ex.getMessage());
                    failures.add(Map.of("file", e.name(), "reason", ex.reason()));
                }
            }
        }
        if (rows.size() < 4) {
            throw new IllegalStateException("only " + rows.size() + " of " + entries.size()
                    + " videos could be scored; at least 4 are needed for the metrics");
        }
        double[] mos = column(rows, 3);
        Map<String, Agreement> metrics = new LinkedHashMap<>();
        metrics.put("fused", Agreement.of(column(rows, 0), mos));
        metrics.put("technical", Agreement.of(column(rows, 1), mos));
        metrics.put("aesthetic", Agreement.of(column(rows, 2), mos));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", version);
            report.put("dataset", dataset.toString());
            report.put("labels", labels.toString());
            report.put("videos", entries.size());
            report.put("scored", rows.size());
            report.put("elapsed_s", seconds);
            Map<String, Object> m = new LinkedHashMap<>();
            metrics.forEach((k, a) -> {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("srcc", a.srcc());
                v.put("plcc_raw", a.plccRaw());
                v.put("plcc", a.plcc());
                v.put("krcc", a.krcc());
                v.put("rmse", a.rmse());
                v.put("logistic", a.fit() == null ? null : List.of(a.fit().b1(), a.fit().b2(), a.fit().b3(), a.fit().b4()));
                m.put(k, v);
            });
            report.put("metrics", m);
            report.put("results", perVideo);
            report.put("failures", failures);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            System.out.printf("model %s on %s: %d of %d videos scored in %.1f s%n", version, labels, rows.size(),
                    entries.size(), seconds);
            System.out.printf("%-10s %8s %9s %9s %8s %8s%n", "score", "SRCC", "PLCC raw", "PLCC fit", "KRCC", "RMSE");
            metrics.forEach((k, a) -> System.out.printf("%-10s %8.4f %9.4f %9.4f %8.4f %8.4f%s%n", k, a.srcc(),
                    a.plccRaw(), a.plcc(), a.krcc(), a.rmse(), a.fit() == null ? "  (logistic did not converge: linear)" : ""));
            if (!failures.isEmpty()) {
                System.out.printf("%d videos left out (reasons above on stderr)%n", failures.size());
            }
        }
        return failures.isEmpty() ? 0 : 1;
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }
}
