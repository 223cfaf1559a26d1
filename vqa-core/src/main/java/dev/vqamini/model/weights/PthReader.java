package dev.vqamini.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch {@code .pth} state_dict saved by {@code torch.save} (zip format) without PyTorch.
 * The pickle inside is treated as data: {@link StateDictUnpickler} accepts only tensors, storages and
 * plain containers and refuses every other global by name, so a crafted file can never run anything.
 */
public final class PthReader {

    private PthReader() {
    }

    /** Reads every tensor of the state_dict in {@code file}, in file order, as float32. */
    public static StateDict read(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new WeightFileException(name + ": no such weights file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = findPickle(zip, name);
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            StateDictUnpickler unpickler = new StateDictUnpickler(key -> readStorage(zip, prefix + "data/" + key, name),
                    name + " (" + pickle.getName() + ")");
            Object root;
            try (InputStream in = zip.getInputStream(pickle)) {
                root = unpickler.load(in);
            }
            return toStateDict(root, name);
        } catch (ZipException e) {
            throw new WeightFileException(name + ": not a PyTorch zip archive (truncated, corrupt, or saved with the "
                    + "legacy non-zip format): " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new WeightFileException(name + ": no such weights file", e);
        } catch (IOException e) {
            throw new WeightFileException(name + ": cannot read weights: " + e.getMessage(), e);
        } catch (net.razorvine.pickle.PickleException e) {
            throw new WeightFileException(name + ": malformed pickle: " + e.getMessage(), e);
        }
    }

    private static ZipEntry findPickle(ZipFile zip, String name) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            if (e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl")) {
                return e;
            }
        }
        throw new WeightFileException(name + ": zip archive has no data.pkl: not a torch.save file");
    }

    private static ByteBuffer readStorage(ZipFile zip, String entryName, String name) {
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            throw new WeightFileException(name + ": tensor storage '" + entryName + "' is missing from the archive");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new WeightFileException(name + ": cannot read tensor storage '" + entryName + "': " + e.getMessage(), e);
        }
    }

    private static StateDict toStateDict(Object root, String name) {
        Map<?, ?> map = root instanceof Map<?, ?> m ? m : null;
        if (map != null && !map.isEmpty() && !map.values().stream().allMatch(v -> v instanceof Tensor)) {
            // Checkpoints often wrap the weights: {"state_dict": {...}} or {"model": {...}}.
            for (String wrapper : new String[] {"state_dict", "model"}) {
                if (map.get(wrapper) instanceof Map<?, ?> inner) {
                    map = inner;
                    break;
                }
            }
        }
        if (map == null) {
            throw new WeightFileException(name + ": top-level object is " + describe(root) + ", expected a state_dict");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof Tensor t)) {
                throw new WeightFileException(name + ": entry '" + e.getKey() + "' is " + describe(e.getValue())
                        + ", expected a tensor");
            }
            tensors.put(key, t);
        }
        return new StateDict(name, tensors);
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
