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

/**
 * Builds one DOVER-Mobile branch (backbone + head) as an ONNX graph from a spec and a state_dict.
 *
 * <p>The residual stream stays channels-last (N,T,H,W,C) so LayerNorm, the pointwise layers, GRN and the
 * head need no transposes; only the depthwise and downsampling convs are framed by a pair of transposes.
 * Exact rewrites keep the work small: GRN's {@code gamma*(x*Nx)+beta+x} becomes {@code x*(gamma*Nx+1)} with
 * {@code beta} folded into pwconv2's bias, and for uint8 input the normalisation is folded into the stem conv.
 * Outputs: {@code head_map} N x 1 x T' x H' x W' (the head before pooling), {@code score} N (its mean) and
 * {@code features} N x C, the backbone's output averaged over positions, and {@code position_features}
 * N x H' x W' x C, averaged over time only: a refitted head is linear in them, so they are all that head
 * refitting needs (per position, distillation has far more samples than videos).
 */
public final class BranchGraph {

    private static final float EPS = 1e-6f;
    private static final long[] TO_CHANNELS_LAST = {0, 2, 3, 4, 1};
    private static final long[] TO_CHANNELS_FIRST = {0, 4, 1, 2, 3};

    private final GraphBuilder g;
    private final StateDict weights;
    private final BranchKeys keys;
    private final BranchSpec spec;
    private boolean probes;
    private java.util.Set<Int8Layer> int8Layers = java.util.Set.of();
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
     * The same graph with the blocks' pointwise layers (pwconv1, pwconv2: about 60 % of the FLOPs) in INT8:
     * weights quantised symmetrically per output channel at build time, activations quantised per tensor at run
     * time (DynamicQuantizeLinear, uint8), an integer MatMul rescaled to float, the form ONNX Runtime fuses into
     * one DynamicQuantizeMatMul kernel. Everything else stays fp32. Metadata says {@code graph.int8=pointwise}.
     */
    public static ModelProto buildInt8(BranchSpec spec, StateDict weights, BranchKeys keys, InputFormat format,
                                       Map<String, String> metadata) {
        return buildInt8(spec, weights, keys, format, metadata, java.util.EnumSet.allOf(Int8Layer.class));
    }

    /** Which pointwise layers of each block an INT8 graph quantises. */
    public enum Int8Layer {
        PWCONV1, PWCONV2;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@link #buildInt8} quantising only {@code layers}; metadata {@code graph.int8} lists them. */
    public static ModelProto buildInt8(BranchSpec spec, StateDict weights, BranchKeys keys, InputFormat format,
                                       Map<String, String> metadata, java.util.Set<Int8Layer> layers) {
        BranchGraph b = new BranchGraph(spec, weights, keys);
        b.int8Layers = java.util.EnumSet.copyOf(layers);
        Map<String, String> m = new java.util.TreeMap<>(metadata);
        m.put("graph.int8", layers.size() == Int8Layer.values().length ? "pointwise"
                : String.join(",", b.int8Layers.stream().map(Int8Layer::key).toList()));
        return b.build(format, m, false);
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
                x = layerNorm(x, keys.downNorm(s), in);
                x = conv(x, keys.downConv(s), stage.width(), in, new long[] {1, 2, 2}, new long[] {1, 2, 2},
                        new long[] {0, 0, 0, 0, 0, 0}, 1);
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
        x = layerNorm(x, keys.finalNorm(), in);
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
        return g.build(metadata);
    }

    /**
     * The stem, a (2,4,4) conv with stride (2,4,4), is a patch embedding: each non-overlapping 3x2x4x4 patch goes
     * through one linear map. So the graph cuts patches with Reshape/Transpose (on uint8 data for the pipeline's
     * input, 4x cheaper than floats), casts them, and applies one MatMul that writes channels-last directly: no
     * im2col buffer and no transpose. Then LayerNorm. For uint8 input the normalisation is folded into the weights:
     * w.((x - mean) / std) + b = (w / std).x + (b - sum(w * mean / std)), exact algebra.
     */
    private String stem(String x, boolean foldNormalisation) {
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
        String shape = g.node(OnnxOp.SHAPE, List.of(x), Map.of());
        String n = slice(shape, 0, 1, 0);
        String t2 = g.node(OnnxOp.DIV, List.of(slice(shape, 2, 3, 0), g.longs("two", 2)), Map.of());
        String h4 = g.node(OnnxOp.DIV, List.of(slice(shape, 3, 4, 0), g.longs("four", 4)), Map.of());
        String w4 = g.node(OnnxOp.DIV, List.of(slice(shape, 4, 5, 0), g.longs("four", 4)), Map.of());
        String patches = g.node(OnnxOp.RESHAPE, List.of(x, g.node(OnnxOp.CONCAT, List.of(n, g.longs("c", c), t2,
                g.longs("kt", 2), h4, g.longs("kh", 4), w4, g.longs("kw", 4)), Map.of("axis", 0L))), Map.of());
        patches = g.node(OnnxOp.TRANSPOSE, List.of(patches), Map.of("perm", new long[] {0, 2, 4, 6, 1, 3, 5, 7}));
        patches = g.node(OnnxOp.RESHAPE, List.of(patches, g.node(OnnxOp.CONCAT, List.of(n, t2, h4, w4, g.longs("k", k)),
                Map.of("axis", 0L))), Map.of());
        if (foldNormalisation) {
            patches = g.node(OnnxOp.CAST, List.of(patches), Map.of("to", (long) DataType.FLOAT.getNumber()));
        }
        String y = g.node(OnnxOp.MATMUL, List.of(patches, g.floats("stem_w", new long[] {k, d}, wt)), Map.of());
        y = g.node(OnnxOp.ADD, List.of(y, g.floats("stem_b", new long[] {d}, bias)), Map.of());
        return layerNorm(y, keys.stemNorm(), d);
    }

    private void probe(String x, String name, int channels) {
        String mean = g.node(OnnxOp.REDUCE_MEAN, List.of(g.node(OnnxOp.ABS, List.of(x), Map.of())),
                Map.of("axes", new long[] {1, 2, 3}, "keepdims", 0L));
        g.output(mean, name, DataType.FLOAT, "N", channels);
    }

    /** A conv on channels-last data: transpose in, conv, transpose out. */
    private String conv(String x, String key, int out, int in, long[] kernel, long[] strides, long[] pads, int groups) {
        long[] shape = {out, in / groups, kernel[0], kernel[1], kernel[2]};
        String w = g.floats(key + ".weight", shape, weights.require(key + ".weight", shape).data());
        String b = g.floats(key + ".bias", new long[] {out}, weights.require(key + ".bias", out).data());
        String y = g.node(OnnxOp.TRANSPOSE, List.of(x), Map.of("perm", TO_CHANNELS_FIRST));
        y = g.node(OnnxOp.CONV, List.of(y, w, b), Map.of("kernel_shape", kernel, "strides", strides, "pads", pads,
                "group", (long) groups));
        return g.node(OnnxOp.TRANSPOSE, List.of(y), Map.of("perm", TO_CHANNELS_LAST));
    }

    /**
     * The depthwise (k,7,7) conv as 2D depthwise convs over N*T frames, which ONNX Runtime runs several times
     * faster than a grouped 3D conv. For k > 1 each of the k temporal taps becomes one output channel of a
     * 2D conv with channel multiplier k on the T-padded input, and the taps are summed over shifted frames:
     * y[t] = sum_j conv2d(x[t + j - k/2], w[:, j]).
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
        y = g.node(OnnxOp.RESHAPE, List.of(y, g.node(OnnxOp.CONCAT, List.of(g.longs("shape", -1, d), hw), Map.of("axis", 0L))),
                Map.of());
        // weight [d,1,k,7,7] -> [d*k,1,7,7]: output channel c*k + j is tap j of channel c, as group conv orders them.
        float[] bias = k == 1 ? b : new float[d * k];
        if (k > 1) {
            for (int c = 0; c < d; c++) {
                bias[c * k + k / 2] = b[c];
            }
        }
        y = g.node(OnnxOp.CONV, List.of(y, g.floats(key + ".weight", new long[] {(long) d * k, 1, 7, 7}, w.data()),
                g.floats(key + ".bias", new long[] {(long) d * k}, bias)),
                Map.of("kernel_shape", new long[] {7, 7}, "pads", new long[] {3, 3, 3, 3}, "group", (long) d));
        if (k == 1) {
            y = g.node(OnnxOp.RESHAPE, List.of(y, g.node(OnnxOp.CONCAT, List.of(nt, g.longs("c", d), hw), Map.of("axis", 0L))),
                    Map.of());
        } else {
            String n = slice(shape, 0, 1, 0);
            y = g.node(OnnxOp.RESHAPE, List.of(y, g.node(OnnxOp.CONCAT, List.of(n, g.longs("tck", -1, d, k), hw),
                    Map.of("axis", 0L))), Map.of()); // N, T+k-1, C, k, H, W
            String sum = null;
            for (int j = 0; j < k; j++) {
                String tap = g.node(OnnxOp.SLICE, List.of(y, g.longs("starts", j, j), g.longs("ends", j - (k - 1) == 0
                        ? Long.MAX_VALUE : j - (k - 1), j + 1), g.longs("axes", 1, 3)), Map.of());
                sum = sum == null ? tap : g.node(OnnxOp.ADD, List.of(sum, tap), Map.of());
            }
            y = g.node(OnnxOp.RESHAPE, List.of(sum, g.node(OnnxOp.CONCAT, List.of(nt, g.longs("c", d), hw), Map.of("axis", 0L))),
                    Map.of());
        }
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
        y = layerNorm(y, key + ".norm", d);
        y = pointwise(Int8Layer.PWCONV1, y, key + ".pwconv1", hidden, d, null);
        y = gelu(y);
        float[] gamma = weights.require(key + ".grn.gamma", 1, 1, 1, hidden).data();
        float[] beta = weights.require(key + ".grn.beta", 1, 1, 1, hidden).data();
        y = grn(y, key, gamma);
        hiddenGrnOutput = y; // GRN output minus beta (beta is folded into pwconv2): what probes measure
        y = pointwise(Int8Layer.PWCONV2, y, key + ".pwconv2", d, hidden, beta);
        return g.node(OnnxOp.ADD, List.of(x, y), Map.of());
    }

    /**
     * GRN minus its beta: Gx = L2 over T and H (upstream reduces dims 1,2 of 5D channels-last data; W is not
     * reduced), Nx = Gx / (mean_C Gx + eps); gamma*(y*Nx) + y = y * (gamma*Nx + 1).
     */
    private String grn(String y, String key, float[] gamma) {
        String gx = g.node(OnnxOp.REDUCE_L2, List.of(y), Map.of("axes", new long[] {1, 2}, "keepdims", 1L));
        String mean = g.node(OnnxOp.REDUCE_MEAN, List.of(gx), Map.of("axes", new long[] {-1}, "keepdims", 1L));
        String nx = g.node(OnnxOp.DIV, List.of(gx, g.node(OnnxOp.ADD, List.of(mean, g.scalar("eps", EPS)), Map.of())),
                Map.of());
        String scale = g.node(OnnxOp.MUL, List.of(nx, g.floats(key + ".grn.gamma", new long[] {gamma.length}, gamma)), Map.of());
        scale = g.node(OnnxOp.ADD, List.of(scale, g.scalar("one", 1f)), Map.of());
        return g.node(OnnxOp.MUL, List.of(y, scale), Map.of());
    }

    /**
     * y = x W^T + b over the last axis. Weights come as Linear [out, in] or 1x1x1 Conv [out, in, 1, 1, 1].
     * {@code inputShift}, when given, is a constant added to x first, folded into the bias: b + W shift.
     */
    private String linear(String x, String key, int out, int in, float[] inputShift) {
        Tensor w = weights.get(key + ".weight");
        if (w.numel() != (long) out * in || w.dim(0) != out || w.dim(1) != in) {
            throw new dev.vqamini.model.weights.WeightFileException(weights.source() + ": key '" + key + ".weight' has shape "
                    + w.shapeText() + " but the architecture needs [" + out + ", " + in + "]");
        }
        float[] bias = weights.require(key + ".bias", out).data().clone();
        float[] wt = new float[in * out];
        for (int o = 0; o < out; o++) {
            double acc = bias[o];
            for (int i = 0; i < in; i++) {
                float v = w.data()[o * in + i];
                wt[i * out + o] = v;
                if (inputShift != null) {
                    acc += (double) v * inputShift[i];
                }
            }
            bias[o] = (float) acc;
        }
        String y = g.node(OnnxOp.MATMUL, List.of(x, g.floats(key + ".weight_t", new long[] {in, out}, wt)), Map.of());
        return g.node(OnnxOp.ADD, List.of(y, g.floats(key + ".bias", new long[] {out}, bias)), Map.of());
    }

    private String pointwise(Int8Layer layer, String x, String key, int out, int in, float[] inputShift) {
        return int8Layers.contains(layer) ? linearInt8(x, key, out, in, inputShift) : linear(x, key, out, in, inputShift);
    }

    /**
     * {@link #linear} in INT8: W quantised per output channel, symmetric (zero point 0, scale max|W|/127), x by
     * DynamicQuantizeLinear; y = (int32 product) * (x_scale * w_scale) + b.
     */
    private String linearInt8(String x, String key, int out, int in, float[] inputShift) {
        Tensor w = weights.get(key + ".weight");
        if (w.numel() != (long) out * in || w.dim(0) != out || w.dim(1) != in) {
            throw new dev.vqamini.model.weights.WeightFileException(weights.source() + ": key '" + key + ".weight' has shape "
                    + w.shapeText() + " but the architecture needs [" + out + ", " + in + "]");
        }
        float[] bias = weights.require(key + ".bias", out).data().clone();
        byte[] wq = new byte[in * out];
        float[] scale = new float[out];
        for (int o = 0; o < out; o++) {
            double acc = bias[o];
            float max = 0;
            for (int i = 0; i < in; i++) {
                float v = w.data()[o * in + i];
                max = Math.max(max, Math.abs(v));
                if (inputShift != null) {
                    acc += (double) v * inputShift[i];
                }
            }
            bias[o] = (float) acc;
            scale[o] = max == 0 ? 1f : max / 127f;
            for (int i = 0; i < in; i++) {
                wq[i * out + o] = (byte) Math.max(-127, Math.min(127, Math.round(w.data()[o * in + i] / scale[o])));
            }
        }
        List<String> q = g.nodeOutputs(OnnxOp.DYNAMIC_QUANTIZE_LINEAR, List.of(x), Map.of(), 3);
        String product = g.node(OnnxOp.MATMUL_INTEGER, List.of(q.get(0), g.int8s(key + ".weight_q", new long[] {in, out}, wq),
                q.get(2), g.int8s(key + ".weight_zero", new long[] {out}, new byte[out])), Map.of());
        String f = g.node(OnnxOp.CAST, List.of(product), Map.of("to", (long) DataType.FLOAT.getNumber()));
        String s = g.node(OnnxOp.MUL, List.of(q.get(1), g.floats(key + ".weight_scale", new long[] {out}, scale)), Map.of());
        String y = g.node(OnnxOp.MUL, List.of(f, s), Map.of());
        return g.node(OnnxOp.ADD, List.of(y, g.floats(key + ".bias", new long[] {out}, bias)), Map.of());
    }

    private String layerNorm(String x, String key, int d) {
        String w = g.floats(key + ".weight", new long[] {d}, weights.require(key + ".weight", d).data());
        String b = g.floats(key + ".bias", new long[] {d}, weights.require(key + ".bias", d).data());
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
