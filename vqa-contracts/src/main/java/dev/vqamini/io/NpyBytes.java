package dev.vqamini.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A uint8 ({@code |u1}) array in NumPy's {@code .npy} format, C order: how views (pixels) are written and read. */
public record NpyBytes(long[] shape, byte[] data) {

    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public NpyBytes {
        // a zero dimension makes the array empty whatever the others say (and keeps their product from overflowing)
        long elements = Arrays.stream(shape).anyMatch(d -> d == 0) ? 0 : Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (elements != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " bytes");
        }
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(NpyArray.header("|u1", shape));
            out.write(data);
        }
    }

    /** Reads a {@code |u1} (or {@code <u1}) array; {@code name} is used in error messages. */
    public static NpyBytes read(InputStream in, String name) throws IOException {
        byte[] head = in.readNBytes(10);
        if (head.length < 10 || head[0] != (byte) 0x93 || head[1] != 'N' || head[6] != 1) {
            throw new IOException(name + ": not a version 1 .npy file");
        }
        int headerLen = ByteBuffer.wrap(head, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        String header = new String(in.readNBytes(headerLen), StandardCharsets.ISO_8859_1);
        if (!header.contains("'|u1'") && !header.contains("'<u1'") || header.contains("'fortran_order': True")) {
            throw new IOException(name + ": expected a C-order uint8 array, header " + header.strip());
        }
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new IOException(name + ": .npy header has no shape: " + header.strip());
        }
        long[] shape = NpyArray.parseShape(m.group(1), name);
        int n = (int) NpyArray.numel(shape, name);
        byte[] data = in.readNBytes(n);
        if (data.length != n) {
            throw new IOException(name + ": truncated .npy data: " + data.length + " of " + n + " bytes");
        }
        return new NpyBytes(shape, data);
    }
}
