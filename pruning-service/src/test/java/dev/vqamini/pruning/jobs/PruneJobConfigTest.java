package dev.vqamini.pruning.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqamini.prune.PruneConfig;
import dev.vqamini.prune.PruneRecipe;
import org.junit.jupiter.api.Test;

/** A job request's targets as the pruning job gets them: parameters (and FLOPs), or a latency fraction instead. */
class PruneJobConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestWithTargetLatencyPlansForLatency() throws Exception {
        PruneJobRequest r = JSON.readValue("{\"recipe\": \"layer-specific+channel\", \"targetLatency\": 0.3}", PruneJobRequest.class);
        PruneConfig c = PruneJobs.config(r);
        assertEquals(0.3, c.targetLatency());
        assertEquals(PruneRecipe.LAYER_SPECIFIC_CHANNEL, c.recipe());
        assertEquals(1.0, c.targetParams());
    }

    @Test
    void aRequestWithTargetParamsStaysAsItWas() throws Exception {
        PruneJobRequest r = JSON.readValue("{\"recipe\": \"channel\", \"targetParams\": 0.2}", PruneJobRequest.class);
        PruneConfig c = PruneJobs.config(r);
        assertNull(c.targetLatency());
        assertEquals(0.2, c.targetParams());
        PruneJobRequest both = JSON.readValue("{\"recipe\": \"layer-specific\", \"targetParams\": 0.2, \"targetLatency\": 0.3}",
                PruneJobRequest.class);
        assertThrows(IllegalArgumentException.class, () -> PruneJobs.config(both));
    }

    @Test
    void aRequestMayNameTheChannelMultiple() throws Exception {
        PruneJobRequest r = JSON.readValue("{\"recipe\": \"channel\", \"targetParams\": 0.5, \"channelMultiple\": 16}",
                PruneJobRequest.class);
        PruneConfig c = PruneJobs.config(r);
        assertEquals(16, c.channelMultiple());
        assertEquals(32, c.keepCount(48, 0.5));
        PruneJobRequest plain = JSON.readValue("{\"recipe\": \"channel\", \"targetParams\": 0.5}", PruneJobRequest.class);
        assertEquals(PruneConfig.defaultChannelMultiple(), PruneJobs.config(plain).channelMultiple());
        PruneJobRequest bad = JSON.readValue("{\"recipe\": \"channel\", \"targetParams\": 0.5, \"channelMultiple\": 0}",
                PruneJobRequest.class);
        assertThrows(IllegalArgumentException.class, () -> PruneJobs.config(bad));
    }
}
