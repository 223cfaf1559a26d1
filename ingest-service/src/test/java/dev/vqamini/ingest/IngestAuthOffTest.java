package dev.vqamini.ingest;

import static io.restassured.RestAssured.given;

import dev.vqamini.testkit.KafkaBrokerTestResource;
import dev.vqamini.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Auth is off by default (no vqa.auth.enabled, no key): uploads need no token, and one sent anyway is not looked at. */
@QuarkusTest
@TestProfile(IngestTestProfile.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestAuthOffTest {

    @Test
    void uploadsNeedNoTokenByDefault() {
        given().multiPart("file", IngestAuthTest.notAVideo()).post("/videos").then().statusCode(202);
    }

    @Test
    void aTokenSentAnywayIsNotChecked() {
        given().multiPart("file", IngestAuthTest.notAVideo()).auth().oauth2(TestTokens.token("uploader")).post("/videos")
                .then().statusCode(202);
    }
}
