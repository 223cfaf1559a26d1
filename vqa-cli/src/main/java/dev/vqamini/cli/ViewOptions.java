package dev.vqamini.cli;

import dev.vqamini.views.OffsetMode;
import dev.vqamini.views.ViewSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code --offsets} and {@code --seed}: how a command cuts a video into the views the model sees. */
public final class ViewOptions {

    @Option(names = "--offsets", defaultValue = "random", paramLabel = "MODE", converter = ModeConverter.class,
            description = {"random: upstream DOVER's random clip and fragment offsets, drawn from --seed (default);",
                    "centre: every offset upstream draws from [0, r) is r // 2 (no randomness)."})
    OffsetMode offsets;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the random offsets (default ${DEFAULT-VALUE}); same seed and file name, same views.")
    long seed;

    public OffsetMode offsets() {
        return offsets;
    }

    public long seed() {
        return seed;
    }

    public ViewSettings settings() {
        return ViewSettings.defaults().withOffsetMode(offsets);
    }

    static final class ModeConverter implements ITypeConverter<OffsetMode> {
        @Override
        public OffsetMode convert(String value) {
            return OffsetMode.parse(value);
        }
    }
}
