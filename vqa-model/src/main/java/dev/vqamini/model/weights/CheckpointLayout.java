package dev.vqamini.model.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the state_dict in an unpickled checkpoint. It is either the top-level object or a dict of tensors inside a
 * training checkpoint ({@code {"state_dict": sd, "epoch": 12, "best": {...}}}); the other entries are ignored.
 * When several tensor dicts are found (weights and an EMA copy, say), the conventional names decide.
 */
final class CheckpointLayout {

    /** Names training scripts give the model's weights, in order of preference. */
    private static final List<String> PREFERRED = List.of("state_dict", "model", "model_state_dict", "net", "module");

    private CheckpointLayout() {
    }

    static Map<String, TorchStorage.TensorView> stateDict(Object root, String source) {
        if (!(root instanceof Map<?, ?> top)) {
            throw new WeightFileException(source + ": top-level object is " + StateDictUnpickler.describeType(root)
                    + ", expected a state_dict (a dict of tensors)");
        }
        if (isTensorDict(top)) {
            return cast(top);
        }
        List<String> paths = new ArrayList<>();
        List<Map<?, ?>> found = new ArrayList<>();
        collect(top, "", found, paths, 0);
        if (found.isEmpty()) {
            for (Map.Entry<?, ?> e : top.entrySet()) {
                if (top.values().stream().anyMatch(v -> v instanceof TorchStorage.TensorView)
                        && !(e.getValue() instanceof TorchStorage.TensorView)) {
                    throw new WeightFileException(source + ": entry '" + e.getKey() + "' is "
                            + StateDictUnpickler.describeType(e.getValue()) + ", expected a tensor");
                }
            }
            throw new WeightFileException(source + ": no dict of tensors found in the checkpoint (top-level keys: "
                    + top.keySet() + ")");
        }
        if (found.size() == 1) {
            return cast(found.get(0));
        }
        for (String preferred : PREFERRED) {
            int i = paths.indexOf(preferred);
            if (i >= 0) {
                return cast(found.get(i));
            }
        }
        throw new WeightFileException(source + ": several dicts of tensors in the checkpoint (" + String.join(", ", paths)
                + "); none has a conventional name (" + String.join(", ", PREFERRED) + ")");
    }

    private static void collect(Map<?, ?> map, String path, List<Map<?, ?>> found, List<String> paths, int depth) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> inner && depth < 4) {
                String p = path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey();
                if (isTensorDict(inner)) {
                    found.add(inner);
                    paths.add(p);
                } else {
                    collect(inner, p, found, paths, depth + 1);
                }
            }
        }
    }

    private static boolean isTensorDict(Map<?, ?> map) {
        return !map.isEmpty() && map.entrySet().stream()
                .allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof TorchStorage.TensorView);
    }

    private static Map<String, TorchStorage.TensorView> cast(Map<?, ?> map) {
        Map<String, TorchStorage.TensorView> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put((String) k, (TorchStorage.TensorView) v));
        return out;
    }
}
