package dev.vqamini.ingest;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.testkit.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** ingest-service keeps the service contract (readiness on Kafka, Prometheus metrics). */
@QuarkusTest
@TestProfile(IngestTestProfile.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestServiceTest extends ServiceContractTest {
}
