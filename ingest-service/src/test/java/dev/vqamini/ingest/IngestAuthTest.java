package dev.vqamini.ingest;

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
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ingest-service with {@code vqa.auth.enabled=true}, on real RS256 tokens signed in the test: POST /videos (multipart
 * and JSON) answers 401 without a valid token (none, unknown key, other issuer, expired), 403 for a role other than
 * uploader or operator, 202 for both of those; reads, health and (by default) metrics stay open; any other write
 * falls under the kit's deny-by-default (operator only).
 */
@QuarkusTest
@TestProfile(IngestAuthTest.AuthOn.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestAuthTest {

    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vqa-ingest-auth-" + ProcessHandle.current().pid());

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(TestTokens.authConfig());
            c.put("vqa.ingest.allowed-roots", ROOT.toString());
            c.put("vqa.ingest.group-id", "vqa-ingest-auth-test");
            c.put("vqa.ingest.workers", "1");
            return c;
        }
    }

    /** Not a video: accepted (202), then dead-lettered by the decoder, which is all these tests need. */
    static File notAVideo() {
        try {
            Files.createDirectories(ROOT);
            Path f = ROOT.resolve("notes.mp4");
            Files.writeString(f, "not a video\n");
            return f.toFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RequestSpecification multipart(String token) {
        RequestSpecification r = given().multiPart("file", notAVideo());
        return token == null ? r : r.auth().oauth2(token);
    }

    static RequestSpecification json(String token) {
        RequestSpecification r = given().contentType(ContentType.JSON).body(Map.of("uri", notAVideo().toURI().toString()));
        return token == null ? r : r.auth().oauth2(token);
    }

    @Test
    void multipartUploadNeedsAValidToken() {
        multipart(null).post("/videos").then().statusCode(401);
        multipart(TestTokens.foreignToken("uploader")).post("/videos").then().statusCode(401);
        multipart(TestTokens.otherIssuerToken("uploader")).post("/videos").then().statusCode(401);
        multipart(TestTokens.expiredToken("uploader")).post("/videos").then().statusCode(401);
        given().multiPart("file", notAVideo()).header("Authorization", "Bearer not.a.jwt").post("/videos").then().statusCode(401);
    }

    @Test
    void multipartUploadNeedsUploaderOrOperator() {
        multipart(TestTokens.token("viewer")).post("/videos").then().statusCode(403);
        multipart(TestTokens.token()).post("/videos").then().statusCode(403);
        multipart(TestTokens.token("uploader")).post("/videos").then().statusCode(202).body("upload_id", notNullValue());
        multipart(TestTokens.token("operator")).post("/videos").then().statusCode(202).body("upload_id", notNullValue());
    }

    @Test
    void jsonUploadNeedsUploaderOrOperator() {
        json(null).post("/videos").then().statusCode(401);
        json(TestTokens.foreignToken("operator")).post("/videos").then().statusCode(401);
        json(TestTokens.token("viewer")).post("/videos").then().statusCode(403);
        json(TestTokens.token("uploader")).post("/videos").then().statusCode(202).body("upload_id", notNullValue());
        json(TestTokens.token("operator")).post("/videos").then().statusCode(202).body("upload_id", notNullValue());
    }

    @Test
    void readsHealthAndMetricsStayOpen() {
        String uploadId = multipart(TestTokens.token("uploader")).post("/videos").then().statusCode(202)
                .extract().path("upload_id");
        given().get("/uploads/" + uploadId).then().statusCode(200);
        given().auth().oauth2(TestTokens.token("viewer")).get("/uploads/" + uploadId).then().statusCode(200);
        // open reads do not look at the header (quarkus.http.auth.proactive=false): a stale token does no harm
        given().header("Authorization", "Bearer not.a.jwt").get("/uploads/" + uploadId).then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().accept("text/plain").get("/q/metrics").then().statusCode(200);
    }

    @Test
    void otherWritesNeedOperator() {
        given().post("/uploads/x").then().statusCode(401);
        given().auth().oauth2(TestTokens.token("uploader")).post("/uploads/x").then().statusCode(403);
        given().auth().oauth2(TestTokens.token("uploader")).delete("/videos").then().statusCode(403);
        // operator passes the check and reaches the application, which has no such endpoint
        given().auth().oauth2(TestTokens.token("operator")).post("/uploads/x").then().statusCode(405);
    }
}
