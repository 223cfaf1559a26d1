package dev.vqamini.model.onnx;

import java.util.Set;

/**
 * The ONNX operators the graphs use (opset 17), each with its input arity and required attributes so that
 * {@link GraphBuilder} rejects a malformed node when it is added rather than when ONNX Runtime loads it.
 */
public enum OnnxOp {
    ADD("Add", 2, 2, Set.of()),
    SUB("Sub", 2, 2, Set.of()),
    MUL("Mul", 2, 2, Set.of()),
    DIV("Div", 2, 2, Set.of()),
    ERF("Erf", 1, 1, Set.of()),
    ABS("Abs", 1, 1, Set.of()),
    CAST("Cast", 1, 1, Set.of("to")),
    CONV("Conv", 2, 3, Set.of("kernel_shape")),
    TRANSPOSE("Transpose", 1, 1, Set.of("perm")),
    MATMUL("MatMul", 2, 2, Set.of()),
    LAYER_NORMALIZATION("LayerNormalization", 2, 3, Set.of("axis", "epsilon")),
    REDUCE_MEAN("ReduceMean", 1, 1, Set.of("axes", "keepdims")),
    REDUCE_L2("ReduceL2", 1, 1, Set.of("axes", "keepdims")),
    IDENTITY("Identity", 1, 1, Set.of()),
    SHAPE("Shape", 1, 1, Set.of()),
    SLICE("Slice", 3, 5, Set.of()),
    CONCAT("Concat", 1, Integer.MAX_VALUE, Set.of("axis")),
    RESHAPE("Reshape", 2, 2, Set.of()),
    PAD("Pad", 2, 3, Set.of()),
    /** Static INT8 (QDQ form): x to uint8 with a calibrated scale and zero point, and back. */
    QUANTIZE_LINEAR("QuantizeLinear", 2, 3, Set.of()),
    DEQUANTIZE_LINEAR("DequantizeLinear", 2, 3, Set.of()),
    /** Per-channel ranges that INT8 calibration reads. */
    REDUCE_MIN("ReduceMin", 1, 1, Set.of("axes", "keepdims")),
    REDUCE_MAX("ReduceMax", 1, 1, Set.of("axes", "keepdims"));

    /** The opset every graph is built for: LayerNormalization needs 17; Reduce* keep axes as attributes up to 17. */
    public static final int OPSET = 17;

    final String type;
    final int minInputs;
    final int maxInputs;
    final Set<String> requiredAttributes;

    OnnxOp(String type, int minInputs, int maxInputs, Set<String> requiredAttributes) {
        this.type = type;
        this.minInputs = minInputs;
        this.maxInputs = maxInputs;
        this.requiredAttributes = requiredAttributes;
    }

    public String type() {
        return type;
    }
}
