package io.ascall.engineer.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.Tokens;
import io.ascall.engineer.support.EngineerServiceTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Where the engineer console logs in ({@code GET /console/config}), beside the console's own files
 * under the same path: open to anyone (the page reads it before a login), and the realm it names
 * is the browser's, set apart from the one the service checks tokens against, as in a cluster.
 * The default, the service's own realm, is what the console logs in with in ConsoleSystemTest
 * (deploy/local/system-tests).
 */
@EngineerServiceTest
@TestProfile(ConsoleConfigTest.BrowserFacingRealm.class)
class ConsoleConfigTest {

    /** The realm's address outside the cluster; the service reaches the provider at another one. */
    static final String PUBLIC_ISSUER = "https://login.ascall.example/realms/ascall";

    public static class BrowserFacingRealm implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ascall.console.issuer", PUBLIC_ISSUER);
        }
    }

    @Test
    void anyoneIsToldTheBrowserFacingRealmAndTheConsoleClient() {
        given().get("/console/config")
                .then()
                .statusCode(200)
                .contentType(startsWith("application/json"))
                .body("issuer", equalTo(PUBLIC_ISSUER))
                .body("clientId", equalTo("ascall-app"));
    }

    @Test
    void tokensAreStillCheckedAgainstTheServicesOwnRealm() {
        // a token of the test issuer is taken (no engineer for it: 404, not 401), whatever the console is told
        given().auth()
                .oauth2(Tokens.engineer("console-" + UUID.randomUUID()))
                .get("/engineers/me")
                .then()
                .statusCode(404);
    }

    @Test
    void theConsolesFilesAreServedBesideIt() {
        given().get("/console/")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("<script src=\"console.js\""));
        given().get("/console/console.js").then().statusCode(200).body(containsString("/console/config"));
        given().get("/console/console.css").then().statusCode(200);
    }
}
