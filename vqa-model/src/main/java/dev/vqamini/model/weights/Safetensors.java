package dev.vqamini.model.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.NoSuchFileException;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, JSON header, raw data):
 * a weights file that, unlike a pickle, cannot carry code. Writes F32; reads F32, F16, BF16 and F64.
 */
public final class Safetensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    public static void write(StateDict weights, Map<String, String> metadata, Path file) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            header.putPOJO("__metadata__", metadata);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : weights.tensors().entrySet()) {
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long end = offset + 4L * e.getValue().numel();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // keeps the data 8-byte aligned, as the format recommends
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(json);
            out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
            for (Tensor t : weights.tensors().values()) {
                ByteBuffer buf = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.data());
                out.write(buf.array());
            }
        }
    }

    public static StateDict read(Path file) {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new WeightFileException(FileSniff.notWeights(file));
            }
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = all.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new WeightFileException(name + ": header length " + headerLen + " does not fit a file of " + size
                        + " bytes: not safetensors, or truncated; the file is " + FileSniff.describe(file));
            }
            byte[] json = new byte[(int) headerLen];
            all.get(8, json);
            JsonNode header = JSON.readTree(json);
            long dataStart = 8 + headerLen;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("__metadata__")) {
                    tensors.put(e.getKey(), readTensor(name, e.getKey(), e.getValue(), all, dataStart, size));
                }
            }
            return new StateDict(name, tensors);
        } catch (NoSuchFileException e) {
            throw new WeightFileException(name + ": no such weights file", e);
        } catch (IOException e) {
            throw new WeightFileException(name + ": cannot read safetensors: " + e.getMessage(), e);
        }
    }

    private static Tensor readTensor(String file, String key, JsonNode spec, ByteBuffer all, long dataStart, long size) {
        String dtype = spec.path("dtype").asText();
        JsonNode dims = spec.path("shape");
        if (!dims.isArray()) {
            throw new WeightFileException(file + ": key '" + key + "' has no shape array: " + spec);
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!dims.get(i).canConvertToLong() || !dims.get(i).isIntegralNumber() || dims.get(i).asLong() < 0) {
                throw new WeightFileException(file + ": key '" + key + "' has shape " + dims
                        + ": dimensions must be non-negative integers");
            }
            shape[i] = dims.get(i).asLong();
        }
        long begin = dataStart + spec.path("data_offsets").path(0).asLong(-1);
        long end = dataStart + spec.path("data_offsets").path(1).asLong(-1);
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64" -> 8;
            default -> throw new WeightFileException(file + ": key '" + key + "' has unsupported dtype " + dtype);
        };
        long n;
        try {
            n = Math.multiplyExact(Tensor.numel(shape), width) / width;
        } catch (ArithmeticException e) {
            throw new WeightFileException(file + ": key '" + key + "' has shape " + Arrays.toString(shape)
                    + ": more values than a file of " + size + " bytes holds");
        }
        if (begin < dataStart || end > size || end - begin != n * width || n > Integer.MAX_VALUE) {
            throw new WeightFileException(file + ": key '" + key + "' data range [" + begin + ", " + end
                    + ") does not hold " + n + " " + dtype + " values in a file of " + size + " bytes (truncated?)");
        }
        float[] data = new float[Math.toIntExact(n)];
        for (int i = 0; i < data.length; i++) {
            int at = Math.toIntExact(begin + (long) i * width);
            data[i] = switch (dtype) {
                case "F32" -> all.getFloat(at);
                case "F64" -> (float) all.getDouble(at);
                case "F16" -> TorchStorage.halfToFloat(all.getShort(at));
                default -> Float.intBitsToFloat((all.getShort(at) & 0xffff) << 16);
            };
        }
        return new Tensor(shape, data);
    }
}
