package dev.vqamini.kafka.serde;

import dev.vqamini.wire.proto.ClipScore;
import dev.vqamini.wire.proto.ViewKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtobufSerdeTest {

    private final ProtobufSerde<ClipScore> serde = WireSerdes.clipScores();

    @Test
    void roundTripsAMessage() {
        ClipScore score = ClipScore.newBuilder().setVideoId("v1").setView(ViewKind.VIEW_KIND_AESTHETIC)
                .setClipIndex(2).setClipCount(4).setModelVersion("bootstrap-1").setRawScore(0.125)
                .setInferenceMs(480.5).setBatchSize(2).setScorerId("scorer-a").build();
        byte[] bytes = serde.serializer().serialize("vqa.clip-scores", score);
        assertEquals(score, serde.deserializer().deserialize("vqa.clip-scores", bytes));
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertNull(serde.serializer().serialize("t", null));
        assertNull(serde.deserializer().deserialize("t", null));
    }

    @Test
    void badPayloadNamesTopicAndType() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
        RecordDecodeException e = assertThrows(RecordDecodeException.class,
                () -> serde.deserializer().deserialize("vqa.clip-scores", garbage));
        assertTrue(e.getMessage().contains("vqa.clip-scores"), e.getMessage());
        assertTrue(e.getMessage().contains("vqa.v1.ClipScore"), e.getMessage());
        assertEquals("vqa.clip-scores", e.topic());
        assertEquals("vqa.v1.ClipScore", e.typeName());
    }
}
