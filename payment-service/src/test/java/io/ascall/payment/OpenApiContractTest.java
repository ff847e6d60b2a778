package io.ascall.payment;

import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.order;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.ascall.apitesting.ApiContract;
import io.ascall.apitesting.TestIssuer;
import io.ascall.apitesting.Tokens;
import io.ascall.local.LocalEnvironmentResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * Every operation of payment-service's OpenAPI document, exercised on the running service through
 * its answers (success, the domain's refusals, the shared errors), each answer validated against the
 * document the service serves. Fails on any undocumented status, member, type or null.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class OpenApiContractTest {

    private static ApiContract contract;

    @Inject
    TestDatabase database;

    @AfterAll
    static void everyOperationConformed() {
        contract.assertConforms();
        contract.assertEveryOperationExercised();
    }

    /** Read once the service runs (RestAssured knows its port only then). */
    private static RequestSpecification client() {
        if (contract == null) {
            contract = ApiContract.ofRunningService();
        }
        return given().filter(PaymentsApi.AS_ITS_CALLER).filter(contract);
    }

    /**
     * A new approved payment. The first charge of a cold service can outlast the gateway's timeout on
     * a loaded machine (503 payment-unavailable, documented): it is asked again, and resumed (409
     * request-in-progress until the attempt is stale, then 200).
     */
    private static String paid(UUID callId, String customer) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .until(
                        () -> client().contentType(ContentType.JSON)
                                .body(order(callId, customer, 30_000))
                                .post("/payments"),
                        answer -> answer.statusCode() == 201 || answer.statusCode() == 200)
                .path("id");
    }

    @Test
    void chargingAVisitFee() {
        UUID callId = newCallId();
        String customer = newCustomer("contract-");
        Map<String, Object> body = order(callId, customer, 30_000);
        client().contentType(ContentType.JSON)
                .header("Idempotency-Key", "key-" + callId)
                .body(body)
                .post("/payments")
                .then()
                .statusCode(201);
        client().contentType(ContentType.JSON)
                .header("Idempotency-Key", "another-key")
                .body(body)
                .post("/payments")
                .then()
                .statusCode(200);
        client().contentType(ContentType.JSON)
                .body(order(callId, customer, 30_001))
                .post("/payments")
                .then()
                .statusCode(422);
        client().contentType(ContentType.JSON)
                .body(order(callId, newCustomer("other-"), 30_000))
                .post("/payments")
                .then()
                .statusCode(422);

        UUID declined = newCallId();
        String declinedCustomer = newCustomer("declined-");
        client().contentType(ContentType.JSON)
                .body(order(declined, declinedCustomer, 30_000))
                .post("/payments")
                .then()
                .statusCode(201);
        client().contentType(ContentType.JSON)
                .body(order(declined, declinedCustomer, 30_000))
                .post("/payments")
                .then()
                .statusCode(200);

        // a charge still running elsewhere: request-in-progress, with Retry-After
        String charging = newCustomer("contract-");
        Payment pending = Payment.pending(newCallId(), charging, 30_000, "KRW", null, Instant.now());
        database.insert(pending);
        client().contentType(ContentType.JSON)
                .body(order(pending.callId(), charging, 30_000))
                .post("/payments")
                .then()
                .statusCode(409);

        // the call was voided first: payment-voided
        UUID abandoned = newCallId();
        client().contentType(ContentType.JSON)
                .body(Map.of("callId", abandoned.toString()))
                .post("/payments/voids")
                .then()
                .statusCode(200);
        client().contentType(ContentType.JSON)
                .body(order(abandoned, newCustomer("contract-"), 30_000))
                .post("/payments")
                .then()
                .statusCode(409);

        client().contentType(ContentType.JSON)
                .body("{\"callId\":\"" + newCallId() + "\",\"customerId\":\"\",\"amount\":0}")
                .post("/payments")
                .then()
                .statusCode(400);
        client().contentType(ContentType.TEXT)
                .body("{}")
                .post("/payments")
                .then()
                .statusCode(415);
        client().contentType(ContentType.JSON)
                .body("{\"x\":\"" + "a".repeat(70_000) + "\"}")
                .post("/payments")
                .then()
                .statusCode(413);
    }

    @Test
    void voidingACallsPayment() {
        // no payment yet: a VOIDED tombstone (customerId null, amount 0); again, the same
        UUID callId = newCallId();
        client().contentType(ContentType.JSON)
                .body(Map.of("callId", callId.toString(), "reason", "call-service timed out"))
                .post("/payments/voids")
                .then()
                .statusCode(200);
        client().contentType(ContentType.JSON)
                .body(Map.of("callId", callId.toString()))
                .post("/payments/voids")
                .then()
                .statusCode(200);

        // an APPROVED payment whose call goes on: conflict
        UUID paidCall = newCallId();
        paid(paidCall, newCustomer("contract-void-"));
        client().contentType(ContentType.JSON)
                .body(Map.of("callId", paidCall.toString()))
                .post("/payments/voids")
                .then()
                .statusCode(409);

        // a DECLINED payment is answered as it is
        UUID declined = newCallId();
        client().contentType(ContentType.JSON)
                .body(order(declined, newCustomer("declined-"), 30_000))
                .post("/payments")
                .then()
                .statusCode(201);
        client().contentType(ContentType.JSON)
                .body(Map.of("callId", declined.toString()))
                .post("/payments/voids")
                .then()
                .statusCode(200);

        // an attempt that died after the gateway charged: VOIDED with refundedAt
        Payment charged = Payment.pending(
                newCallId(),
                newCustomer("contract-void-"),
                30_000,
                "KRW",
                null,
                Instant.now().minus(5, ChronoUnit.MINUTES));
        database.insert(charged);
        database.chargeAtGateway(charged);
        client().contentType(ContentType.JSON)
                .body(Map.of("callId", charged.callId().toString()))
                .post("/payments/voids")
                .then()
                .statusCode(200);

        client().contentType(ContentType.JSON)
                .body("{}")
                .post("/payments/voids")
                .then()
                .statusCode(400);
        client().contentType(ContentType.JSON)
                .body(Map.of("callId", newCallId().toString(), "reason", "r".repeat(201)))
                .post("/payments/voids")
                .then()
                .statusCode(400);
        client().contentType(ContentType.XML)
                .body("<void/>")
                .post("/payments/voids")
                .then()
                .statusCode(415);
    }

    @Test
    void readingPayments() {
        UUID callId = newCallId();
        String customer = newCustomer("contract-read-");
        String id = paid(callId, customer);
        client().get("/payments/" + id).then().statusCode(200);
        client().get("/payments/" + UUID.randomUUID()).then().statusCode(404);
        client().get("/payments/not-a-uuid").then().statusCode(404);

        UUID tombstone = newCallId();
        String voided = client().contentType(ContentType.JSON)
                .body(Map.of("callId", tombstone.toString()))
                .post("/payments/voids")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        client().get("/payments/" + voided).then().statusCode(200);

        client().queryParam("callId", callId.toString()).get("/payments").then().statusCode(200);
        client().queryParam("callId", tombstone.toString())
                .get("/payments")
                .then()
                .statusCode(200);
        client().queryParam("callId", newCallId().toString())
                .get("/payments")
                .then()
                .statusCode(200);
        client().queryParam("callId", callId.toString())
                .queryParam("customerId", "someone-else")
                .get("/payments")
                .then()
                .statusCode(200);
        client().queryParam("customerId", customer).get("/payments").then().statusCode(200);
        client().queryParam("customerId", customer)
                .queryParam("page", 1)
                .queryParam("size", 1)
                .get("/payments")
                .then()
                .statusCode(200);
        client().queryParam("customerId", newCustomer("nobody-"))
                .get("/payments")
                .then()
                .statusCode(200);
        client().get("/payments").then().statusCode(400);
        client().queryParam("callId", "not-a-uuid").get("/payments").then().statusCode(400);
        client().queryParam("customerId", customer)
                .queryParam("size", 0)
                .get("/payments")
                .then()
                .statusCode(400);
        client().queryParam("customerId", customer)
                .queryParam("page", "ten")
                .get("/payments")
                .then()
                .statusCode(400);
    }

    @Test
    void refusingCallersWithoutTheRightToken() {
        Map<String, Object> order = order(newCallId(), newCustomer("contract-"), 30_000);
        String id = paid(newCallId(), newCustomer("contract-"));
        // no token: 401 with the challenge; a customer's token: 403, on every operation
        for (String token : new String[] {null, Tokens.customer("contract-customer")}) {
            int status = token == null ? 401 : 403;
            RequestSpecification[] requests = new RequestSpecification[4];
            for (int i = 0; i < requests.length; i++) {
                requests[i] = token == null
                        ? client().header("Authorization", "")
                        : client().auth().oauth2(token);
            }
            requests[0]
                    .contentType(ContentType.JSON)
                    .body(order)
                    .post("/payments")
                    .then()
                    .statusCode(status);
            requests[1]
                    .contentType(ContentType.JSON)
                    .body(Map.of("callId", newCallId().toString()))
                    .post("/payments/voids")
                    .then()
                    .statusCode(status);
            requests[2].get("/payments/" + id).then().statusCode(status);
            requests[3]
                    .queryParam("customerId", "someone")
                    .get("/payments")
                    .then()
                    .statusCode(status);
        }
    }
}
