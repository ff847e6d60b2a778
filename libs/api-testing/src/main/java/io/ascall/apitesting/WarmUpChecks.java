package io.ascall.apitesting;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import io.restassured.path.json.JsonPath;

/** What every service's warm-up test checks: it ran before the service was ready, and it changed nothing. */
public final class WarmUpChecks {

    private WarmUpChecks() {}

    /** Runs the service's rehearsals once (VertxContextSupport.subscribeAndAwait throws Throwable). */
    @FunctionalInterface
    public interface Rehearsals {
        void run() throws Throwable;
    }

    /** Readiness is UP with the warm-up check UP, after the test profile's one round, which did not fail. */
    public static void assertWarmedUpWithoutFailure() {
        JsonPath health =
                given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        Map<String, Object> warmUp = checks.stream()
                .filter(check -> "warm-up".equals(check.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no warm-up check in " + checks));
        assertEquals("UP", warmUp.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) warmUp.get("data");
        assertNull(data.get("failure"), "the warm-up failed");
        assertEquals(1, ((Number) data.get("rounds")).intValue(), "rounds of the test profile's warm-up");
    }

    /** Every row of the service's schema is as it was after the rehearsals ran once more. */
    public static void assertRehearsalsChangeNothing(DatabaseSnapshot database, Rehearsals rehearseAll)
            throws Throwable {
        String before = database.whenQuiet();
        rehearseAll.run();
        // quiet again too: background work of earlier tests that commits meanwhile is not the rehearsals'
        assertEquals(before, database.whenQuiet(), "the rehearsals left rows behind");
    }
}
