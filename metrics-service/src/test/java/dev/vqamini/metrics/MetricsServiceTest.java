package dev.vqamini.metrics;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** metrics-service against a real Kafka broker: ready, and serving Prometheus metrics. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class MetricsServiceTest {

    @Test
    void readyWhenKafkaAnswers() throws InterruptedException {
        Response ready = awaitReady();
        ready.then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("kafka"))
                .body("checks.find { it.name == 'kafka' }.data.topics", containsString("all match the catalog"));
    }

    @Test
    void servesPrometheusMetrics() {
        given().accept("text/plain").when().get("/q/metrics").then()
                .statusCode(200)
                .contentType(startsWith("text/plain"))
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
    }

    /** Consumers and streams reach their running state a moment after startup. */
    private static Response awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Response r = given().when().get("/q/health/ready");
        while (r.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = given().when().get("/q/health/ready");
        }
        return r;
    }
}
