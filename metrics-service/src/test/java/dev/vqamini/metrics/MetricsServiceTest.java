package dev.vqamini.metrics;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.testkit.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** metrics-service keeps the service contract (readiness on Kafka, Prometheus metrics). */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class MetricsServiceTest extends ServiceContractTest {
}
