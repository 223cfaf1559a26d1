package dev.vqamini.kafka.serde;

import dev.vqamini.wire.WireViews;
import dev.vqamini.wire.ClipAssembler;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vqamini.wire.proto.ClipScore;
import dev.vqamini.wire.proto.FragmentClip;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Timeout;
import dev.vqamini.wire.proto.ViewKind;

/**
 * Every protobuf decoder path of the topics: each {@link WireSerdes} deserializer on arbitrary bytes returns a
 * message or throws {@link RecordDecodeException}; the view of a decoded record ({@link WireViews#fromWire}) is a
 * view or an {@link IllegalArgumentException}; {@link ClipAssembler} fed decoded vqa.fragments records assembles a
 * video or refuses the clip with an {@link IllegalArgumentException}. Nothing else is thrown, nothing hangs.
 * The first input byte picks the path. Seeds and past findings:
 * {@code src/test/resources/dev/vqamini/wire/WireDecodeFuzzTestInputs/decode/}.
 */
class WireDecodeFuzzTest {

    private static final List<ProtobufSerde<?>> SERDES = List.of(WireSerdes.uploads(), WireSerdes.fragments(),
            WireSerdes.clipScores(), WireSerdes.videoScores(), WireSerdes.labels(), WireSerdes.models(),
            WireSerdes.rollouts(), WireSerdes.deadLetters());

    @FuzzTest(maxDuration = "15s")
    @Timeout(10)
    void decode(FuzzedDataProvider data) {
        int path = data.consumeInt(0, SERDES.size());
        if (path < SERDES.size()) {
            Deserializer<?> deserializer = SERDES.get(path).deserializer();
            try {
                Object message = deserializer.deserialize("fuzz", data.consumeRemainingAsBytes());
                if (message instanceof FragmentClip clip) {
                    view(clip.getView());
                } else if (message instanceof ClipScore score) {
                    view(score.getView());
                }
            } catch (RecordDecodeException expected) {
                // the documented refusal
            }
            return;
        }
        // several vqa.fragments records into one assembler, as a scorer consumes them
        ClipAssembler assembler = new ClipAssembler();
        Deserializer<FragmentClip> fragments = WireSerdes.fragments().deserializer();
        while (data.remainingBytes() > 0) {
            byte[] record = data.consumeBytes(data.consumeInt(0, 1 << 16));
            try {
                assembler.add(fragments.deserialize("fuzz", record), 0L);
            } catch (RecordDecodeException | IllegalArgumentException expected) {
                // undecodable record, or a clip that contradicts its video
            }
        }
        assembler.pending();
    }

    private static void view(ViewKind kind) {
        try {
            WireViews.fromWire(kind);
        } catch (IllegalArgumentException expected) {
            // unset or unknown view
        }
    }
}
