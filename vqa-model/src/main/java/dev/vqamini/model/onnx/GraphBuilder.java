package dev.vqamini.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Owns one ONNX graph while it is built: unique value names, initializers, nodes checked against the
 * {@link OnnxOp} catalogue, inputs and outputs with symbolic dimensions, and model metadata (provenance).
 */
public final class GraphBuilder {

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, Integer> nameCounts = new HashMap<>();

    public GraphBuilder(String name) {
        graph.setName(name);
    }

    /** A fresh value name starting with {@code base}. */
    public String uniqueName(String base) {
        int n = nameCounts.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + n;
    }

    /** Declares a graph input; dims are Integer (fixed) or String (symbolic). */
    public String input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        nameCounts.merge(name, 1, Integer::sum);
        return name;
    }

    /** Declares {@code value} as a graph output named {@code name}. */
    public void output(String value, String name, TensorProto.DataType type, Object... dims) {
        String out = value;
        if (!value.equals(name)) {
            out = node(OnnxOp.IDENTITY, List.of(value), Map.of(), name);
        }
        graph.addOutput(valueInfo(out, type, dims));
    }

    /** A float32 initializer (raw little-endian data). */
    public String floats(String name, long[] shape, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        String unique = uniqueName(name);
        TensorProto.Builder t = TensorProto.newBuilder().setName(unique)
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return unique;
    }

    /** An int8 initializer (quantised weights). */
    public String int8s(String name, long[] shape, byte[] values) {
        return bytes(name, TensorProto.DataType.INT8, shape, values);
    }

    /** A uint8 initializer (activation zero points). */
    public String uint8s(String name, long[] shape, byte[] values) {
        return bytes(name, TensorProto.DataType.UINT8, shape, values);
    }

    private String bytes(String name, TensorProto.DataType type, long[] shape, byte[] values) {
        String unique = uniqueName(name);
        TensorProto.Builder t = TensorProto.newBuilder().setName(unique)
                .setDataType(type.getNumber()).setRawData(ByteString.copyFrom(values));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return unique;
    }

    /** An int64 initializer (shapes, slice bounds, pads). */
    public String longs(String name, long... values) {
        String unique = uniqueName(name);
        TensorProto.Builder t = TensorProto.newBuilder().setName(unique).setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return unique;
    }

    public String scalar(String name, float value) {
        return floats(name, new long[0], new float[] {value});
    }

    /** Adds a node with one output and returns the output's name. */
    public String node(OnnxOp op, List<String> inputs, Map<String, Object> attributes) {
        return node(op, inputs, attributes, uniqueName(op.type().toLowerCase()));
    }

    private String node(OnnxOp op, List<String> inputs, Map<String, Object> attributes, String... outputs) {
        String output = outputs[0];
        if (inputs.size() < op.minInputs || inputs.size() > op.maxInputs) {
            throw new IllegalArgumentException(op.type + " takes " + op.minInputs + ".." + op.maxInputs + " inputs, got "
                    + inputs.size() + " " + inputs);
        }
        for (String required : op.requiredAttributes) {
            if (!attributes.containsKey(required)) {
                throw new IllegalArgumentException(op.type + " needs attribute '" + required + "', got " + attributes.keySet());
            }
        }
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op.type).setName(uniqueName("n_" + op.type))
                .addAllInput(inputs).addAllOutput(List.of(outputs));
        new TreeMap<>(attributes).forEach((k, v) -> n.addAttribute(attribute(k, v))); // sorted: the same graph gives the same bytes in every JVM
        graph.addNode(n);
        return output;
    }

    /** Finishes the model: opset 17, IR version 8 (accepted by ONNX Runtime 1.14+), metadata as properties. */
    public ModelProto build(Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName("vqa-mini")
                .setProducerVersion("0.1.0").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxOp.OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape);
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    private static AttributeProto attribute(String name, Object value) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (value instanceof Integer || value instanceof Long) {
            a.setType(AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
        } else if (value instanceof Float || value instanceof Double) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) value).floatValue());
        } else if (value instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (value instanceof long[] ints) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long i : ints) {
                a.addInts(i);
            }
        } else {
            throw new IllegalArgumentException("unsupported attribute " + name + " = " + value);
        }
        return a.build();
    }
}
