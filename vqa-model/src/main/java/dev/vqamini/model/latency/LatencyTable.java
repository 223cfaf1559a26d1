package dev.vqamini.model.latency;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vqamini.model.onnx.BranchGraph.SegmentKind;
import dev.vqamini.spec.BlockSpec;
import dev.vqamini.spec.BranchSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Milliseconds per clip of each segment of a branch graph ({@link SegmentKind}) at a grid of widths, measured on one
 * host with one provider ({@link LatencyTableMeasurer}). A branch's predicted time is the sum of its segments: the
 * input cut (fixed), the stem at its width, each downsampling at its input and output widths, each block at its
 * width, hidden width and temporal kernel, and the head. Between grid points the time is interpolated linearly
 * (bilinearly over two widths), beyond them extrapolated from the two nearest points.
 *
 * <p>Segments are timed by their fastest run ({@link Entry#minMs()}): on a shared host the other processes only ever
 * add time, so the minimum over runs spread in time is the stable figure. A segment timed alone misses what the whole
 * graph adds around it (the executor between nodes, buffers changing hands), so the sum is mapped to whole-graph time
 * by a {@link Calibration} from a few whole reference graphs timed when the table was measured.
 */
public record LatencyTable(Header header, List<Entry> entries, Calibration calibration) {

    /**
     * Whole-graph ms = offsetMs + scale * (sum of segment minima), the least-squares line through the references (whole
     * graphs timed after every pass of the segments, so under the same load). What a whole graph adds grows with its
     * size: measured, 18 ms on a quarter-width branch and 37 ms on the full one.
     */
    public record Calibration(double offsetMs, double scale, List<Reference> references) {

        public static final Calibration NONE = new Calibration(0, 1, List.of());

        public Calibration {
            references = references == null ? List.of() : List.copyOf(references);
        }

        public double apply(double segmentSumMs) {
            return offsetMs + scale * segmentSumMs;
        }

        /**
         * The least-squares line; with fewer than two references, or a line that does not rise, scale 1 and the median
         * of (measured - segment sum) instead. A negative offset would predict nothing, or less than nothing, for a
         * small enough graph (noisy references of a tiny model did): then the line through the origin that fits best.
         */
        public static Calibration fit(List<Reference> refs) {
            double[] d = refs.stream().mapToDouble(r -> r.measuredMs() - r.segmentSumMs()).sorted().toArray();
            double median = d.length == 0 ? 0 : d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
            if (refs.size() < 2) {
                return new Calibration(median, 1, refs);
            }
            double mx = refs.stream().mapToDouble(Reference::segmentSumMs).average().orElse(0);
            double my = refs.stream().mapToDouble(Reference::measuredMs).average().orElse(0);
            double sxy = 0;
            double sxx = 0;
            for (Reference r : refs) {
                sxy += (r.segmentSumMs() - mx) * (r.measuredMs() - my);
                sxx += (r.segmentSumMs() - mx) * (r.segmentSumMs() - mx);
            }
            if (sxx <= 0 || sxy <= 0) {
                return median >= 0 ? new Calibration(median, 1, refs) : throughOrigin(refs);
            }
            double scale = sxy / sxx;
            double offset = my - scale * mx;
            return offset >= 0 ? new Calibration(offset, scale, refs) : throughOrigin(refs);
        }

        private static Calibration throughOrigin(List<Reference> refs) {
            double sxy = refs.stream().mapToDouble(r -> r.segmentSumMs() * r.measuredMs()).sum();
            double sxx = refs.stream().mapToDouble(r -> r.segmentSumMs() * r.segmentSumMs()).sum();
            return new Calibration(0, sxx > 0 && sxy > 0 ? sxy / sxx : 1, refs);
        }
    }

    /** A whole graph timed for the calibration: its architecture, the table's segment sum and its measured minimum. */
    public record Reference(String architecture, double segmentSumMs, double measuredMs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Where and how the table was measured.
     *
     * @param clip        the clip each segment's input comes from, e.g. "1x3x32x224x224 uint8"
     * @param architecture the unpruned branch whose prunable widths the grid spans ({@link BranchSpec#describe()})
     * @param loadAverage the host's 1-minute load average when measuring started (-1 where unknown)
     */
    public record Header(String cpuModel, String simd, int cores, String provider, String ortVersion, int intraOpThreads,
                         boolean spinning, String clip, String architecture, int channelMultiple, int warmups,
                         int repeats, String measuredAt, double loadAverage) {

        /** Frames, height and width of {@link #clip()} ("1x3xTxHxW ..."): time whole graphs on this clip to compare. */
        public int[] clipFramesHeightWidth() {
            String[] dims = clip.split("\\s+")[0].split("x");
            if (dims.length != 5) {
                throw new IllegalArgumentException("latency table clip '" + clip + "' is not 1x3xTxHxW");
            }
            return new int[] {Integer.parseInt(dims[2]), Integer.parseInt(dims[3]), Integer.parseInt(dims[4])};
        }

        /** One line for logs and reports. */
        public String describe() {
            return String.format("%s (%s, %d cores), ONNX Runtime %s on %s, %d intra-op threads%s, %s", cpuModel, simd,
                    cores, ortVersion, provider, intraOpThreads, spinning ? "" : " not spinning", measuredAt);
        }
    }

    /**
     * One segment at one set of widths: milliseconds per clip over {@code runs} timed runs after the warm-up.
     *
     * @param stage          stage index for DOWNSAMPLE and BLOCK, else -1
     * @param in             input channels (DOWNSAMPLE; for the others the same as {@code width})
     * @param width          output channels (residual width)
     * @param hidden         BLOCK's hidden width, else 0
     * @param temporalKernel BLOCK's temporal kernel, else 0
     */
    public record Entry(SegmentKind kind, int stage, int in, int width, int hidden, int temporalKernel, double medianMs,
                        double minMs, double p25Ms, double p75Ms, double maxMs, int runs) {
    }

    public LatencyTable {
        entries = entries == null ? List.of() : List.copyOf(entries);
        calibration = calibration == null ? Calibration.NONE : calibration;
    }

    /** The same segments with another calibration. */
    public LatencyTable withCalibration(Calibration c) {
        return new LatencyTable(header, entries, c);
    }

    /**
     * Predicted time of a branch.
     *
     * @param ms             the calibrated prediction of the whole graph's fastest run
     * @param segmentSumMs   the sum of the segments' fastest runs
     * @param medianSumMs    the sum of the segments' medians (what a loaded host gave)
     * @param msBySegment    the segments' fastest runs, summed by part of the branch
     */
    public record Prediction(double ms, double segmentSumMs, double medianSumMs, Map<String, Double> msBySegment) {
    }

    /** The predicted milliseconds per clip of {@code branch} (calibrated, fastest run). */
    public double predictMs(BranchSpec branch) {
        return predict(branch).ms();
    }

    public Prediction predict(BranchSpec branch) {
        Map<String, Double> parts = new LinkedHashMap<>();
        double median = 0;
        for (Part p : parts(branch)) {
            parts.merge(p.name, p.lookup(this, Entry::minMs), Double::sum);
            median += p.lookup(this, Entry::medianMs);
        }
        double sum = parts.values().stream().mapToDouble(Double::doubleValue).sum();
        return new Prediction(calibration.apply(sum), sum, median, parts);
    }

    /** One segment of a branch to look up: its key and where on the grid it sits. */
    private record Part(String name, SegmentKind kind, int stage, int temporalKernel, int x, int y) {

        double lookup(LatencyTable table, ToDoubleFunction<Entry> stat) {
            List<Entry> matching = table.entries.stream().filter(e -> e.kind() == kind && e.stage() == stage
                    && e.temporalKernel() == temporalKernel).toList();
            if (matching.isEmpty()) {
                throw new IllegalArgumentException("the latency table has no " + kind + " entries for stage " + stage
                        + (temporalKernel > 0 ? " with temporal kernel " + temporalKernel : "") + " (" + table.header.architecture() + ")");
            }
            // group by the first axis, interpolate over the second within each, then over the first
            TreeMap<Integer, TreeMap<Integer, Double>> grid = new TreeMap<>();
            for (Entry e : matching) {
                int ex = kind == SegmentKind.DOWNSAMPLE ? e.in() : e.width();
                int ey = switch (kind) {
                    case DOWNSAMPLE -> e.width();
                    case BLOCK -> e.hidden();
                    default -> 0;
                };
                grid.computeIfAbsent(ex, k -> new TreeMap<>()).put(ey, stat.applyAsDouble(e));
            }
            TreeMap<Integer, Double> overX = new TreeMap<>();
            grid.forEach((gx, row) -> overX.put(gx, interpolate(row, y)));
            return interpolate(overX, x);
        }
    }

    /** Linear interpolation in a sorted grid; linear extrapolation from the two nearest points outside it, not below 0. */
    static double interpolate(TreeMap<Integer, Double> points, int at) {
        if (points.size() == 1 || points.containsKey(at)) {
            return points.containsKey(at) ? points.get(at) : points.firstEntry().getValue();
        }
        Map.Entry<Integer, Double> lo = points.floorEntry(at);
        Map.Entry<Integer, Double> hi = points.ceilingEntry(at);
        if (lo == null) {
            lo = points.firstEntry();
            hi = points.higherEntry(lo.getKey());
        } else if (hi == null) {
            hi = points.lastEntry();
            lo = points.lowerEntry(hi.getKey());
        }
        double f = (double) (at - lo.getKey()) / (hi.getKey() - lo.getKey());
        return Math.max(0, lo.getValue() + f * (hi.getValue() - lo.getValue()));
    }

    private static List<Part> parts(BranchSpec branch) {
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("input", SegmentKind.INPUT, -1, 0, 0, 0));
        parts.add(new Part("stem", SegmentKind.STEM, -1, 0, branch.stage(0).width(), 0));
        for (int s = 0; s < branch.stages().size(); s++) {
            if (s > 0) {
                parts.add(new Part("downsample " + s, SegmentKind.DOWNSAMPLE, s, 0, branch.stage(s - 1).width(),
                        branch.stage(s).width()));
            }
            for (BlockSpec b : branch.stage(s).blocks()) {
                parts.add(new Part("stage " + s + " blocks", SegmentKind.BLOCK, s, b.temporalKernel(), branch.stage(s).width(), b.hidden()));
            }
        }
        parts.add(new Part("head", SegmentKind.HEAD, -1, 0, branch.featureWidth(), 0));
        return parts;
    }

    /** sha256 of the table as {@link #write} writes it: names the table in reports and manifests. */
    public String digest() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(this)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), this);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IOException naming the file when it is not a latency table */
    public static LatencyTable read(Path file) throws IOException {
        try {
            LatencyTable t = JSON.readValue(file.toFile(), LatencyTable.class);
            if (t.header() == null || t.entries().isEmpty()) {
                throw new IOException(file + " is not a latency table (no header or no entries; write one with vqa latency-table)");
            }
            return t;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not a latency table: " + e.getOriginalMessage(), e);
        }
    }
}
