package dev.vqamini.scorer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqamini.model.latency.LatencyTable;
import dev.vqamini.spec.BranchSpec;
import dev.vqamini.testkit.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A scorer measures its own latency table on request and serves it as a file a prune job can name. */
@QuarkusTest
@TestProfile(TinyScorerProfile.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class LatencyTableResourceTest {

    @Test
    void measuresThisScorersTableOnRequestAndServesItAsAReadableTable() throws Exception {
        given().when().get("/latency-table").then().statusCode(404).body("error", containsString("POST /latency-table"));
        given().when().post("/latency-table").then().statusCode(202);
        long deadline = System.nanoTime() + 300_000_000_000L;
        Response r = given().when().get("/latency-table");
        while (r.statusCode() == 202 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            r = given().when().get("/latency-table");
        }
        assertEquals(200, r.statusCode(), r.asString());
        Path file = Files.createTempFile("scorer-latency-table", ".json");
        Files.writeString(file, r.asString());
        LatencyTable table = LatencyTable.read(file);
        // measured on this scorer's clip shape, provider and threads (TinyScorerProfile: 4 x 64 x 64, CPU, 1 thread)
        assertArrayEquals(new int[] {4, 64, 64}, table.header().clipFramesHeightWidth());
        assertEquals(1, table.header().intraOpThreads());
        assertTrue(table.header().provider().toUpperCase().contains("CPU"), table.header().provider());
        assertTrue(table.predictMs(BranchSpec.doverMobile()) > 0);
    }
}
