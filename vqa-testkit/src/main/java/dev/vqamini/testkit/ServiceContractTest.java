package dev.vqamini.testkit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * What every VQA-Mini service promises, checked against a real Kafka broker: ready on {@code /q/health/ready} once
 * Kafka answers and the catalog's topics match, Prometheus text on {@code /q/metrics}. A service's test extends it
 * with {@code @QuarkusTest @QuarkusTestResource(KafkaBrokerTestResource.class)}.
 */
public abstract class ServiceContractTest {

    /** What the service needs before it can be ready (the scorer: a model in service); nothing by default. */
    protected void beforeReady() throws Exception {
    }

    @Test
    void readyWhenKafkaAnswers() throws Exception {
        beforeReady();
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
    public static Response awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Response r = given().when().get("/q/health/ready");
        while (r.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = given().when().get("/q/health/ready");
        }
        return r;
    }
}
