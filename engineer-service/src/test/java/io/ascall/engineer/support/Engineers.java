package io.ascall.engineer.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Small helpers for talking to engineer-service in tests. */
public final class Engineers {

    private Engineers() {}

    /** A region no other test uses: its engineers are this test's alone. */
    public static String uniqueRegion(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 18);
    }

    /** Registers an engineer and answers its id. */
    public static String register(String name, String region, String... skills) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "region", region, "skills", Arrays.asList(skills)))
                .post("/engineers")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    public static void deactivate(String engineerId) {
        given().post("/engineers/" + engineerId + "/deactivate").then().statusCode(200);
    }

    public static long engineersIn(String region) {
        return given().queryParam("region", region)
                .get("/engineers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("total");
    }

    /** Every offer of a call, newest first. */
    public static List<Map<String, Object>> assignmentsOf(UUID callId) {
        return given().queryParam("callId", callId.toString())
                .get("/assignments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }

    /** Waits until the call has been offered {@code count} times; answers its offers, newest first. */
    public static List<Map<String, Object>> awaitOffers(UUID callId, int count) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> assignmentsOf(callId), hasSize(count));
    }

    public static JsonPath assignment(String assignmentId) {
        return given().get("/assignments/" + assignmentId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** An engineer's answer ({@code accept}, {@code reject}, {@code complete}) to an assignment. */
    public static ValidatableResponse act(String assignmentId, String action, String engineerId) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("engineerId", engineerId))
                .post("/assignments/" + assignmentId + "/" + action)
                .then();
    }
}
