package dev.vqamini.model.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.vqamini.spec.BlockSpec;
import dev.vqamini.model.weights.BranchKeys;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.StageSpec;
import dev.vqamini.model.weights.StateDict;
import dev.vqamini.model.weights.Tensor;
import java.util.List;
import java.util.Map;
import dev.vqamini.model.weights.WeightFileException;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds one DOVER-Mobile branch (backbone + head) as an ONNX graph from a spec and a state_dict.
 *
 * <p>The residual stream stays channels-last (N,T,H,W,C) so LayerNorm, the pointwise layers, GRN and the
 * head need no transposes; only the depthwise convs are framed by a pair of transposes. The stem and the (1,2,2)
 * downsampling convs, whose windows do not overlap, are patch embeddings: Reshape/Transpose cuts the patches
 * channels-last and one MatMul applies the conv, so the input's T must be even and H and W multiples of
 * {@link #spatialMultiple} (32 for four stages).
 * Exact rewrites keep the work small: GRN's {@code gamma*(x*Nx)+beta+x} becomes {@code x*(gamma*Nx+1)} with
 * {@code beta} folded into pwconv2's bias, and for uint8 input the normalisation is folded into the stem conv.
 * Outputs: {@code head_map} N x 1 x T' x H' x W' (the head before pooling), {@code score} N (its mean) and
 * {@code features} N x C, the backbone's output averaged over positions, and {@code position_features}
 * N x H' x W' x C, averaged over time only: a refitted head is linear in them, so they are all that head
 * refitting needs (per position, distillation has far more samples than videos).
 */
public final class BranchGraph {

    private static final float EPS = 1e-6f;
    private static final long[] TO_CHANNELS_FIRST = {0, 4, 1, 2, 3};

    private final GraphBuilder g;
    private final StateDict weights;
    private final BranchKeys keys;
    private final BranchSpec spec;
    private boolean probes;
    /** The metadata key naming a graph's INT8 layers ("static:pwconv1+pwconv2+stem"); absent in fp32 graphs. */
    public static final String INT8_METADATA = "graph.int8";

    private StaticInt8 staticInt8;
    private Set<Int8Layer> rangeProbes = Set.of();
    private String hiddenGrnOutput;

    private BranchGraph(BranchSpec spec, StateDict weights, BranchKeys keys) {
        this.g = new GraphBuilder(keys.prefix() + "dover_mobile");
        this.weights = weights;
        this.keys = keys;
        this.spec = spec;
    }

    /** Input value name for each format. */
    public static String inputName(InputFormat format) {
        return GraphNames.input(format);
    }

    public static ModelProto build(BranchSpec spec, StateDict weights, BranchKeys keys, InputFormat format,
                                   Map<String, String> metadata) {
        return new BranchGraph(spec, weights, keys).build(format, metadata, false);
    }

    /**
     * The graph with {@code q.layers()} in static INT8, in the QDQ form ONNX Runtime turns into integer kernels:
     * the input quantised with the calibrated per-tensor scale (after SmoothQuant's per-channel division, folded into
     * the preceding constants), weights symmetric per output channel. Metadata says {@code graph.int8=static:LAYERS}.
     */
    public static ModelProto buildStaticInt8(BranchSpec spec, StateDict weights, BranchKeys keys, InputFormat format,
                                             Map<String, String> metadata, StaticInt8 q) {
        BranchGraph b = new BranchGraph(spec, weights, keys);
        b.staticInt8 = q;
        Map<String, String> m = new TreeMap<>(metadata);
        m.put(INT8_METADATA, "static:" + Int8Layer.describe(q.layers()));
        return b.build(format, m, false);
    }

    /** The fp32 graph with, for each block's {@code layers}, outputs of the per-channel min and max of the layer's input. */
    public static ModelProto buildWithRangeProbes(BranchSpec spec, StateDict weights, BranchKeys keys, InputFormat format,
                                                  Set<Int8Layer> layers) {
        BranchGraph b = new BranchGraph(spec, weights, keys);
        b.rangeProbes = EnumSet.copyOf(layers);
        return b.build(format, Map.of(), false);
    }

    /** Output names of the range probes of the layer with weight key {@code key}. */
    public static String rangeMin(String key) {
        return "probe.range.min." + key;
    }

    public static String rangeMax(String key) {
        return "probe.range.max." + key;
    }

    /**
     * The same graph with probe outputs for activation-based pruning: {@code probe.S.B} (N x hidden), the mean
     * absolute GRN output of block B of stage S, and {@code probe.S} (N x width), that of stage S's output.
     */
    public static ModelProto buildWithProbes(BranchSpec spec, StateDict weights, BranchKeys keys, InputFormat format) {
        return new BranchGraph(spec, weights, keys).build(format, Map.of(), true);
    }

    /** Name of the probe output of a block's hidden channels. */
    public static String hiddenProbe(int stage, int block) {
        return "probe." + stage + "." + block;
    }

    /** Name of the probe output of a stage's residual channels. */
    public static String residualProbe(int stage) {
        return "probe." + stage;
    }

    private ModelProto build(InputFormat format, Map<String, String> metadata, boolean probes) {
        this.probes = probes;
        Object[] dims = {"N", BranchSpec.IN_CHANNELS, "T", "H", "W"};
        String x = g.input(inputName(format), format == InputFormat.RGB_UINT8 ? DataType.UINT8 : DataType.FLOAT, dims);
        x = stem(x, format == InputFormat.RGB_UINT8);
        int in = spec.stage(0).width();
        for (int s = 0; s < spec.stages().size(); s++) {
            StageSpec stage = spec.stage(s);
            if (s > 0) {
                x = downsample(x, s, in);
            }
            for (BlockSpec block : stage.blocks()) {
                x = block(x, s, stage.width(), block);
                if (probes) {
                    probe(hiddenGrnOutput, hiddenProbe(s, block.index()), block.hidden());
                }
            }
            if (probes) {
                probe(x, residualProbe(s), stage.width());
            }
            in = stage.width();
        }
        head(x, in);
        return g.build(metadata);
    }

    /** The final LayerNorm, the pooled features and the head; declares the graph's four outputs. */
    private void head(String backbone, int in) {
        String x = layerNorm(backbone, keys.finalNorm(), in);
        String positions = g.node(OnnxOp.REDUCE_MEAN, List.of(x), Map.of("axes", new long[] {1}, "keepdims", 0L));
        String features = g.node(OnnxOp.REDUCE_MEAN, List.of(positions), Map.of("axes", new long[] {1, 2}, "keepdims", 0L));
        String h = linear(x, keys.headHidden(), spec.headHidden(), in, null);
        h = gelu(h);
        h = linear(h, keys.headLast(), 1, spec.headHidden(), null); // N,T',H',W',1
        String map = g.node(OnnxOp.TRANSPOSE, List.of(h), Map.of("perm", TO_CHANNELS_FIRST));
        String score = g.node(OnnxOp.REDUCE_MEAN, List.of(h), Map.of("axes", new long[] {1, 2, 3, 4}, "keepdims", 0L));
        g.output(map, GraphNames.HEAD_MAP, DataType.FLOAT, "N", 1, "T_out", "H_out", "W_out");
        g.output(score, GraphNames.SCORE, DataType.FLOAT, "N");
        g.output(features, GraphNames.FEATURES, DataType.FLOAT, "N", in);
        g.output(positions, GraphNames.POSITION_FEATURES, DataType.FLOAT, "N", "H_out", "W_out", in);
    }

    /** The parts a branch graph is made of, each of which {@link #buildSegment} emits alone for timing. */
    public enum SegmentKind {
        /** uint8 clip to float stem patches (reshape, transpose, cast): the input cost no width changes */
        INPUT,
        /** float patches to the stem's channels-last output (MatMul, bias, LayerNorm) */
        STEM,
        /** a stage's LayerNorm and (1,2,2) downsampling conv */
        DOWNSAMPLE,
        /** one ConvNeXt-V2 block with its residual add */
        BLOCK,
        /** the final LayerNorm, pooled features and the head */
        HEAD
    }

    /**
     * One part of a branch: {@code stage} for DOWNSAMPLE and BLOCK, {@code block} (index in the stage) for BLOCK; -1
     * where unused.
     */
    public record Segment(SegmentKind kind, int stage, int block) {
    }

    /**
     * One segment of the branch as a graph of its own, emitted by the same code as the whole branch so that it runs
     * the same ops: input {@code x} channels-last N x T x H x W x C float (uint8 N x 3 x T x H x W for INPUT, float
     * patches N x T/2 x H/4 x W/4 x 96 for STEM), output {@code y} (HEAD: the branch's four outputs).
     * Summed over a branch, segment times predict the branch's time ({@code LatencyTable}).
     */
    public static ModelProto buildSegment(BranchSpec spec, StateDict weights, BranchKeys keys, Segment segment) {
        return new BranchGraph(spec, weights, keys).segment(segment);
    }

    private ModelProto segment(Segment seg) {
        String y;
        switch (seg.kind()) {
            case INPUT -> {
                String x = g.input("x", DataType.UINT8, "N", BranchSpec.IN_CHANNELS, "T", "H", "W");
                y = g.node(OnnxOp.CAST, List.of(patches(x)), Map.of("to", (long) DataType.FLOAT.getNumber()));
            }
            case STEM -> y = stemProjection(g.input("x", DataType.FLOAT, "N", "T", "H", "W", STEM_PATCH), true, false);
            case DOWNSAMPLE -> {
                int in = spec.stage(seg.stage() - 1).width();
                String x = g.input("x", DataType.FLOAT, "N", "T", "H", "W", in);
                y = downsample(x, seg.stage(), in);
            }
            case BLOCK -> {
                StageSpec stage = spec.stage(seg.stage());
                BlockSpec block = stage.blocks().stream().filter(b -> b.index() == seg.block()).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("stage " + seg.stage() + " has no block " + seg.block()));
                y = block(g.input("x", DataType.FLOAT, "N", "T", "H", "W", stage.width()), seg.stage(), stage.width(), block);
            }
            case HEAD -> {
                int in = spec.featureWidth();
                head(g.input("x", DataType.FLOAT, "N", "T", "H", "W", in), in);
                return g.build(Map.of());
            }
            default -> throw new IllegalArgumentException("unknown segment " + seg);
        }
        g.output(y, "y", DataType.FLOAT, "N", "T", "H", "W", "C");
        return g.build(Map.of());
    }

    /** Values per stem patch: 3 channels x 2 frames x 4 x 4 pixels. */
    public static final int STEM_PATCH = BranchSpec.IN_CHANNELS * 2 * 4 * 4;

    /**
     * A stage's LayerNorm and its (1,2,2) conv with stride (1,2,2). That conv's windows do not overlap, so it is a patch
     * embedding on channels-last data, like the stem: x (N,T,H,W,C) -> Reshape (N,T,H/2,2,W/2,2,C) -> Transpose
     * (N,T,H/2,W/2,2,2,C) -> Reshape (N,T,H/2,W/2,4C) -> MatMul with the conv weight [out, C, 1, 2, 2] rearranged to
     * [4C, out], the 4C axis in (kh, kw, c) order like the transposed patches, + bias. The transpose moves runs of 2C
     * contiguous floats; no im2col buffer, no transposes to channels-first and back. H and W must be even (the input's
     * height and width multiples of {@link #spatialMultiple}); N, T, H and W stay symbolic (Shape/Slice/Div).
     * Measured against LayerNorm + Transpose + 3-D Conv + Transpose, interleaved: 0.975-0.99 of the full branch's time,
     * 0.76-0.97 of the downsampling segments' (docs/benchmarks.md).
     */
    private String downsample(String x, int s, int in) {
        String y = layerNorm(x, keys.downNorm(s), in);
        String key = keys.downConv(s);
        int out = spec.stage(s).width();
        Tensor w = weights.require(key + ".weight", out, in, 1, 2, 2);
        float[] b = weights.require(key + ".bias", out).data();
        float[] wt = new float[4 * in * out]; // [(kh, kw, c), out]: MatMul layout
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                for (int k = 0; k < 4; k++) { // k = kh * 2 + kw, the conv weight's innermost two axes
                    wt[(k * in + c) * out + o] = w.data()[(o * in + c) * 4 + k];
                }
            }
        }
        String shape = g.node(OnnxOp.SHAPE, List.of(y), Map.of());
        String nt = slice(shape, 0, 2, 0);
        String h2 = g.node(OnnxOp.DIV, List.of(slice(shape, 2, 3, 0), g.longs("two", 2)), Map.of());
        String w2 = g.node(OnnxOp.DIV, List.of(slice(shape, 3, 4, 0), g.longs("two", 2)), Map.of());
        y = g.node(OnnxOp.RESHAPE, List.of(y, g.node(OnnxOp.CONCAT, List.of(nt, h2, g.longs("kh", 2), w2, g.longs("kw", 2),
                g.longs("c", in)), Map.of("axis", 0L))), Map.of());
        y = g.node(OnnxOp.TRANSPOSE, List.of(y), Map.of("perm", new long[] {0, 1, 2, 4, 3, 5, 6}));
        y = g.node(OnnxOp.RESHAPE, List.of(y, g.node(OnnxOp.CONCAT, List.of(nt, h2, w2, g.longs("k", 4L * in)),
                Map.of("axis", 0L))), Map.of());
        y = g.node(OnnxOp.MATMUL, List.of(y, g.floats(key + ".weight_t", new long[] {4L * in, out}, wt)), Map.of());
        return g.node(OnnxOp.ADD, List.of(y, g.floats(key + ".bias", new long[] {out}, b)), Map.of());
    }

    /**
     * What the input's height and width must be multiples of for {@code spec}: the stem takes 4 x 4 pixels, and each
     * downsampling after it halves H and W, which must be even there: 4 x 2^(stages - 1) (32 for four stages).
     */
    public static int spatialMultiple(BranchSpec spec) {
        return 4 << (spec.stages().size() - 1);
    }

    /**
     * The input's shape N x 3 x T x H x W checked against what the graph takes: an error naming the required
     * multiples (T even, H and W multiples of {@link #spatialMultiple}) instead of ONNX Runtime's reshape error.
     */
    public static void checkInputShape(BranchSpec spec, long[] shape) {
        int m = spatialMultiple(spec);
        if (shape.length != 5 || shape[2] % 2 != 0 || shape[3] % m != 0 || shape[4] % m != 0) {
            throw new IllegalArgumentException("a " + spec.stages().size() + "-stage branch takes N x 3 x T x H x W clips"
                    + " with T even and H and W multiples of " + m + " (the stem's 4 pixels, then " + (spec.stages().size() - 1)
                    + " downsamplings by 2), got " + java.util.Arrays.toString(shape));
        }
    }

    /**
     * The stem, a (2,4,4) conv with stride (2,4,4), is a patch embedding: each non-overlapping 3x2x4x4 patch goes
     * through one linear map. So the graph cuts patches with Reshape/Transpose (on uint8 data for the pipeline's
     * input, 4x cheaper than floats), casts them, and applies one MatMul that writes channels-last directly: no
     * im2col buffer and no transpose. Then LayerNorm. For uint8 input the normalisation is folded into the weights:
     * w.((x - mean) / std) + b = (w / std).x + (b - sum(w * mean / std)), exact algebra.
     */
    private String stem(String x, boolean foldNormalisation) {
        return stemProjection(patches(x), foldNormalisation, foldNormalisation);
    }

    /** The clip cut into N x T/2 x H/4 x W/4 x 96 stem patches, in the clip's own type. */
    private String patches(String x) {
        int c = BranchSpec.IN_CHANNELS;
        int k = STEM_PATCH;
        String shape = g.node(OnnxOp.SHAPE, List.of(x), Map.of());
        String n = slice(shape, 0, 1, 0);
        String t2 = g.node(OnnxOp.DIV, List.of(slice(shape, 2, 3, 0), g.longs("two", 2)), Map.of());
        String h4 = g.node(OnnxOp.DIV, List.of(slice(shape, 3, 4, 0), g.longs("four", 4)), Map.of());
        String w4 = g.node(OnnxOp.DIV, List.of(slice(shape, 4, 5, 0), g.longs("four", 4)), Map.of());
        String patches = g.node(OnnxOp.RESHAPE, List.of(x, g.node(OnnxOp.CONCAT, List.of(n, g.longs("c", c), t2,
                g.longs("kt", 2), h4, g.longs("kh", 4), w4, g.longs("kw", 4)), Map.of("axis", 0L))), Map.of());
        patches = g.node(OnnxOp.TRANSPOSE, List.of(patches), Map.of("perm", new long[] {0, 2, 4, 6, 1, 3, 5, 7}));
        return g.node(OnnxOp.RESHAPE, List.of(patches, g.node(OnnxOp.CONCAT, List.of(n, t2, h4, w4, g.longs("k", k)),
                Map.of("axis", 0L))), Map.of());
    }

    /**
     * The stem's linear map and LayerNorm on patches; {@code foldNormalisation}: the weights take 0..255 pixels,
     * {@code castPatches}: the patches are uint8 and are cast to float first (fp32 stem).
     */
    private String stemProjection(String patches, boolean foldNormalisation, boolean castPatches) {
        int d = spec.stage(0).width();
        int c = BranchSpec.IN_CHANNELS;
        int k = c * 2 * 4 * 4;
        Tensor w = weights.require(keys.stemConv() + ".weight", d, c, 2, 4, 4);
        float[] bias = weights.require(keys.stemConv() + ".bias", d).data().clone();
        float[] wt = new float[k * d]; // [k, d]: MatMul layout, k in (c, kt, kh, kw) order like the conv weight
        for (int o = 0; o < d; o++) {
            double shift = 0;
            for (int i = 0; i < k; i++) {
                double v = w.data()[o * k + i];
                if (foldNormalisation) {
                    int ci = i / (k / c);
                    shift += v * InputFormat.MEAN[ci] / InputFormat.STD[ci];
                    v /= InputFormat.STD[ci];
                }
                wt[i * d + o] = (float) v;
            }
            bias[o] = (float) (bias[o] - shift);
        }
        String y;
        if (castPatches && staticInt8 != null && staticInt8.layers().contains(Int8Layer.STEM)) {
            // uint8 pixels are their own quantisation (scale 1, zero point 0); the weights are split in two int8 parts,
            // W = Q1 s1 + Q2 s2 (Q2 rounds what Q1 left), which keeps about 15 bits of them: the LayerNorm after the
            // stem divides flat patches by a small spread and would magnify a single int8 rounding
            float[] w2 = new float[d * k]; // [out, in] for QuantizedWeights
            for (int i = 0; i < k; i++) {
                for (int o = 0; o < d; o++) {
                    w2[o * k + i] = wt[i * d + o];
                }
            }
            QuantizedWeights coarse = QuantizedWeights.of(w2, d, k, null);
            float[] rest = new float[d * k];
            for (int o = 0; o < d; o++) {
                for (int i = 0; i < k; i++) {
                    rest[o * k + i] = w2[o * k + i] - coarse.values()[i * d + o] * coarse.scales()[o];
                }
            }
            QuantizedWeights fine = QuantizedWeights.of(rest, d, k, null);
            y = null;
            for (QuantizedWeights part : List.of(coarse, fine)) {
                String xd = g.node(OnnxOp.DEQUANTIZE_LINEAR, List.of(patches, g.scalar("pixel_scale", 1f),
                        g.uint8s("pixel_zero", new long[0], new byte[1])), Map.of());
                String wd = g.node(OnnxOp.DEQUANTIZE_LINEAR, List.of(g.int8s("stem_w_q", new long[] {k, d}, part.values()),
                        g.floats("stem_w_scale", new long[] {d}, part.scales()), g.int8s("stem_w_zero", new long[] {d}, new byte[d])),
                        Map.of("axis", 1L));
                String product = g.node(OnnxOp.MATMUL, List.of(xd, wd), Map.of());
                y = y == null ? product : g.node(OnnxOp.ADD, List.of(y, product), Map.of());
            }
        } else {
            if (castPatches) {
                patches = g.node(OnnxOp.CAST, List.of(patches), Map.of("to", (long) DataType.FLOAT.getNumber()));
            }
            y = g.node(OnnxOp.MATMUL, List.of(patches, g.floats("stem_w", new long[] {k, d}, wt)), Map.of());
        }
        y = g.node(OnnxOp.ADD, List.of(y, g.floats("stem_b", new long[] {d}, bias)), Map.of());
        return layerNorm(y, keys.stemNorm(), d);
    }

    private void probe(String x, String name, int channels) {
        String mean = g.node(OnnxOp.REDUCE_MEAN, List.of(g.node(OnnxOp.ABS, List.of(x), Map.of())),
                Map.of("axes", new long[] {1, 2, 3}, "keepdims", 0L));
        g.output(mean, name, DataType.FLOAT, "N", channels);
    }

    /**
     * The depthwise (k,7,7) conv as 2D depthwise convs over N*T frames, which ONNX Runtime runs several times
     * faster than a grouped 3D conv. For k > 1 each temporal tap j is its own depthwise 2D conv (channel multiplier 1)
     * over the T-padded frames shifted by j, and the taps are summed: y[t] = sum_j conv2d(x[t + j - k/2], w[:, j]).
     * One conv with channel multiplier k instead (tap j of channel c as output channel c*k + j) gives bit-identical
     * outputs but is not depthwise to ONNX Runtime: measured interleaved on a loaded 2-core host, it took 1.1-1.2x
     * (full model) and 1.2-1.4x (a pruned one) the CPU time of this form (docs/benchmarks.md).
     */
    private String depthwise(String x, String key, int d, int k) {
        Tensor w = weights.require(key + ".weight", d, 1, k, 7, 7);
        float[] b = weights.require(key + ".bias", d).data();
        String y = g.node(OnnxOp.TRANSPOSE, List.of(x), Map.of("perm", new long[] {0, 1, 4, 2, 3})); // N,T,C,H,W
        String shape = g.node(OnnxOp.SHAPE, List.of(y), Map.of());
        String hw = slice(shape, 3, 5, 0);
        String nt = slice(shape, 0, 2, 0);
        if (k > 1) {
            y = g.node(OnnxOp.PAD, List.of(y, g.longs("pad_t", 0, k / 2, 0, 0, 0, 0, k / 2, 0, 0, 0)), Map.of());
        }
        String sum = null;
        for (int j = 0; j < k; j++) {
            String frames = y;
            if (k > 1) {
                frames = g.node(OnnxOp.SLICE, List.of(y, g.longs("starts", j), g.longs("ends", j - (k - 1) == 0
                        ? Long.MAX_VALUE : j - (k - 1)), g.longs("axes", 1)), Map.of());
            }
            frames = g.node(OnnxOp.RESHAPE, List.of(frames, g.node(OnnxOp.CONCAT, List.of(g.longs("shape", -1, d), hw),
                    Map.of("axis", 0L))), Map.of());
            float[] tap = new float[d * 49]; // w[c, 0, j] for every channel c: [d, 1, 7, 7]
            for (int c = 0; c < d; c++) {
                System.arraycopy(w.data(), (c * k + j) * 49, tap, c * 49, 49);
            }
            String conv = g.node(OnnxOp.CONV, List.of(frames, g.floats(key + ".weight", new long[] {d, 1, 7, 7}, tap),
                    g.floats(key + ".bias", new long[] {d}, j == k / 2 ? b : new float[d])),
                    Map.of("kernel_shape", new long[] {7, 7}, "pads", new long[] {3, 3, 3, 3}, "group", (long) d));
            sum = sum == null ? conv : g.node(OnnxOp.ADD, List.of(sum, conv), Map.of());
        }
        y = g.node(OnnxOp.RESHAPE, List.of(sum, g.node(OnnxOp.CONCAT, List.of(nt, g.longs("c", d), hw), Map.of("axis", 0L))),
                Map.of());
        return g.node(OnnxOp.TRANSPOSE, List.of(y), Map.of("perm", new long[] {0, 1, 3, 4, 2})); // N,T,H,W,C
    }

    private String slice(String data, long start, long end, long axis) {
        return g.node(OnnxOp.SLICE, List.of(data, g.longs("starts", start), g.longs("ends", end), g.longs("axes", axis)), Map.of());
    }

    /** x + pwconv2(GRN(GELU(pwconv1(LN(dwconv(x)))))) on channels-last data. */
    private String block(String x, int stage, int d, BlockSpec block) {
        String key = keys.block(stage, block.index());
        int k = block.temporalKernel();
        int hidden = block.hidden();
        String y = depthwise(x, key + ".dwconv", d, k);
        float[] smooth1 = smoothing(Int8Layer.PWCONV1, key + ".pwconv1", hidden, d);
        y = layerNorm(y, key + ".norm", d, smooth1);
        rangeProbe(Int8Layer.PWCONV1, y, key + ".pwconv1");
        y = pointwise(Int8Layer.PWCONV1, y, key + ".pwconv1", hidden, d, null, smooth1);
        y = gelu(y);
        float[] gamma = weights.require(key + ".grn.gamma", 1, 1, 1, hidden).data();
        float[] beta = weights.require(key + ".grn.beta", 1, 1, 1, hidden).data();
        float[] smooth2 = smoothing(Int8Layer.PWCONV2, key + ".pwconv2", d, hidden);
        y = grn(y, key, gamma, smooth2);
        hiddenGrnOutput = y; // GRN output minus beta (beta is folded into pwconv2): what probes measure
        rangeProbe(Int8Layer.PWCONV2, y, key + ".pwconv2");
        y = pointwise(Int8Layer.PWCONV2, y, key + ".pwconv2", d, hidden, beta, smooth2);
        return g.node(OnnxOp.ADD, List.of(x, y), Map.of());
    }

    /**
     * GRN minus its beta: Gx = L2 over T and H (upstream reduces dims 1,2 of 5D channels-last data; W is not
     * reduced), Nx = Gx / (mean_C Gx + eps); gamma*(y*Nx) + y = y * (gamma*Nx + 1).
     */
    private String grn(String y, String key, float[] gamma, float[] divisor) {
        String gx = g.node(OnnxOp.REDUCE_L2, List.of(y), Map.of("axes", new long[] {1, 2}, "keepdims", 1L));
        String mean = g.node(OnnxOp.REDUCE_MEAN, List.of(gx), Map.of("axes", new long[] {-1}, "keepdims", 1L));
        String nx = g.node(OnnxOp.DIV, List.of(gx, g.node(OnnxOp.ADD, List.of(mean, g.scalar("eps", EPS)), Map.of())),
                Map.of());
        // SmoothQuant's divisor s, when given: (gamma * Nx + 1) / s = (gamma / s) * Nx + 1 / s
        float[] g1 = divisor == null ? gamma : divide(gamma, divisor);
        String scale = g.node(OnnxOp.MUL, List.of(nx, g.floats(key + ".grn.gamma", new long[] {gamma.length}, g1)), Map.of());
        String one = divisor == null ? g.scalar("one", 1f) : g.floats(key + ".grn.one", new long[] {gamma.length}, reciprocal(divisor));
        scale = g.node(OnnxOp.ADD, List.of(scale, one), Map.of());
        return g.node(OnnxOp.MUL, List.of(y, scale), Map.of());
    }

    /**
     * y = x W^T + b over the last axis. Weights come as Linear [out, in] or 1x1x1 Conv [out, in, 1, 1, 1].
     * {@code inputShift}, when given, is a constant added to x first, folded into the bias: b + W shift.
     */
    private String linear(String x, String key, int out, int in, float[] inputShift) {
        float[] w = checkedWeight(key, out, in);
        float[] wt = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                wt[i * out + o] = w[o * in + i];
            }
        }
        String y = g.node(OnnxOp.MATMUL, List.of(x, g.floats(key + ".weight_t", new long[] {in, out}, wt)), Map.of());
        return g.node(OnnxOp.ADD, List.of(y, g.floats(key + ".bias", new long[] {out}, shiftedBias(key, w, out, in, inputShift))), Map.of());
    }

    private String pointwise(Int8Layer layer, String x, String key, int out, int in, float[] inputShift, float[] smoothing) {
        return staticInt8 != null && staticInt8.layers().contains(layer) ? linearStaticInt8(x, key, out, in, inputShift, smoothing)
                : linear(x, key, out, in, inputShift);
    }

    /** The weight of a Linear or 1x1x1 Conv as [out, in] row-major; an error naming the key when its shape differs. */
    private float[] checkedWeight(String key, int out, int in) {
        Tensor w = weights.get(key + ".weight");
        if (w.numel() != (long) out * in || w.dim(0) != out || w.dim(1) != in) {
            throw new WeightFileException(weights.source() + ": key '" + key + ".weight' has shape "
                    + w.shapeText() + " but the architecture needs [" + out + ", " + in + "]");
        }
        return w.data();
    }

    private float[] shiftedBias(String key, float[] w, int out, int in, float[] inputShift) {
        float[] bias = weights.require(key + ".bias", out).data().clone();
        if (inputShift != null) {
            for (int o = 0; o < out; o++) {
                double acc = bias[o];
                for (int i = 0; i < in; i++) {
                    acc += (double) w[o * in + i] * inputShift[i];
                }
                bias[o] = (float) acc;
            }
        }
        return bias;
    }

    /** W [out, in] times column factors (null: none), quantised symmetric per output channel into [in, out] int8. */
    private record QuantizedWeights(byte[] values, float[] scales) {

        static QuantizedWeights of(float[] w, int out, int in, float[] columnFactors) {
            byte[] q = new byte[in * out];
            float[] scale = new float[out];
            for (int o = 0; o < out; o++) {
                float max = 0;
                for (int i = 0; i < in; i++) {
                    max = Math.max(max, Math.abs(w[o * in + i] * (columnFactors == null ? 1 : columnFactors[i])));
                }
                scale[o] = max == 0 ? 1f : max / 127f;
                for (int i = 0; i < in; i++) {
                    float v = w[o * in + i] * (columnFactors == null ? 1 : columnFactors[i]);
                    q[i * out + o] = (byte) Math.max(-127, Math.min(127, Math.round(v / scale[o])));
                }
            }
            return new QuantizedWeights(q, scale);
        }
    }

    /**
     * {@link #linear} in static INT8 (QDQ): x, already divided by {@code smoothing} upstream, quantised to uint8 with
     * the per-tensor scale and zero point its calibrated range gives; W times {@code smoothing} per input channel,
     * symmetric int8 per output channel. The bias is unchanged: W' (x / s) = W x.
     */
    private String linearStaticInt8(String x, String key, int out, int in, float[] inputShift, float[] smoothing) {
        float[] w = checkedWeight(key, out, in);
        QuantizedWeights wq = QuantizedWeights.of(w, out, in, smoothing);
        StaticInt8.ChannelRange r = staticInt8.range(key, in);
        float lo = 0;
        float hi = 0; // the range holds zero, so zero is exact
        for (int c = 0; c < in; c++) {
            lo = Math.min(lo, r.min()[c] / smoothing[c]);
            hi = Math.max(hi, r.max()[c] / smoothing[c]);
        }
        float scale = hi > lo ? (hi - lo) / 255f : 1f;
        int zero = Math.max(0, Math.min(255, Math.round(-lo / scale)));
        String xScale = g.scalar(key + ".input_scale", scale);
        String xZero = g.uint8s(key + ".input_zero", new long[0], new byte[] {(byte) zero});
        String xq = g.node(OnnxOp.QUANTIZE_LINEAR, List.of(x, xScale, xZero), Map.of());
        String xd = g.node(OnnxOp.DEQUANTIZE_LINEAR, List.of(xq, xScale, xZero), Map.of());
        String wd = g.node(OnnxOp.DEQUANTIZE_LINEAR, List.of(g.int8s(key + ".weight_q", new long[] {in, out}, wq.values()),
                g.floats(key + ".weight_scale", new long[] {out}, wq.scales()), g.int8s(key + ".weight_zero", new long[] {out}, new byte[out])),
                Map.of("axis", 1L));
        String y = g.node(OnnxOp.MATMUL, List.of(xd, wd), Map.of());
        return g.node(OnnxOp.ADD, List.of(y, g.floats(key + ".bias", new long[] {out}, shiftedBias(key, w, out, in, inputShift))), Map.of());
    }

    /**
     * SmoothQuant's per-input-channel divisor for a static INT8 layer, s_c = max|x_c|^a / max_o|W_oc|^(1-a) (1 where
     * either is 0, kept within [1e-4, 1e4]); null when the layer stays fp32 or is dynamic.
     */
    private float[] smoothing(Int8Layer layer, String key, int out, int in) {
        if (staticInt8 == null || !staticInt8.layers().contains(layer)) {
            return null;
        }
        StaticInt8.ChannelRange r = staticInt8.range(key, in);
        float[] w = checkedWeight(key, out, in);
        double a = staticInt8.smoothing();
        float[] s = new float[in];
        for (int c = 0; c < in; c++) {
            double wmax = 0;
            for (int o = 0; o < out; o++) {
                wmax = Math.max(wmax, Math.abs(w[o * in + c]));
            }
            double xmax = r.absMax(c);
            double v = xmax > 0 && wmax > 0 ? Math.pow(xmax, a) / Math.pow(wmax, 1 - a) : 1;
            s[c] = (float) Math.max(1e-4, Math.min(1e4, v));
        }
        return s;
    }

    /** values / divisor, element-wise. */
    private static float[] divide(float[] values, float[] divisor) {
        float[] r = new float[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = values[i] / divisor[i];
        }
        return r;
    }

    private static float[] reciprocal(float[] divisor) {
        float[] r = new float[divisor.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = 1f / divisor[i];
        }
        return r;
    }

    /** Outputs the per-channel min and max of a layer's input when calibration asked for that layer. */
    private void rangeProbe(Int8Layer layer, String x, String key) {
        if (rangeProbes.contains(layer)) {
            int channels = weights.get(key + ".weight").dim(1);
            Map<String, Object> all = Map.of("axes", new long[] {0, 1, 2, 3}, "keepdims", 0L);
            g.output(g.node(OnnxOp.REDUCE_MIN, List.of(x), all), rangeMin(key), DataType.FLOAT, channels);
            g.output(g.node(OnnxOp.REDUCE_MAX, List.of(x), all), rangeMax(key), DataType.FLOAT, channels);
        }
    }

    private String layerNorm(String x, String key, int d) {
        return layerNorm(x, key, d, null);
    }

    /** LayerNorm whose output is divided per channel by {@code divisor} (null: none), folded into its affine. */
    private String layerNorm(String x, String key, int d, float[] divisor) {
        float[] weight = weights.require(key + ".weight", d).data();
        float[] bias = weights.require(key + ".bias", d).data();
        if (divisor != null) {
            weight = divide(weight, divisor);
            bias = divide(bias, divisor);
        }
        String w = g.floats(key + ".weight", new long[] {d}, weight);
        String b = g.floats(key + ".bias", new long[] {d}, bias);
        return g.node(OnnxOp.LAYER_NORMALIZATION, List.of(x, w, b), Map.of("axis", -1L, "epsilon", EPS));
    }

    /** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)), in the form ONNX Runtime fuses into one Gelu kernel. */
    private String gelu(String x) {
        String e = g.node(OnnxOp.ERF, List.of(g.node(OnnxOp.DIV, List.of(x, g.scalar("sqrt2", (float) Math.sqrt(2))),
                Map.of())), Map.of());
        String one = g.node(OnnxOp.ADD, List.of(e, g.scalar("one", 1f)), Map.of());
        String xm = g.node(OnnxOp.MUL, List.of(x, one), Map.of());
        return g.node(OnnxOp.MUL, List.of(xm, g.scalar("half", 0.5f)), Map.of());
    }
}
