package dev.vqamini.scorer;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.testkit.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** scorer-service keeps the service contract (readiness on Kafka, Prometheus metrics). */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class ScorerServiceTest extends ServiceContractTest {
}
