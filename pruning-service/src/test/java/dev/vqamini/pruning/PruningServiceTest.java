package dev.vqamini.pruning;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.testkit.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** pruning-service keeps the service contract (readiness on Kafka, Prometheus metrics). */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class PruningServiceTest extends ServiceContractTest {
}
