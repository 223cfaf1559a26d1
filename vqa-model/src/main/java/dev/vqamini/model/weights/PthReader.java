package dev.vqamini.model.weights;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads a PyTorch {@code .pth} checkpoint without PyTorch: the zip format of {@code torch.save} and the legacy
 * (pre-1.6, {@code _use_new_zipfile_serialization=False}) stream format, a bare state_dict or one wrapped in a
 * checkpoint dict ({@link CheckpointLayout}). The pickle inside is treated as data: {@link StateDictUnpickler}
 * accepts only tensors, storages and plain containers and refuses every other global by name, so a crafted file
 * can never run anything. Each storage is read once, however many tensors view it.
 */
public final class PthReader {

    /** The first pickle of a legacy file: torch.serialization's MAGIC_NUMBER. */
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int LEGACY_PROTOCOL = 1001;

    private PthReader() {
    }

    /** Reads every tensor of the state_dict in {@code file}, in file order, as float32. */
    public static StateDict read(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new WeightFileException(name + (Files.isDirectory(file) ? ": a directory, not a weights file"
                    : ": no such weights file"));
        }
        try {
            return isZip(file) ? readZip(file, name) : readLegacy(file, name);
        } catch (ZipException e) {
            throw new WeightFileException(name + ": not a readable PyTorch zip archive (truncated or corrupt): "
                    + e.getMessage(), e);
        } catch (EOFException e) {
            throw new WeightFileException(name + ": file ends early (truncated?)", e);
        } catch (IOException e) {
            throw new WeightFileException(name + ": cannot read weights: " + e.getMessage(), e);
        } catch (net.razorvine.pickle.PickleException e) {
            throw new WeightFileException(name + ": malformed pickle: " + e.getMessage(), e);
        } catch (WeightFileException e) {
            throw e;
        } catch (RuntimeException e) {
            // the pickle machine stumbling on bytes that are not a checkpoint: say what the file is, not where it broke
            throw new WeightFileException(name + ": malformed PyTorch checkpoint (" + e + "); the file is "
                    + FileSniff.describe(file), e);
        }
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        }
    }

    private static StateDict readZip(Path file, String name) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = findPickle(zip, file);
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null) {
                try (InputStream in = zip.getInputStream(byteOrder)) {
                    String order = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
                    if (!order.equals("little")) {
                        throw new WeightFileException(name + ": storages are " + order + "-endian; only little-endian is supported");
                    }
                }
            }
            Map<String, TorchStorage.Ref> storages = new HashMap<>();
            Object root;
            try (InputStream in = zip.getInputStream(pickle)) {
                root = new StateDictUnpickler(name + " (" + pickle.getName() + ")", storages, Files.size(file)).load(in);
            }
            Map<String, TorchStorage.TensorView> views = CheckpointLayout.stateDict(root, name);
            return materialise(views, name, ref -> readEntry(zip, prefix + "data/" + ref.key(), ref, name));
        }
    }

    /** Legacy stream: magic, protocol and sys-info pickles, the object pickle, the storage keys, then each storage. */
    private static StateDict readLegacy(Path file, String name) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            Map<String, TorchStorage.Ref> storages = new HashMap<>();
            long size = Files.size(file);
            Object magic;
            try {
                magic = unpickler(name, storages, size).load(in);
            } catch (IOException | RuntimeException e) {
                // a text file, a video, random bytes: anything whose first pickle is not torch's magic number
                throw new WeightFileException(FileSniff.notWeights(file), e);
            }
            if (!(magic instanceof Number m) || !new BigInteger(m.toString()).equals(LEGACY_MAGIC)) {
                throw new WeightFileException(FileSniff.notWeights(file) + " (no torch magic number)");
            }
            Object protocol = unpickler(name, storages, size).load(in);
            if (!(protocol instanceof Number p) || p.intValue() != LEGACY_PROTOCOL) {
                throw new WeightFileException(name + ": legacy torch.save protocol " + protocol + ", expected " + LEGACY_PROTOCOL);
            }
            if (unpickler(name, storages, size).load(in) instanceof Map<?, ?> sysInfo
                    && Boolean.FALSE.equals(sysInfo.get("little_endian"))) {
                throw new WeightFileException(name + ": written on a big-endian machine; only little-endian is supported");
            }
            Object root = unpickler(name, storages, size).load(in);
            Map<String, TorchStorage.TensorView> views = CheckpointLayout.stateDict(root, name);
            if (!(unpickler(name, storages, size).load(in) instanceof List<?> keys)) {
                throw new WeightFileException(name + ": legacy file has no storage key list after its pickle");
            }
            Map<String, ByteBuffer> bytes = new HashMap<>();
            Set<String> needed = new HashSet<>();
            views.values().forEach(v -> needed.add(v.storage().key()));
            for (Object k : keys) {
                TorchStorage.Ref ref = storages.get(String.valueOf(k));
                if (ref == null) {
                    throw new WeightFileException(name + ": storage key '" + k + "' is listed but never used");
                }
                long count = Long.reverseBytes(in.readLong());
                if (count != ref.numel()) {
                    throw new WeightFileException(name + ": storage '" + k + "' holds " + count + " elements, its tensors "
                            + "expect " + ref.numel());
                }
                if (needed.contains(ref.key())) {
                    byte[] data = new byte[Math.toIntExact(ref.byteSize())];
                    in.readFully(data);
                    bytes.put(ref.key(), ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
                } else {
                    in.skipNBytes(ref.byteSize());
                }
            }
            return materialise(views, name, ref -> {
                ByteBuffer b = bytes.remove(ref.key());
                if (b == null) {
                    throw new WeightFileException(name + ": storage '" + ref.key() + "' is missing from the file");
                }
                return b;
            });
        }
    }

    private static StateDictUnpickler unpickler(String name, Map<String, TorchStorage.Ref> storages, long size) {
        return new StateDictUnpickler(name, storages, size);
    }

    /** Reads each storage once and converts every tensor on it before moving to the next. */
    private static StateDict materialise(Map<String, TorchStorage.TensorView> views, String name,
                                         Function<TorchStorage.Ref, ByteBuffer> reader) {
        Map<String, List<String>> byStorage = new LinkedHashMap<>();
        views.forEach((key, v) -> byStorage.computeIfAbsent(v.storage().key(), s -> new ArrayList<>()).add(key));
        Map<String, Tensor> converted = new HashMap<>();
        for (List<String> keys : byStorage.values()) {
            TorchStorage.Ref ref = views.get(keys.get(0)).storage();
            ByteBuffer bytes = reader.apply(ref);
            if (bytes.remaining() < ref.byteSize()) {
                throw new WeightFileException(name + ": storage '" + ref.key() + "' holds " + bytes.remaining()
                        + " bytes, needs " + ref.byteSize() + " (truncated file?)");
            }
            for (String key : keys) {
                converted.put(key, views.get(key).read(bytes, name, key));
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        views.keySet().forEach(k -> tensors.put(k, converted.get(k)));
        return new StateDict(name, tensors);
    }

    private static ZipEntry findPickle(ZipFile zip, Path file) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        List<String> names = new ArrayList<>();
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            if (e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl")) {
                return e;
            }
            if (names.size() < 6) {
                names.add(e.getName());
            }
        }
        throw new WeightFileException(file + ": " + FileSniff.NOT_WEIGHTS + ": a zip archive without data.pkl"
                + (names.isEmpty() ? " (empty)" : " (holds " + String.join(", ", names) + (names.size() == 6 ? ", ..." : "")
                + ")") + (names.contains("manifest.json") ? "; a model bundle zip: name it .zip" : ""));
    }

    private static ByteBuffer readEntry(ZipFile zip, String entryName, TorchStorage.Ref ref, String name) {
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            throw new WeightFileException(name + ": tensor storage '" + entryName + "' is missing from the archive");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return ByteBuffer.wrap(in.readNBytes(Math.toIntExact(ref.byteSize()))).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new WeightFileException(name + ": cannot read tensor storage '" + entryName + "': " + e.getMessage(), e);
        }
    }
}
