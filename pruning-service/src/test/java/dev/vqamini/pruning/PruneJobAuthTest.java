package dev.vqamini.pruning;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * pruning-service with {@code vqa.auth.enabled=true} and {@code vqa.auth.metrics-open=false}, on real RS256 tokens
 * signed in the test: POST /prune-jobs answers 401 without a valid token, 403 for uploader (or any role but
 * operator), 202 for operator; job reads and health stay open; /q/metrics needs a token with a role.
 */
@QuarkusTest
@TestProfile(PruneJobAuthTest.AuthOn.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class PruneJobAuthTest {

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(TestTokens.authConfig());
            c.put("vqa.auth.metrics-open", "false");
            return c;
        }
    }

    /** A job the service accepts (202) and that fails at once: its parent weights are not a model. */
    static RequestSpecification job(String token) throws IOException {
        Path weights = Files.createTempFile("not-a-model", ".pth");
        Files.writeString(weights, "not a model");
        Path calibration = Files.createTempDirectory("empty-calibration");
        weights.toFile().deleteOnExit();
        calibration.toFile().deleteOnExit();
        String body = """
                {"recipe":"layer-specific+channel","targetParams":0.5,"weights":"%s","calibrationDir":"%s","publish":false}"""
                .formatted(weights.toString().replace("\\", "\\\\"), calibration.toString().replace("\\", "\\\\"));
        RequestSpecification r = given().contentType(ContentType.JSON).body(body);
        return token == null ? r : r.auth().oauth2(token);
    }

    @Test
    void submittingAJobNeedsAValidToken() throws IOException {
        job(null).post("/prune-jobs").then().statusCode(401);
        job(TestTokens.foreignToken("operator")).post("/prune-jobs").then().statusCode(401);
        job(TestTokens.otherIssuerToken("operator")).post("/prune-jobs").then().statusCode(401);
        job(TestTokens.expiredToken("operator")).post("/prune-jobs").then().statusCode(401);
    }

    @Test
    void submittingAJobNeedsOperator() throws IOException {
        job(TestTokens.token("uploader")).post("/prune-jobs").then().statusCode(403);
        job(TestTokens.token("viewer")).post("/prune-jobs").then().statusCode(403);
        String id = job(TestTokens.token("operator")).post("/prune-jobs").then().statusCode(202)
                .header("Location", notNullValue()).extract().path("id");
        given().get("/prune-jobs/" + id).then().statusCode(200).body("id", is(id)); // reads stay open
        given().get("/prune-jobs").then().statusCode(200);
    }

    @Test
    void healthStaysOpenAndMetricsNeedATokenWithARole() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().accept("text/plain").get("/q/metrics").then().statusCode(401);
        given().accept("text/plain").auth().oauth2(TestTokens.foreignToken("operator")).get("/q/metrics").then().statusCode(401);
        given().accept("text/plain").auth().oauth2(TestTokens.token()).get("/q/metrics").then().statusCode(403);
        given().accept("text/plain").auth().oauth2(TestTokens.token("uploader")).get("/q/metrics").then().statusCode(200);
        given().accept("text/plain").auth().oauth2(TestTokens.token("operator")).get("/q/metrics").then().statusCode(200);
    }
}
