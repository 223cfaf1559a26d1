package dev.vqamini.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Says in words what a file that is not a weights file actually is, from its first bytes: empty, text (with its
 * first line), a video, an image, an archive, or binary data (with its first bytes). Used only for error messages.
 */
public final class FileSniff {

    /** What an unusable weights file is told to be. */
    public static final String NOT_WEIGHTS = "not a PyTorch checkpoint (.pth zip or legacy pickle) nor safetensors";

    private static final int HEAD = 512;

    private FileSniff() {
    }

    /** {@code FILE: not a PyTorch checkpoint (...) nor safetensors: <what it is>}. */
    public static String notWeights(Path file) {
        return file + ": " + NOT_WEIGHTS + ": " + describe(file);
    }

    /** What {@code path} looks like, e.g. "text starting 'hello'", "an MP4/QuickTime video", "an empty file". */
    public static String describe(Path path) {
        if (Files.isDirectory(path)) {
            return describeDirectory(path);
        }
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(HEAD);
            size = Files.size(path);
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
        if (size == 0) {
            return "the file is empty (0 bytes)";
        }
        String kind = magic(head);
        if (kind != null) {
            return kind + " of " + bytes(size);
        }
        String text = text(head);
        if (text != null) {
            return "text (" + bytes(size) + ") starting '" + text + "'";
        }
        return "binary data of " + bytes(size) + " starting "
                + HexFormat.ofDelimiter(" ").formatHex(head, 0, Math.min(8, head.length));
    }

    private static String describeDirectory(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().limit(6).toList();
            return names.isEmpty() ? "an empty directory"
                    : "a directory holding " + String.join(", ", names) + (names.size() == 6 ? ", ..." : "");
        } catch (IOException e) {
            return "a directory that cannot be listed (" + e.getMessage() + ")";
        }
    }

    private static String magic(byte[] h) {
        if (starts(h, 0, 'P', 'K', 3, 4)) {
            return "a zip archive";
        }
        if (h.length >= 12 && starts(h, 4, 'f', 't', 'y', 'p')) {
            return "an MP4/QuickTime video (ftyp '" + new String(h, 8, 4, StandardCharsets.ISO_8859_1).strip() + "')";
        }
        if (starts(h, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return "a Matroska/WebM video";
        }
        if (starts(h, 0, 'R', 'I', 'F', 'F') && h.length >= 12) {
            return "a RIFF file (" + new String(h, 8, 4, StandardCharsets.ISO_8859_1).strip() + ")";
        }
        if (starts(h, 0, 0x89, 'P', 'N', 'G')) {
            return "a PNG image";
        }
        if (starts(h, 0, 0xFF, 0xD8, 0xFF)) {
            return "a JPEG image";
        }
        if (starts(h, 0, 'G', 'I', 'F', '8')) {
            return "a GIF image";
        }
        if (starts(h, 0, '%', 'P', 'D', 'F')) {
            return "a PDF document";
        }
        if (starts(h, 0, 0x1F, 0x8B)) {
            return "gzip-compressed data (a .tar.gz or .gz? unpack it first)";
        }
        if (starts(h, 0, 0x93, 'N', 'U', 'M', 'P', 'Y')) {
            return "a NumPy .npy array";
        }
        if (starts(h, 0, 0x89, 'H', 'D', 'F')) {
            return "an HDF5 file (a Keras/TensorFlow .h5?)";
        }
        if (h.length > 257 + 5 && starts(h, 257, 'u', 's', 't', 'a', 'r')) {
            return "a tar archive (unpack it first)";
        }
        if (starts(h, 0, 0x80) && h.length > 1 && h[1] >= 2 && h[1] <= 5) {
            return "a Python pickle (protocol " + h[1] + ") that is not a torch.save checkpoint";
        }
        return null;
    }

    /** The first line of {@code head} when it decodes as printable UTF-8, shortened; otherwise null. */
    private static String text(byte[] head) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = CharBuffer.allocate(head.length);
        // the last character may be cut by the 512-byte window: decode without insisting on the end
        var result = decoder.decode(ByteBuffer.wrap(head), chars, false);
        if (result.isError()) {
            return null;
        }
        String s = chars.flip().toString();
        if (s.isEmpty() || s.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            return null;
        }
        String line = s.strip().lines().findFirst().orElse("").strip();
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }

    private static boolean starts(byte[] h, int at, int... expected) {
        if (h.length < at + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((h[at + i] & 0xFF) != (expected[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static String bytes(long n) {
        return n < 10_000 ? n + " bytes" : n < 10_000_000 ? (n / 1000) + " kB" : (n / 1_000_000) + " MB";
    }
}
