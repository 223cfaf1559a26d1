package dev.vqamini.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.spec.BlockSpec;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.spec.ModelComplexity;
import dev.vqamini.spec.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelComplexityTest {

    @Test
    void publishedDoverMobileHasItsDocumentedParameterCount() {
        ModelSpec spec = ModelSpec.doverMobile();
        assertEquals(9_904_546L, ModelComplexity.of(spec, 32, 224, 224).parameters());
        assertEquals(770_000L, ModelComplexity.classifierParameters(spec.technical())
                + ModelComplexity.classifierParameters(spec.aesthetic()));
    }

    @Test
    void countsMatchTheWeightsOfAPrunedSpec() {
        BranchSpec full = BranchSpec.doverMobile();
        BranchSpec pruned = full.withStage(2, full.stage(2).withBlocks(List.of(new BlockSpec(0, 100, 1), new BlockSpec(4, 64, 3))))
                .withStage(3, full.stage(3).withWidth(200));
        ModelSpec spec = new ModelSpec(pruned, full);
        var weights = RandomWeights.generate(spec, 1);
        long classifiers = ModelComplexity.classifierParameters(pruned) + ModelComplexity.classifierParameters(full);
        assertEquals(weights.parameterCount(""), ModelComplexity.of(spec, 32, 224, 224).parameters() + classifiers);
        assertTrue(ModelComplexity.of(pruned, 32, 224, 224).flops() < ModelComplexity.of(full, 32, 224, 224).flops());
    }
}
