package io.ascall.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.ascall.local.LocalRealm;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The three services' public APIs, as the mobile app, the engineers and the tests use them, each
 * step with the token of whoever takes it in the product: a customer (the local realm's alice, or
 * dana, whose card the simulated gateway declines) asks for and cancels calls, an engineer (a user
 * of the realm made for the test, {@link Accounts#newEngineer}) answers their offers, and everything
 * a test only looks at is read as the operator (the default of {@link Accounts#operatorByDefault}).
 */
final class SagaClient {

    /** Long enough for a step that waits on a restarted service to rejoin its consumer group. */
    static final Duration SAGA_STEP = Duration.ofSeconds(60);

    private final SagaSystem system;
    private final Accounts accounts;
    /** Each engineer registered here (their engineer id) and the user they log in as. */
    private final Map<String, LocalRealm.User> engineers = new ConcurrentHashMap<>();
    /** Each call requested here and the customer who asked for it. */
    private final Map<String, LocalRealm.User> customers = new ConcurrentHashMap<>();

    SagaClient(SagaSystem system) {
        this.system = system;
        this.accounts = system.accounts;
    }

    /** A region no other test uses, so that engineer matching sees only this test's engineers. */
    static String uniqueRegion() {
        return "region-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Onboards an engineer as an operator does: a user account in the identity provider first, then
     * the engineer record linked to it. Answers the engineer's id.
     */
    String registerEngineer(String name, String region, String... skills) {
        return registerEngineer(accounts.newEngineer(), name, region, skills);
    }

    /** Registers the engineer record of an existing account (the local realm's park or kim, say). */
    String registerEngineer(LocalRealm.User account, String name, String region, String... skills) {
        String id = given().baseUri(system.engineer.baseUri().toString())
                .header("Authorization", "Bearer " + accounts.token(LocalRealm.OLIVIA))
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "region", region, "skills", List.of(skills), "accountId", account.id()))
                .post("/engineers")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        engineers.put(id, account);
        return id;
    }

    /** A call asked for by alice. */
    Response requestCall(String applianceType, String region) {
        return requestCall(
                LocalRealm.ALICE, applianceType, region, UUID.randomUUID().toString());
    }

    /** A call asked for by dana, whose card the simulated gateway declines: a 422. */
    Response requestDeclinedCall(String applianceType, String region) {
        return requestCall(
                LocalRealm.DANA, applianceType, region, UUID.randomUUID().toString());
    }

    Response requestCall(LocalRealm.User customer, String applianceType, String region, String idempotencyKey) {
        Response response = given().baseUri(system.call.baseUri().toString())
                .header("Authorization", "Bearer " + accounts.token(customer))
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(Map.of("applianceType", applianceType, "region", region, "address", "1 Test-ro"))
                .post("/calls");
        String callId = response.statusCode() == 201
                ? response.jsonPath().getString("id")
                : response.statusCode() == 422 ? response.jsonPath().getString("callId") : null;
        if (callId != null) {
            customers.put(callId, customer);
        }
        return response;
    }

    /**
     * A paid call, requested as the mobile app does: after a 503 it retries with the same
     * Idempotency-Key (which continues the same call), as the answer's Retry-After says.
     */
    String paidCall(String applianceType, String region) {
        String key = UUID.randomUUID().toString();
        Response created = requestCall(LocalRealm.ALICE, applianceType, region, key);
        for (int retry = 0; retry < 3 && created.statusCode() == 503; retry++) {
            sleep(Duration.ofSeconds(Long.parseLong(created.header("Retry-After"))));
            created = requestCall(LocalRealm.ALICE, applianceType, region, key);
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

    /** The customer who asked for the call cancels it. */
    Response cancel(String callId) {
        return given().baseUri(system.call.baseUri().toString())
                .header("Authorization", "Bearer " + accounts.token(customerOf(callId)))
                .post("/calls/" + callId + "/cancel");
    }

    private LocalRealm.User customerOf(String callId) {
        LocalRealm.User customer = customers.get(callId);
        if (customer == null) {
            throw new IllegalArgumentException("Call " + callId + " was not requested through this client");
        }
        return customer;
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

    /** The engineer accepts, rejects or completes their assignment, as themselves. */
    Response act(String assignmentId, String action, String engineerId) {
        LocalRealm.User engineer = engineers.get(engineerId);
        if (engineer == null) {
            throw new IllegalArgumentException("Engineer " + engineerId + " was not registered through this client");
        }
        return given().baseUri(system.engineer.baseUri().toString())
                .header("Authorization", "Bearer " + accounts.token(engineer))
                .post("/assignments/" + assignmentId + "/" + action);
    }
}
