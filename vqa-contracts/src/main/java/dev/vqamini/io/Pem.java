package dev.vqamini.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** PEM blocks (RFC 7468) for key files, and writing secrets readable by their owner only. */
public final class Pem {

    private Pem() {
    }

    /** {@code -----BEGIN type-----}, the DER in base64 lines of 64, {@code -----END type-----}. */
    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /**
     * The DER of the file's {@code type} block.
     *
     * @throws IOException naming the file when it has no such block or its base64 is broken
     */
    public static byte[] decode(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf("-----END " + type + "-----");
        if (from < 0 || to < from) {
            throw new IOException(file + ": no '" + type + "' PEM block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad base64 in the '" + type + "' block", e);
        }
    }

    /** Writes {@code content} to a new file only its owner may read (replacing an existing one). */
    public static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not POSIX (Windows): the folder's ACL applies
        }
        Files.writeString(file, content);
    }
}
