package io.ascall.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The three services' public APIs, as the mobile app, the engineers and the tests use them. */
final class SagaClient {

    /** Long enough for a step that waits on a restarted service to rejoin its consumer group. */
    static final Duration SAGA_STEP = Duration.ofSeconds(60);

    private final SagaSystem system;

    SagaClient(SagaSystem system) {
        this.system = system;
    }

    /** A region no other test uses, so that engineer matching sees only this test's engineers. */
    static String uniqueRegion() {
        return "region-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String registerEngineer(String name, String region, String... skills) {
        return given().baseUri(system.engineer.baseUri().toString())
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "region", region, "skills", List.of(skills)))
                .post("/engineers")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    Response requestCall(String customerId, String applianceType, String region) {
        return requestCall(customerId, applianceType, region, UUID.randomUUID().toString());
    }

    Response requestCall(String customerId, String applianceType, String region, String idempotencyKey) {
        return given().baseUri(system.call.baseUri().toString())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(Map.of(
                        "customerId",
                        customerId,
                        "applianceType",
                        applianceType,
                        "region",
                        region,
                        "address",
                        "1 Test-ro"))
                .post("/calls");
    }

    /**
     * A paid call, requested as the mobile app does: after a 503 it retries with the same
     * Idempotency-Key (which continues the same call), as the answer's Retry-After says.
     */
    String paidCall(String applianceType, String region) {
        String customer = "customer-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        Response created = requestCall(customer, applianceType, region, key);
        for (int retry = 0; retry < 3 && created.statusCode() == 503; retry++) {
            sleep(Duration.ofSeconds(Long.parseLong(created.header("Retry-After"))));
            created = requestCall(customer, applianceType, region, key);
        }
        assertEquals(201, created.statusCode(), created.asString());
        return created.jsonPath().getString("id");
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonPath call(String callId) {
        return given().baseUri(system.call.baseUri().toString())
                .get("/calls/" + callId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    JsonPath awaitCall(String callId, String status) {
        await().atMost(SAGA_STEP)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> status.equals(call(callId).getString("status")));
        return call(callId);
    }

    /** call-service learnt of the refund (PaymentRefunded). */
    void awaitRefundRecorded(String callId) {
        await().atMost(SAGA_STEP)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> call(callId).getString("refundedAt") != null);
    }

    Response cancel(String callId) {
        return given().baseUri(system.call.baseUri().toString()).post("/calls/" + callId + "/cancel");
    }

    /** payment-service's payment of the call, or null when it has none. */
    Map<String, Object> payment(String callId) {
        List<Map<String, Object>> payments = given().baseUri(
                        system.payment.baseUri().toString())
                .queryParam("callId", callId)
                .get("/payments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        return payments.isEmpty() ? null : payments.get(0);
    }

    void awaitPayment(String callId, String status) {
        await().atMost(SAGA_STEP).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, Object> payment = payment(callId);
            return payment != null && status.equals(payment.get("status"));
        });
    }

    List<Map<String, Object>> assignmentsOf(String engineerId) {
        return given().baseUri(system.engineer.baseUri().toString())
                .queryParam("size", 100)
                .get("/engineers/" + engineerId + "/assignments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    /** The engineer's assignment for the call, once it exists. */
    Map<String, Object> awaitAssignment(String engineerId, String callId, String status) {
        return await().atMost(SAGA_STEP)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> assignmentsOf(engineerId).stream()
                                .filter(a -> callId.equals(a.get("callId")) && status.equals(a.get("status")))
                                .findFirst()
                                .orElse(null),
                        a -> a != null);
    }

    Response act(String assignmentId, String action, String engineerId) {
        return given().baseUri(system.engineer.baseUri().toString())
                .contentType(ContentType.JSON)
                .body(Map.of("engineerId", engineerId))
                .post("/assignments/" + assignmentId + "/" + action);
    }
}
