package dev.vqamini.model.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named dense float32 tensor in row-major (C) order, as stored in a state_dict.
 * Weights of every dtype are widened or narrowed to float32 on load: inference runs in float32.
 */
public record Tensor(long[] shape, float[] data) {

    public Tensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + numel(shape)
                    + " values, got " + data.length);
        }
    }

    /** Number of elements of a tensor of this shape. */
    public static long numel(long... shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long numel() {
        return data.length;
    }

    public int dim(int axis) {
        return Math.toIntExact(shape[axis < 0 ? shape.length + axis : axis]);
    }

    public boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }

    /** Shape as text, e.g. {@code [48, 3, 2, 4, 4]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeText();
    }
}
