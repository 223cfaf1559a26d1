package dev.vqamini.model.weights;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Torch storages named by a pickle, and the float32 tensors rebuilt as (possibly strided) views of their bytes. */
final class TorchStorage {

    private TorchStorage() {
    }

    /** A storage a pickle names by key; its bytes are read later, once, whatever the number of tensors on it. */
    record Ref(String key, StateDictUnpickler.StorageType type, long numel) {

        long byteSize() {
            return numel * type.elementSize();
        }
    }

    /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}, not yet read. */
    record TensorView(Ref storage, long offset, long[] shape, long[] stride) {

        static TensorView of(Object[] args, String source) {
            if (args.length < 4 || !(args[0] instanceof Ref storage) || !isInt(args[1]) || !isInts(args[2])
                    || !isInts(args[3]) || ((Object[]) args[2]).length != ((Object[]) args[3]).length) {
                throw new WeightFileException(source + ": malformed tensor record " + Arrays.deepToString(args)
                        + ": expected (storage, offset, size tuple, stride tuple of the same length, ...)");
            }
            return new TensorView(storage, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
        }

        private static boolean isInt(Object o) {
            return o instanceof Integer || o instanceof Long;
        }

        private static boolean isInts(Object o) {
            return o instanceof Object[] a && Arrays.stream(a).allMatch(TensorView::isInt);
        }

        /** The tensor's values as float32 (float16, bfloat16, double and integer storages are converted). */
        Tensor read(ByteBuffer bytes, String source, String key) {
            if (Arrays.stream(shape).anyMatch(d -> d < 0)) {
                throw new WeightFileException(source + ": tensor '" + key + "' has a negative dimension in shape "
                        + Arrays.toString(shape));
            }
            if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
                return new Tensor(shape, new float[0]);
            }
            // the last element's index, bounded by the storage before anything is allocated
            long last = offset;
            boolean overflow = offset < 0 || Arrays.stream(stride).anyMatch(s -> s < 0);
            for (int d = 0; d < shape.length && !overflow; d++) {
                try {
                    last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
                } catch (ArithmeticException e) {
                    overflow = true;
                }
            }
            long n;
            try {
                n = Tensor.numel(shape);
            } catch (ArithmeticException e) {
                n = Long.MAX_VALUE;
            }
            // a view holds at most its storage's elements unless strides repeat them; it is copied out as float32
            if (overflow || last >= storage.numel || n > Integer.MAX_VALUE - 8) {
                throw new WeightFileException(source + ": tensor '" + key + "' of shape " + Arrays.toString(shape)
                        + " and stride " + Arrays.toString(stride) + " at offset " + offset
                        + " reads past its storage of " + storage.numel + " elements");
            }
            float[] data = new float[(int) n];
            if (storage.type.name().equals("FloatStorage") && Arrays.equals(stride, contiguousStrides(shape))) {
                bytes.duplicate().order(bytes.order()).position(Math.toIntExact(offset * 4)).asFloatBuffer().get(data);
                return new Tensor(shape, data);
            }
            long[] index = new long[shape.length];
            for (int i = 0; i < n; i++) {
                long pos = offset;
                for (int d = 0; d < shape.length; d++) {
                    pos += index[d] * stride[d];
                }
                data[i] = get(bytes, pos);
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++index[d] < shape[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
            return new Tensor(shape, data);
        }

        private float get(ByteBuffer bytes, long i) {
            int at = Math.toIntExact(i * storage.type.elementSize());
            return switch (storage.type.name()) {
                case "FloatStorage" -> bytes.getFloat(at);
                case "DoubleStorage" -> (float) bytes.getDouble(at);
                case "HalfStorage" -> halfToFloat(bytes.getShort(at));
                case "BFloat16Storage" -> Float.intBitsToFloat((bytes.getShort(at) & 0xffff) << 16);
                case "LongStorage" -> bytes.getLong(at);
                case "IntStorage" -> bytes.getInt(at);
                case "ShortStorage" -> bytes.getShort(at);
                case "CharStorage" -> bytes.get(at);
                case "ByteStorage", "BoolStorage" -> bytes.get(at) & 0xff;
                default -> throw new IllegalStateException(storage.type.name());
            };
        }
    }

    private static long[] contiguousStrides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            return (sign != 0 ? -1 : 1) * mant * 0x1p-24f;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static long[] longs(Object o) {
        Object[] a = (Object[]) o;
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = ((Number) a[i]).longValue();
        }
        return r;
    }
}
