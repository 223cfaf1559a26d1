package dev.vqamini.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * An unpickler for torch state_dicts that resolves globals from an allow-list only. Any other global
 * ({@code posix.system}, {@code builtins.eval}, even harmless ones) is refused by name before anything
 * is built, and nothing in a pickle is ever executed. Tensors come out as {@link TorchStorage.TensorView}s
 * over {@link TorchStorage.Ref}s: their bytes are read afterwards, once per storage (the legacy format
 * stores them after the pickle, and many tensors may share one storage).
 */
final class StateDictUnpickler extends Unpickler {

    /** Pickle dtype names of torch storages, with their element size in bytes. */
    private static final Map<String, Integer> STORAGES = Map.of(
            "FloatStorage", 4, "DoubleStorage", 8, "HalfStorage", 2, "BFloat16Storage", 2,
            "LongStorage", 8, "IntStorage", 4, "ShortStorage", 2, "CharStorage", 1, "ByteStorage", 1,
            "BoolStorage", 1);

    private static final Set<String> REBUILD_TENSOR = Set.of("torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor");

    private final String source;
    private final Map<String, TorchStorage.Ref> storages;
    /** The most bytes a string or bytes object of this pickle can hold: the file's size. */
    private final long maxLength;

    /**
     * @param storages where the storages named by this pickle's persistent ids are collected, by key (shared
     *                 between the pickles of one legacy file)
     */
    StateDictUnpickler(String source, Map<String, TorchStorage.Ref> storages, long maxLength) {
        this.source = source;
        this.storages = storages;
        this.maxLength = Math.min(maxLength, Integer.MAX_VALUE - 8);
    }

    /**
     * Unpickles one object. What the allow-list refuses is a {@link WeightFileException}; so is a pickle that the
     * underlying unpickler cannot make sense of (its opcodes popping what is not there, or the wrong type), whatever
     * runtime exception it fails with.
     */
    @Override
    public Object load(InputStream in) throws IOException {
        try {
            return super.load(in);
        } catch (WeightFileException | net.razorvine.pickle.PickleException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new WeightFileException(source + ": malformed pickle (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            // length-prefixed strings and bytes: refuse a declared length the file cannot hold before allocating it
            case Opcodes.BINUNICODE -> {
                stack.add(new String(readCounted(key, 4), StandardCharsets.UTF_8));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINUNICODE8 -> {
                stack.add(new String(readCounted(key, 8), StandardCharsets.UTF_8));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINSTRING -> {
                stack.add(new String(readCounted(key, 4), StandardCharsets.ISO_8859_1));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINBYTES -> {
                stack.add(readCounted(key, 4));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> {
                stack.add(readCounted(key, 8));
                return NO_RETURN_VALUE;
            }
            case Opcodes.LONG4 -> {
                byte[] le = readCounted(key, 4);
                byte[] be = new byte[le.length];
                for (int i = 0; i < le.length; i++) {
                    be[i] = le[le.length - 1 - i];
                }
                stack.add(be.length == 0 ? BigInteger.ZERO : new BigInteger(be));
                return NO_RETURN_VALUE;
            }
            default -> {
                // handled below
            }
        }
        if (key == Opcodes.GLOBAL) {
            String module = PickleUtils.readline(input);
            String name = PickleUtils.readline(input);
            stack.add(resolve(module, name));
            return NO_RETURN_VALUE;
        }
        if (key == Opcodes.STACK_GLOBAL) {
            Object name = stack.pop();
            Object module = stack.pop();
            if (!(module instanceof String m) || !(name instanceof String n)) {
                throw new WeightFileException(source + ": malformed pickle: STACK_GLOBAL of " + describeType(module)
                        + " and " + describeType(name) + ", expected two strings");
            }
            stack.add(resolve(m, n));
            return NO_RETURN_VALUE;
        }
        if (key == Opcodes.INST || key == Opcodes.OBJ) {
            throw new WeightFileException(source + ": refusing pickle opcode " + (char) key
                    + " (class instantiation): a state_dict never needs it");
        }
        if (key == Opcodes.BUILD) {
            // model.state_dict() is an OrderedDict with a _metadata attribute (per-module versions): torch pickles
            // it as the dict's state. That state is the only BUILD a weights file needs; it is dropped.
            Object state = stack.pop();
            Object target = stack.peek();
            if (!(target instanceof OrderedDictValue)) {
                throw new WeightFileException(source + ": refusing pickle BUILD (set state) on " + describeType(target)
                        + ": only the _metadata of an OrderedDict state_dict is accepted");
            }
            if (state != null && !(state instanceof Map<?, ?>)) {
                throw new WeightFileException(source + ": refusing pickle BUILD on an OrderedDict with state of type "
                        + describeType(state) + ": expected the state_dict's _metadata dict");
            }
            return NO_RETURN_VALUE;
        }
        return super.dispatch(key);
    }

    @Override
    protected Object persistentLoad(Object pid) {
        // zip: ('storage', StorageType, key, location, numel); legacy: the same plus view metadata (None)
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)
                || !(t[4] instanceof Number numel)) {
            throw new WeightFileException(source + ": unsupported persistent id " + describe(pid));
        }
        if (t.length > 5 && t[5] != null) {
            throw new WeightFileException(source + ": storage '" + t[2] + "' is a legacy storage view " + describe(t[5])
                    + " (written by PyTorch before 1.0): load and re-save it with a current torch.save");
        }
        String key = String.valueOf(t[2]);
        long n = numel.longValue();
        if (!(numel instanceof Long || numel instanceof Integer) || n < 0 || n > Integer.MAX_VALUE / type.elementSize()) {
            throw new WeightFileException(source + ": storage '" + key + "' declares " + numel + " elements of "
                    + type.elementSize() + " bytes: negative, fractional or over 2 GiB");
        }
        TorchStorage.Ref ref = new TorchStorage.Ref(key, type, n);
        TorchStorage.Ref known = storages.putIfAbsent(key, ref);
        if (known != null && !known.type().equals(type)) {
            throw new WeightFileException(source + ": storage '" + key + "' is named as both " + known.type().name()
                    + " and " + type.name());
        }
        return known != null ? known : ref;
    }

    /** The payload of a length-prefixed opcode, its little-endian length ({@code width} bytes) checked first. */
    private byte[] readCounted(short opcode, int width) throws IOException {
        byte[] count = PickleUtils.readbytes(input, width);
        long length = 0;
        for (int i = width - 1; i >= 0; i--) {
            length = length << 8 | (count[i] & 0xff);
        }
        if (length < 0 || length > maxLength) {
            throw new WeightFileException(source + ": pickle opcode 0x" + Integer.toHexString(opcode & 0xff)
                    + " declares " + Long.toUnsignedString(length) + " bytes, more than the file's " + maxLength);
        }
        return PickleUtils.readbytes(input, (int) length);
    }

    private Object resolve(String module, String name) {
        String qualified = module + "." + name;
        if (REBUILD_TENSOR.contains(qualified)) {
            return (IObjectConstructor) args -> TorchStorage.TensorView.of(args, source);
        }
        if (qualified.equals("torch._utils._rebuild_parameter")) {
            return (IObjectConstructor) args -> args[0];
        }
        if (qualified.equals("collections.OrderedDict")) {
            return (IObjectConstructor) args -> new OrderedDictValue();
        }
        if (module.equals("torch") && STORAGES.containsKey(name)) {
            return new StorageType(name, STORAGES.get(name));
        }
        throw new WeightFileException(source + ": refusing to load global '" + qualified
                + "': a weights file may hold only tensors, storages and plain containers");
    }

    private static String describe(Object o) {
        return o instanceof Object[] a ? Arrays.deepToString(a) : String.valueOf(o);
    }

    static String describeType(Object o) {
        return o == null ? "None" : o instanceof OrderedDictValue ? "OrderedDict" : o.getClass().getSimpleName();
    }

    /** A torch storage type named in a pickle, e.g. {@code torch.FloatStorage}. */
    record StorageType(String name, int elementSize) {
    }

    /** What torch pickles as {@code collections.OrderedDict}: a dict that keeps insertion order. */
    static final class OrderedDictValue extends LinkedHashMap<Object, Object> {
    }
}
