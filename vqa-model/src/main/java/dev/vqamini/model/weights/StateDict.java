package dev.vqamini.model.weights;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An ordered map of parameter name to tensor, with the checks a loader needs (missing key, wrong shape). */
public final class StateDict {

    private final String source;
    private final Map<String, Tensor> tensors;

    public StateDict(String source, Map<String, Tensor> tensors) {
        this.source = source;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** Where these weights came from (a file name), for error messages. */
    public String source() {
        return source;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    public Set<String> keys() {
        return tensors.keySet();
    }

    /** The tensor named {@code key}; a clear error when it is missing. */
    public Tensor get(String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new WeightFileException(source + ": missing key '" + key + "'" + nearbyKeys(key));
        }
        return t;
    }

    /** The tensor named {@code key}, which must have exactly the expected shape. */
    public Tensor require(String key, long... expectedShape) {
        Tensor t = get(key);
        if (!t.hasShape(expectedShape)) {
            throw new WeightFileException(source + ": key '" + key + "' has shape " + t.shapeText()
                    + " but the architecture needs " + Arrays.toString(expectedShape));
        }
        return t;
    }

    /** Total number of values over keys starting with {@code prefix}. */
    public long parameterCount(String prefix) {
        return tensors.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().numel()).sum();
    }

    private String nearbyKeys(String key) {
        String stem = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : key;
        Set<String> near = new TreeSet<>();
        for (String k : tensors.keySet()) {
            if (k.startsWith(stem)) {
                near.add(k);
            }
        }
        return near.isEmpty() ? " (" + tensors.size() + " keys present)" : " (present near it: " + near + ")";
    }
}
