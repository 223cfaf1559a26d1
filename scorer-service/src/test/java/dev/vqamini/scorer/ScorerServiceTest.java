package dev.vqamini.scorer;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.testkit.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** scorer-service keeps the service contract; it is ready once a stable version serves. */
@QuarkusTest
@TestProfile(TinyScorerProfile.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class ScorerServiceTest extends ServiceContractTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String servers;

    @Override
    protected void beforeReady() throws Exception {
        ScorerFlowTest.ensureStable(servers);
    }
}
