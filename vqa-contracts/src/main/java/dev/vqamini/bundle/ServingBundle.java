package dev.vqamini.bundle;

import dev.vqamini.clips.View;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * What a scorer needs of a model version, and all that vqa.models carries: the manifest and the two ONNX graphs,
 * zipped in memory. The weights, which only further pruning reads, stay in the full bundle, so a version on the wire
 * is about half the size and a scorer loads it without parsing weights. Reading checks each file against the
 * manifest's sha256; a signed bundle carries {@link ManifestSignature#FILE} beside the manifest.
 *
 * @param manifestJson the manifest as signed
 * @param signature    the base64 Ed25519 signature of {@code manifestJson}, or null when unsigned
 * @param graphs       ONNX bytes per view
 */
public record ServingBundle(ModelManifest manifest, byte[] manifestJson, String signature, Map<View, byte[]> graphs) {

    public static final String MANIFEST = "manifest.json";
    /** Largest entry accepted when reading: a graph of the full model is about 19 MB. */
    private static final long MAX_ENTRY_BYTES = 512L * 1024 * 1024;

    /** File name of a view's graph inside a bundle. */
    public static String onnxFile(View view) {
        return view.key() + ".onnx";
    }

    /** The serving archive of a bundle directory (manifest, signature if any, graphs; weights left out). */
    public static byte[] archive(Path bundleDir) throws IOException {
        Path signature = bundleDir.resolve(ManifestSignature.FILE);
        Map<View, byte[]> graphs = new EnumMap<>(View.class);
        for (View view : View.values()) {
            graphs.put(view, Files.readAllBytes(bundleDir.resolve(onnxFile(view))));
        }
        return archive(Files.readAllBytes(bundleDir.resolve(MANIFEST)),
                Files.isRegularFile(signature) ? Files.readString(signature, StandardCharsets.US_ASCII) : null, graphs);
    }

    /** Reads the serving part of a bundle directory, checked as {@link #read(byte[])} checks an archive. */
    public static ServingBundle read(Path bundleDir) throws IOException {
        return read(archive(bundleDir));
    }

    /** This bundle zipped as vqa.models carries it, straight from memory. */
    public byte[] archive() {
        try {
            return archive(manifestJson, signature, graphs);
        } catch (IOException e) {
            throw new UncheckedIOException("zipping in memory", e);
        }
    }

    /** This bundle with its manifest signed by {@code key} (Ed25519). */
    public ServingBundle signed(PrivateKey key) {
        return new ServingBundle(manifest, manifestJson, ManifestSignature.sign(manifestJson, key), graphs);
    }

    private static byte[] archive(byte[] manifestJson, String signature, Map<View, byte[]> graphs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, MANIFEST, manifestJson);
            if (signature != null) {
                put(zip, ManifestSignature.FILE, (signature.strip() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            for (View view : View.values()) {
                put(zip, onnxFile(view), graphs.get(view));
            }
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * Reads a serving archive (or a full bundle archive, whose weights are then ignored).
     *
     * @throws IllegalArgumentException naming the file and what is wrong: not a zip, no manifest, a graph missing or
     *                                  with another sha256 than the manifest's
     */
    public static ServingBundle read(byte[] archive) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName();
                if (e.isDirectory() || name.contains("/") || name.contains("\\")) {
                    throw new IllegalArgumentException("unexpected archive entry '" + name + "'");
                }
                if (name.equals(MANIFEST) || name.equals(ManifestSignature.FILE) || name.endsWith(".onnx")) {
                    byte[] data = zip.readNBytes((int) Math.min(MAX_ENTRY_BYTES, Integer.MAX_VALUE - 8));
                    if (zip.read() != -1) {
                        throw new IllegalArgumentException(name + " is larger than " + MAX_ENTRY_BYTES + " bytes");
                    }
                    entries.put(name, data);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable bundle archive: " + e.getMessage(), e);
        }
        byte[] manifestJson = entries.get(MANIFEST);
        if (manifestJson == null) {
            throw new IllegalArgumentException("not a model bundle archive (no " + MANIFEST + ")");
        }
        ModelManifest manifest = ModelManifest.parse(manifestJson);
        if (manifest.files() == null) {
            throw new IllegalArgumentException("bundle " + manifest.version() + ": " + MANIFEST + " lists no files");
        }
        Map<View, byte[]> graphs = new EnumMap<>(View.class);
        for (View view : View.values()) {
            String file = onnxFile(view);
            byte[] graph = entries.get(file);
            String expected = manifest.files().get(file);
            if (graph == null || expected == null) {
                throw new IllegalArgumentException("bundle " + manifest.version() + ": " + file + " is missing");
            }
            String actual = Digests.sha256(graph);
            if (!actual.equals(expected)) {
                throw new IllegalArgumentException("bundle " + manifest.version() + ": " + file + " has sha256 " + actual
                        + " but the manifest says " + expected + " (corrupt or tampered)");
            }
            graphs.put(view, graph);
        }
        byte[] signature = entries.get(ManifestSignature.FILE);
        return new ServingBundle(manifest, manifestJson,
                signature == null ? null : new String(signature, StandardCharsets.US_ASCII), graphs);
    }
}
