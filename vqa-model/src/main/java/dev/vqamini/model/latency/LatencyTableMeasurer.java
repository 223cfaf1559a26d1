package dev.vqamini.model.latency;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vqamini.clips.View;
import dev.vqamini.model.RandomWeights;
import dev.vqamini.model.onnx.BranchGraph;
import dev.vqamini.model.onnx.BranchGraph.Segment;
import dev.vqamini.model.onnx.BranchGraph.SegmentKind;
import dev.vqamini.model.onnx.InputFormat;
import dev.vqamini.model.runtime.OrtRuntime;
import dev.vqamini.model.runtime.RunnerOptions;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.spec.BlockSpec;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.StageSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Measures a {@link LatencyTable}: every segment of an architecture's branch, at a grid of the widths pruning can
 * produce (multiples of the channel multiple up to the unpruned width), each as its own ONNX Runtime session with the
 * given options, on random inputs of the shape that segment sees for one clip: warm-up runs, then timed runs, in
 * passes; after each pass three whole reference graphs (the architecture, its widths halved and quartered) are
 * timed interleaved for the {@link LatencyTable.Calibration}.
 * Weights are random (time does not depend on their values).
 */
public final class LatencyTableMeasurer {

    private final RunnerOptions options;
    private final BranchSpec architecture;
    private final int frames;
    private final int height;
    private final int width;
    private final int warmups;
    private final int repeats;
    private final int channelMultiple;
    private final int gridPoints;
    private final int passes;
    private final Consumer<String> progress;

    private LatencyTableMeasurer(Builder b) {
        this.options = b.options;
        this.architecture = b.architecture;
        this.frames = b.frames;
        this.height = b.height;
        this.width = b.width;
        this.warmups = b.warmups;
        this.repeats = b.repeats;
        this.channelMultiple = b.channelMultiple;
        this.gridPoints = b.gridPoints;
        this.passes = b.passes;
        this.progress = b.progress;
    }

    /**
     * Defaults: DOVER-Mobile's branch, one 32 x 224 x 224 clip, 3 passes over all segments of 1 warm-up and 3 timed
     * runs each, multiples of 8, 4 grid steps per width axis.
     */
    public static Builder builder(RunnerOptions options) {
        return new Builder(options);
    }

    public static final class Builder {
        private final RunnerOptions options;
        private BranchSpec architecture = BranchSpec.doverMobile();
        private int frames = 32;
        private int height = 224;
        private int width = 224;
        private int warmups = 1;
        private int repeats = 3;
        private int passes = 3;
        private int channelMultiple = 8;
        private int gridPoints = 4;
        private Consumer<String> progress = m -> { };

        private Builder(RunnerOptions options) {
            this.options = options;
        }

        /** The unpruned branch: its widths bound the grid. */
        public Builder architecture(BranchSpec spec) {
            this.architecture = spec;
            return this;
        }

        /** The clip (frames divisible by 2, height and width by 32). */
        public Builder clip(int clipFrames, int clipHeight, int clipWidth) {
            if (clipFrames % 2 != 0 || clipHeight % 32 != 0 || clipWidth % 32 != 0) {
                throw new IllegalArgumentException("clip frames must be even and height and width multiples of 32, got "
                        + clipFrames + " x " + clipHeight + " x " + clipWidth);
            }
            this.frames = clipFrames;
            this.height = clipHeight;
            this.width = clipWidth;
            return this;
        }

        public Builder warmups(int runs) {
            this.warmups = Math.max(0, runs);
            return this;
        }

        public Builder repeats(int runs) {
            if (runs < 1) {
                throw new IllegalArgumentException("repeats must be at least 1, got " + runs);
            }
            this.repeats = runs;
            return this;
        }

        /** Passes over all segments; each segment's runs are spread over them. */
        public Builder passes(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("passes must be at least 1, got " + count);
            }
            this.passes = count;
            return this;
        }

        public Builder channelMultiple(int multiple) {
            if (multiple < 1) {
                throw new IllegalArgumentException("channel multiple must be positive, got " + multiple);
            }
            this.channelMultiple = multiple;
            return this;
        }

        /** Grid steps between the smallest width (one channel multiple) and the unpruned one, per axis. */
        public Builder gridPoints(int points) {
            this.gridPoints = Math.max(1, points);
            return this;
        }

        public Builder progress(Consumer<String> sink) {
            this.progress = sink;
            return this;
        }

        public LatencyTableMeasurer build() {
            return new LatencyTableMeasurer(this);
        }
    }

    /** One segment to time: the segment, the one-branch architecture that holds it at these widths, its table key. */
    private record Job(Segment segment, BranchSpec spec, int in, int out, int hidden, int temporalKernel) {
    }

    /** The widths a grid axis takes: one channel multiple, then {@code gridPoints} even steps up to {@code full}. */
    List<Integer> grid(int full) {
        TreeSet<Integer> values = new TreeSet<>();
        int m = Math.min(channelMultiple, full);
        values.add(m);
        for (int i = 1; i <= gridPoints; i++) {
            int v = (int) Math.round((double) full * i / gridPoints / m) * m;
            values.add(Math.max(m, Math.min(full, v)));
        }
        values.add(full);
        return List.copyOf(values);
    }

    public LatencyTable measure() throws OrtException {
        List<Job> jobs = jobs();
        double load = loadAverage();
        progress.accept(String.format("timing %d segments in %d passes (%d warm-up + %d timed runs each per pass), load average %.2f",
                jobs.size(), passes, warmups, repeats, load));
        double[][] runs = new double[jobs.size()][passes * repeats];
        List<BranchSpec> refs = List.of(architecture, scaled(0.5), scaled(0.25));
        List<byte[]> refGraphs = new ArrayList<>();
        for (BranchSpec spec : refs) {
            refGraphs.add(BranchGraph.build(spec, RandomWeights.branch(spec, View.TECHNICAL, 7), BranchKeys.of(View.TECHNICAL),
                    InputFormat.RGB_UINT8, Map.of()).toByteArray());
        }
        double[] refMinMs = new double[refs.size()];
        Arrays.fill(refMinMs, Double.POSITIVE_INFINITY);
        String provider = null;
        long t0 = System.nanoTime();
        for (int pass = 0; pass < passes; pass++) {
            // every other pass in reverse order: a burst of load elsewhere lands on different segments each time
            for (int n = 0; n < jobs.size(); n++) {
                int i = pass % 2 == 0 ? n : jobs.size() - 1 - n;
                String p = time(jobs.get(i), runs[i], pass * repeats);
                provider = provider == null ? p : provider;
            }
            // the whole reference graphs once per pass too, so their fastest runs come from the same stretch of time
            List<InterleavedTiming.Timing> timings = InterleavedTiming.time(refGraphs, options, frames, height, width, warmups, repeats);
            for (int r = 0; r < refs.size(); r++) {
                refMinMs[r] = Math.min(refMinMs[r], timings.get(r).minMs());
            }
            progress.accept(String.format("  pass %d/%d done (%.0f s)", pass + 1, passes, (System.nanoTime() - t0) / 1e9));
        }
        List<LatencyTable.Entry> entries = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            double[] ms = runs[i];
            Arrays.sort(ms);
            int n = ms.length;
            entries.add(new LatencyTable.Entry(job.segment().kind(), job.segment().stage(), job.in(), job.out(), job.hidden(),
                    job.temporalKernel(), ms[n / 2], ms[0], ms[n / 4], ms[(3 * n) / 4], ms[n - 1], n));
        }
        HostCpu cpu = HostCpu.current();
        LatencyTable.Header header = new LatencyTable.Header(cpu.model(), cpu.simd(), cpu.cores(), provider,
                OrtRuntime.environment().getVersion(), options.intraOpThreads(), options.spinning(),
                "1x3x" + frames + "x" + height + "x" + width + " uint8", architecture.describe(), channelMultiple, warmups,
                repeats * passes, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), load);
        LatencyTable table = new LatencyTable(header, entries, LatencyTable.Calibration.NONE);
        List<LatencyTable.Reference> references = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            references.add(new LatencyTable.Reference(refs.get(i).describe(), table.predict(refs.get(i)).segmentSumMs(), refMinMs[i]));
        }
        LatencyTable.Calibration c = LatencyTable.Calibration.fit(references);
        progress.accept(String.format("calibration: whole graph = %.1f ms + %.3f x segment sum (%s)", c.offsetMs(), c.scale(),
                references.stream().map(r -> String.format("%.1f -> %.1f ms", r.segmentSumMs(), r.measuredMs())).toList()));
        return table.withCalibration(c);
    }

    /** The architecture with every residual and hidden width scaled by {@code f} (rounded to the channel multiple). */
    BranchSpec scaled(double f) {
        List<StageSpec> stages = new ArrayList<>();
        for (StageSpec st : architecture.stages()) {
            List<BlockSpec> blocks = st.blocks().stream().map(b -> b.withHidden(round(b.hidden() * f))).toList();
            stages.add(new StageSpec(round(st.width() * f), blocks));
        }
        return new BranchSpec(stages, architecture.headHidden());
    }

    private int round(double v) {
        return Math.max(channelMultiple, (int) Math.round(v / channelMultiple) * channelMultiple);
    }

    private List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        int stages = architecture.stages().size();
        jobs.add(new Job(new Segment(SegmentKind.INPUT, -1, -1), shell(new int[stages], -1, null), 0, 0, 0, 0));
        for (int d : grid(architecture.stage(0).width())) {
            int[] widths = widths(stages);
            widths[0] = d;
            jobs.add(new Job(new Segment(SegmentKind.STEM, -1, -1), shell(widths, -1, null), d, d, 0, 0));
        }
        for (int s = 0; s < stages; s++) {
            if (s > 0) {
                for (int in : grid(architecture.stage(s - 1).width())) {
                    for (int out : grid(architecture.stage(s).width())) {
                        int[] widths = widths(stages);
                        widths[s - 1] = in;
                        widths[s] = out;
                        jobs.add(new Job(new Segment(SegmentKind.DOWNSAMPLE, s, -1), shell(widths, -1, null), in, out, 0, 0));
                    }
                }
            }
            StageSpec stage = architecture.stage(s);
            int fullHidden = stage.blocks().stream().mapToInt(BlockSpec::hidden).max().orElse(4 * stage.width());
            for (int k : stage.blocks().stream().map(BlockSpec::temporalKernel).distinct().sorted().toList()) {
                int index = stage.blocks().stream().filter(b -> b.temporalKernel() == k).findFirst().orElseThrow().index();
                for (int d : grid(stage.width())) {
                    for (int h : grid(fullHidden)) {
                        int[] widths = widths(stages);
                        widths[s] = d;
                        BlockSpec block = new BlockSpec(index, h, k);
                        jobs.add(new Job(new Segment(SegmentKind.BLOCK, s, index), shell(widths, s, block), d, d, h, k));
                    }
                }
            }
        }
        for (int d : grid(architecture.featureWidth())) {
            int[] widths = widths(stages);
            widths[stages - 1] = d;
            jobs.add(new Job(new Segment(SegmentKind.HEAD, -1, -1), shell(widths, -1, null), d, d, 0, 0));
        }
        return jobs;
    }

    private int[] widths(int stages) {
        int[] w = new int[stages];
        Arrays.fill(w, channelMultiple);
        return w;
    }

    /** A branch with these stage widths and no blocks but {@code block} in stage {@code blockStage}. */
    private BranchSpec shell(int[] widths, int blockStage, BlockSpec block) {
        List<StageSpec> stages = new ArrayList<>();
        for (int s = 0; s < widths.length; s++) {
            stages.add(new StageSpec(Math.max(1, widths[s]), s == blockStage ? List.of(block) : List.of()));
        }
        return new BranchSpec(stages, architecture.headHidden());
    }

    /** Opens the segment's session, warms it up, writes {@code repeats} run times from {@code at}; returns the provider. */
    private String time(Job job, double[] runs, int at) throws OrtException {
        var weights = RandomWeights.branch(job.spec(), View.TECHNICAL, 7);
        byte[] onnx = BranchGraph.buildSegment(job.spec(), weights, BranchKeys.of(View.TECHNICAL), job.segment()).toByteArray();
        try (OrtRuntime.Session session = OrtRuntime.open(onnx, options, null);
             OnnxTensor input = input(job)) {
            OrtSession s = session.session();
            Map<String, OnnxTensor> feed = Map.of(s.getInputNames().iterator().next(), input);
            for (int i = 0; i < warmups; i++) {
                s.run(feed).close();
            }
            for (int i = 0; i < repeats; i++) {
                long t = System.nanoTime();
                s.run(feed).close();
                runs[at + i] = (System.nanoTime() - t) / 1e6;
            }
            return session.provider();
        }
    }

    /** Random data of the shape the segment's input has for one clip. */
    private OnnxTensor input(Job job) throws OrtException {
        Segment seg = job.segment();
        SplittableRandom r = new SplittableRandom(11);
        if (seg.kind() == SegmentKind.INPUT) {
            byte[] pixels = new byte[3 * frames * height * width];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (byte) r.nextInt(256);
            }
            return OnnxTensor.createTensor(OrtRuntime.environment(), ByteBuffer.wrap(pixels), new long[] {1, 3, frames, height, width},
                    ai.onnxruntime.OnnxJavaType.UINT8);
        }
        int stage = switch (seg.kind()) {
            case STEM -> 0;
            case DOWNSAMPLE -> seg.stage() - 1;
            case BLOCK -> seg.stage();
            default -> job.spec().stages().size() - 1;
        };
        int channels = seg.kind() == SegmentKind.STEM ? BranchGraph.STEM_PATCH : job.in();
        long[] shape = {1, frames / 2, (height / 4) >> stage, (width / 4) >> stage, channels};
        int n = Math.toIntExact(shape[1] * shape[2] * shape[3] * shape[4]);
        FloatBuffer data = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            data.put((float) (r.nextDouble() * 2 - 1));
        }
        data.rewind();
        return OnnxTensor.createTensor(OrtRuntime.environment(), data, shape);
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
