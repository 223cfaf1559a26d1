package dev.vqamini.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The channel multiple: its default, a given one, and the rounding of kept channel counts to it. */
class PruneConfigTest {

    @Test
    void theBuilderDefaultsToMultiplesOfEight() {
        assertEquals(8, PruneConfig.defaultChannelMultiple());
        PruneConfig c = PruneConfig.builder("channel", 0.5).build();
        assertEquals(8, c.channelMultiple());
        assertEquals(8, PruneConfig.builder("channel", 0.5).channelMultiple(null).build().channelMultiple());
    }

    @Test
    void aGivenMultipleIsKeptAndRoundsTheKeptChannels() {
        PruneConfig sixteen = PruneConfig.builder("channel", 0.5).channelMultiple(16).build();
        assertEquals(16, sixteen.channelMultiple());
        PruneConfig eight = PruneConfig.builder("channel", 0.5).channelMultiple(8).build();
        assertEquals(24, eight.keepCount(48, 0.5));
        assertEquals(32, sixteen.keepCount(48, 0.5)); // 24 rounds to 1.5 sixteens, up to 2
        assertEquals(16, sixteen.keepCount(48, 0.1)); // never below one multiple
        assertEquals(48, sixteen.keepCount(48, 0.95)); // never above the full width
        assertEquals(8, sixteen.keepCount(8, 0.5)); // a width under the multiple keeps itself
        assertThrows(IllegalArgumentException.class, () -> PruneConfig.builder("channel", 0.5).channelMultiple(0).build());
    }
}
