package dev.vqamini.model.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * An unpickler for torch state_dicts that resolves globals from an allow-list only. Any other global
 * ({@code posix.system}, {@code builtins.eval}, even harmless ones) is refused by name before anything
 * is built, and nothing in a pickle is ever executed.
 */
final class StateDictUnpickler extends Unpickler {

    /** Pickle dtype names of torch storages, with their element size in bytes. */
    private static final Map<String, Integer> STORAGES = Map.of(
            "FloatStorage", 4, "DoubleStorage", 8, "HalfStorage", 2, "BFloat16Storage", 2,
            "LongStorage", 8, "IntStorage", 4, "ShortStorage", 2, "CharStorage", 1, "ByteStorage", 1,
            "BoolStorage", 1);

    private static final Set<String> REBUILD_TENSOR = Set.of("torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor");

    private final Function<String, ByteBuffer> storageReader;
    private final String source;

    StateDictUnpickler(Function<String, ByteBuffer> storageReader, String source) {
        this.storageReader = storageReader;
        this.source = source;
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        if (key == Opcodes.GLOBAL) {
            String module = PickleUtils.readline(input);
            String name = PickleUtils.readline(input);
            stack.add(resolve(module, name));
            return NO_RETURN_VALUE;
        }
        if (key == Opcodes.STACK_GLOBAL) {
            String name = (String) stack.pop();
            String module = (String) stack.pop();
            stack.add(resolve(module, name));
            return NO_RETURN_VALUE;
        }
        if (key == Opcodes.INST || key == Opcodes.OBJ) {
            throw new WeightFileException(source + ": refusing pickle opcode " + (char) key
                    + " (class instantiation): a state_dict never needs it");
        }
        return super.dispatch(key);
    }

    @Override
    protected Object persistentLoad(Object pid) {
        // ('storage', StorageType, key, location, numel)
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)) {
            throw new WeightFileException(source + ": unsupported persistent id " + describe(pid));
        }
        String storageKey = String.valueOf(t[2]);
        long numel = ((Number) t[4]).longValue();
        ByteBuffer bytes = storageReader.apply(storageKey);
        if (bytes.remaining() < numel * type.elementSize) {
            throw new WeightFileException(source + ": storage '" + storageKey + "' holds " + bytes.remaining()
                    + " bytes, needs " + numel * type.elementSize + " (truncated file?)");
        }
        return new TorchStorage(type, bytes, numel);
    }

    private Object resolve(String module, String name) {
        String qualified = module + "." + name;
        if (REBUILD_TENSOR.contains(qualified)) {
            return (IObjectConstructor) args -> TorchStorage.rebuildTensor(args, source);
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
        return o instanceof Object[] a ? java.util.Arrays.deepToString(a) : String.valueOf(o);
    }

    /** A torch storage type named in a pickle, e.g. {@code torch.FloatStorage}. */
    record StorageType(String name, int elementSize) {
    }

    /**
     * The dict torch pickles for {@code collections.OrderedDict}: keeps insertion order and accepts the
     * {@code _metadata} state that state_dicts carry (ignored: it holds module versions only).
     */
    static final class OrderedDictValue extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<?, ?> state) {
            // state_dict._metadata: per-module version numbers, not needed for inference.
        }
    }
}
