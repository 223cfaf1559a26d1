package dev.vqamini.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.model.QualityModel;
import dev.vqamini.files.FileScorer;
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
import picocli.CommandLine.Parameters;

/** {@code vqa score}: quality scores of video files. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score videos: technical and aesthetic branch scores and their fusion (0..1, higher is better).",
                "Each video is decoded once (FFmpeg) into DOVER's views: 3 technical clips of 7x7 fragments and one",
                "aesthetic clip of 32 resized frames. A file that cannot be used prints 'path: reason' on stderr and",
                "the others are still scored. Exit code: 0 all scored, 1 some failed."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:all files scored", "1:some files failed"})
public final class ScoreCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "VIDEO", description = "Video files (any format FFmpeg reads).")
    List<Path> videos;

    @Mixin
    WeightsOption weights;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    ViewOptions view;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Inputs.someExist(videos);
        List<FileScorer.Scored> scored = new ArrayList<>();
        List<Map<String, String>> failures = new ArrayList<>();
        String version;
        try (QualityModel model = weights.model(runtime.options())) {
            version = model.version();
            FileScorer scorer = new FileScorer(model, view.settings(), view.seed());
            for (int i = 0; i < videos.size(); i++) {
                Path v = videos.get(i);
                if (videos.size() > 1) {
                    System.err.printf("score: [%d/%d] %s%n", i + 1, videos.size(), v);
                }
                try {
                    scored.add(scorer.score(v));
                } catch (VideoInputException e) {
                    System.err.println(e.getMessage());
                    failures.add(Map.of("file", v.toString(), "reason", e.reason()));
                }
            }
        }
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", version);
            report.put("seed", view.seed());
            report.put("offsets", view.offsets().cliName());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (FileScorer.Scored s : scored) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("file", s.file().toString());
                r.put("technical", s.score().technical());
                r.put("aesthetic", s.score().aesthetic());
                r.put("fused", s.score().fused());
                r.put("sample_s", s.sampleSeconds());
                r.put("model_s", s.modelSeconds());
                rows.add(r);
            }
            report.put("results", rows);
            report.put("failures", failures);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            System.out.printf("model %s%n", version);
            System.out.printf("%-40s %10s %10s %8s %9s %9s%n", "video", "technical", "aesthetic", "fused", "sample s", "model s");
            for (FileScorer.Scored s : scored) {
                System.out.printf("%-40s %10.4f %10.4f %8.4f %9.2f %9.2f%n", s.file(), s.score().technical(),
                        s.score().aesthetic(), s.score().fused(), s.sampleSeconds(), s.modelSeconds());
            }
            if (!failures.isEmpty()) {
                System.out.printf("%d of %d files failed (reasons above on stderr)%n", failures.size(), videos.size());
            }
        }
        return failures.isEmpty() ? 0 : 1;
    }
}
