package dev.vqamini.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A float32 array in NumPy's {@code .npy} format (version 1/2 header, C order, little-endian {@code <f4};
 * {@code <f8} is narrowed on read). The format is a short text header plus raw data, documented in
 * numpy/lib/format.py; no maintained Java library covers it with fewer moving parts than this.
 */
public record NpyArray(long[] shape, float[] data) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public static NpyArray read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IOException(file + ": not a .npy file (bad magic)");
        }
        int major = bytes[6];
        if (major < 1 || major > 3) {
            throw new IOException(file + ": .npy format version " + major + " not supported (1, 2 or 3)");
        }
        if (major > 1 && bytes.length < 12) {
            throw new IOException(file + ": .npy version " + major + " file of " + bytes.length
                    + " bytes ends inside its header length");
        }
        long headerLen = major == 1 ? buf.getShort(8) & 0xffff : buf.getInt(8) & 0xffffffffL;
        int start = major == 1 ? 10 : 12;
        if (start + headerLen > bytes.length) {
            throw new IOException(file + ": .npy header of " + headerLen + " bytes exceeds the file's " + bytes.length
                    + " bytes (truncated?)");
        }
        String header = new String(bytes, start, (int) headerLen, StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, file);
        if (find(ORDER, header, file).equals("True")) {
            throw new IOException(file + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
        }
        long[] shape = parseShape(find(SHAPE, header, file), file.toString());
        long count = numel(shape, file.toString());
        int width = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new IOException(file + ": dtype " + descr + " not supported (need float32 '<f4' or '<f8')");
        };
        int dataStart = (int) (start + headerLen);
        if ((bytes.length - dataStart) / width < count) {
            throw new IOException(file + ": shape " + Arrays.toString(shape) + " needs " + count + " values of " + width
                    + " bytes, file has " + (bytes.length - dataStart) + " bytes of data");
        }
        int n = (int) count;
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = width == 4 ? buf.getFloat(dataStart + 4 * i) : (float) buf.getDouble(dataStart + 8 * i);
        }
        return new NpyArray(shape, data);
    }

    public void write(Path file) throws IOException {
        byte[] header = header("<f4", shape);
        ByteBuffer buf = ByteBuffer.allocate(header.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(header);
        buf.asFloatBuffer().put(data);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(buf.array());
        }
    }

    /** Magic, version 1.0 and the header dict, padded so the data starts 64-byte aligned. */
    static byte[] header(String descr, long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length())
                .put(header.getBytes(StandardCharsets.ISO_8859_1));
        return buf.array();
    }

    /**
     * The dimensions of a header's {@code 'shape': (...)} tuple.
     *
     * @throws IOException naming the file when a dimension is not a non-negative integer
     */
    static long[] parseShape(String tuple, String name) throws IOException {
        String[] dims = tuple.split(",");
        long[] shape = new long[dims.length];
        int rank = 0;
        for (String dim : dims) {
            String d = dim.strip();
            if (d.isEmpty()) {
                continue;
            }
            try {
                shape[rank] = Long.parseLong(d);
            } catch (NumberFormatException e) {
                throw new IOException(name + ": .npy shape (" + tuple + ") has a dimension '" + d + "' that is not an integer");
            }
            if (shape[rank++] < 0) {
                throw new IOException(name + ": .npy shape (" + tuple + ") has a negative dimension " + d);
            }
        }
        return Arrays.copyOf(shape, rank);
    }

    /**
     * Elements of an array of {@code shape}.
     *
     * @throws IOException naming the file when there are more than a Java array holds
     */
    static long numel(long[] shape, String name) throws IOException {
        if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
            return 0;
        }
        long n = 1;
        for (long d : shape) {
            if (n > Integer.MAX_VALUE / d) {
                throw new IOException(name + ": .npy shape " + Arrays.toString(shape) + " has more elements than "
                        + Integer.MAX_VALUE);
            }
            n *= d;
        }
        return n;
    }

    private static String find(Pattern p, String header, Path file) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": .npy header lacks " + p.pattern() + ": " + header.trim());
        }
        return m.group(1);
    }
}
