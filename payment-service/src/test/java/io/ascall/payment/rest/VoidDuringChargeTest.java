package io.ascall.payment.rest;

import static io.ascall.payment.PaymentsApi.asOperator;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.pay;
import static io.ascall.payment.PaymentsApi.voidCall;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.payment.Payment;
import io.ascall.payment.PaymentStatus;
import io.ascall.payment.PaymentTopics;
import io.ascall.payment.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * call-service gave up waiting and voids the call while the gateway is still charging: the
 * customer must not keep being charged. The payment ends VOIDED with the refund recorded, never APPROVED.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@TestProfile(SlowGatewayProfile.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class VoidDuringChargeTest {

    @Inject
    TestDatabase database;

    @Test
    void aChargeApprovedAfterTheVoidIsRefundedAndThePaymentStaysVoided() throws Exception {
        UUID callId = newCallId();
        String customer = newCustomer("c-");
        CompletableFuture<Response> charging = CompletableFuture.supplyAsync(() -> pay(callId, customer, 30_000));

        Map<String, Object> pending = awaitPending(callId);
        voidCall(callId, "call-service timed out")
                .then()
                .statusCode(200)
                .body("id", equalTo(pending.get("id")))
                .body("status", equalTo("VOIDED"));

        charging.get(20, TimeUnit.SECONDS)
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:ascall:problem:payment-voided"));

        UUID id = UUID.fromString((String) pending.get("id"));
        asOperator()
                .when()
                .get("/payments/{id}", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("VOIDED"))
                .body("refundedAt", notNullValue());
        Payment stored = database.find(id);
        assertEquals(PaymentStatus.VOIDED, stored.status());
        assertNotNull(stored.chargedAt());
        assertNotNull(stored.refundedAt());
        assertEquals(1, database.gatewayCharges(customer));
        assertNotNull(database.gatewayCharge(id).getValue("refunded_at"), "the gateway gave the money back");

        voidCall(callId, null).then().statusCode(200).body("status", equalTo("VOIDED"));
        pay(callId, customer, 30_000).then().statusCode(409).body("type", equalTo("urn:ascall:problem:payment-voided"));
    }

    @Test
    void aDeclineAfterTheVoidLeavesItVoidedWithNothingToRefund() throws Exception {
        UUID callId = newCallId();
        String customer = newCustomer("declined-");
        CompletableFuture<Response> charging = CompletableFuture.supplyAsync(() -> pay(callId, customer, 30_000));

        Map<String, Object> pending = awaitPending(callId);
        voidCall(callId, null).then().statusCode(200).body("status", equalTo("VOIDED"));
        charging.get(20, TimeUnit.SECONDS)
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:ascall:problem:payment-voided"));

        UUID id = UUID.fromString((String) pending.get("id"));
        Payment stored = database.find(id);
        assertEquals(PaymentStatus.VOIDED, stored.status());
        assertEquals(null, stored.refundedAt());
        assertEquals("DECLINED", database.gatewayCharge(id).getString("outcome"));
    }

    @Test
    void theVoidAndTheRefundOfTheLateChargeArePublishedOnceEach() throws Exception {
        UUID callId = newCallId();
        CompletableFuture<Response> charging =
                CompletableFuture.supplyAsync(() -> pay(callId, newCustomer("c-"), 30_000));
        Map<String, Object> pending = awaitPending(callId);
        voidCall(callId, "call-service timed out").then().statusCode(200);
        charging.get(20, TimeUnit.SECONDS).then().statusCode(409);

        try (PaymentTopics topics = new PaymentTopics()) {
            List<JsonNode> events = topics.paymentEvents(callId, 2);
            assertEquals(
                    List.of("PaymentVoided", "PaymentVoided"),
                    events.stream().map(e -> e.get("type").asText()).toList());
            assertEquals(
                    List.of(1L, 2L),
                    events.stream().map(e -> e.get("sequence").asLong()).toList());
            assertEquals(
                    List.of(false, true),
                    events.stream().map(e -> e.get("refunded").asBoolean()).toList(),
                    "voided, then its late charge given back");
            events.forEach(
                    e -> assertEquals(pending.get("id"), e.get("paymentId").asText()));
        }
    }

    /** The payment as soon as it is registered: PENDING, its charge in flight at the slow gateway. */
    private static Map<String, Object> awaitPending(UUID callId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> found = asOperator()
                    .queryParam("callId", callId.toString())
                    .when()
                    .get("/payments")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("");
            if (!found.isEmpty()) {
                assertEquals("PENDING", found.get(0).get("status"));
                return found.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the payment of call " + callId + " was not registered in time");
    }
}
