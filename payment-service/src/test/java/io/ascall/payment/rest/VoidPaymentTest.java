package io.ascall.payment.rest;

import static io.ascall.payment.PaymentsApi.asOperator;
import static io.ascall.payment.PaymentsApi.get;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.pay;
import static io.ascall.payment.PaymentsApi.voidCall;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.payment.Payment;
import io.ascall.payment.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class VoidPaymentTest {

    @Inject
    TestDatabase database;

    @Test
    void voidingACallWithoutPaymentLeavesATombstoneThatRefusesALatePayment() {
        UUID callId = newCallId();
        voidCall(callId, "call-service timed out")
                .then()
                .statusCode(200)
                .body("callId", equalTo(callId.toString()))
                .body("status", equalTo("VOIDED"))
                .body("customerId", nullValue())
                .body("amount", equalTo(0))
                .body("currency", equalTo("KRW"));

        String customer = newCustomer("c-");
        pay(callId, customer, 30_000)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:payment-voided"))
                .body(
                        "detail",
                        equalTo("The payment of call " + callId
                                + " was voided: the call was abandoned; start a new call"));

        asOperator()
                .queryParam("callId", callId.toString())
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].status", equalTo("VOIDED"));
        assertEquals(0, database.gatewayCharges(customer));
    }

    @Test
    void voidingTwiceChangesNothing() {
        UUID callId = newCallId();
        Map<String, Object> first = voidCall(callId, null)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        Map<String, Object> second = voidCall(callId, "again")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        assertEquals(first, second);
    }

    @Test
    void anApprovedPaymentWhoseCallGoesOnIsNotVoidedNorRefunded() {
        UUID callId = newCallId();
        String customer = newCustomer("c-");
        String id =
                pay(callId, customer, 30_000).then().statusCode(201).extract().path("id");

        // the call is paid and goes on (an engineer may be dispatched): only its cancellation gives the fee back
        voidCall(callId, "operator")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:conflict"));
        get(id).then().body("status", equalTo("APPROVED")).body("refundedAt", nullValue());
        assertNull(database.gatewayCharge(UUID.fromString(id)).getValue("refunded_at"), "no money went back");
    }

    @Test
    void voidingADeclinedPaymentLeavesItDeclined() {
        UUID callId = newCallId();
        String customer = newCustomer("declined-");
        Map<String, Object> declined = pay(callId, customer, 30_000)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getMap("");

        Map<String, Object> voided = voidCall(callId, null)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        assertEquals(declined, voided);
        assertNull(database.gatewayCharge(UUID.fromString((String) declined.get("id")))
                .getValue("refunded_at"));
    }

    @Test
    void voidingAPendingPaymentVoidsItAndRefusesItsRetry() {
        String customer = newCustomer("c-");
        Payment charging = Payment.pending(newCallId(), customer, 30_000, "KRW", null, Instant.now());
        database.insert(charging);

        voidCall(charging.callId(), "call-service timed out")
                .then()
                .statusCode(200)
                .body("id", equalTo(charging.id().toString()))
                .body("status", equalTo("VOIDED"))
                .body("refundedAt", nullValue());
        assertEquals("call-service timed out", database.find(charging.id()).voidReason());

        pay(charging.callId(), customer, 30_000)
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:ascall:problem:payment-voided"));
        assertEquals(0, database.gatewayCharges(customer));
    }

    @Test
    void voidingAPaymentWhoseAttemptDiedAfterTheChargeGivesTheMoneyBack() {
        String customer = newCustomer("c-");
        Payment abandoned = Payment.pending(
                newCallId(), customer, 30_000, "KRW", null, Instant.now().minus(5, ChronoUnit.MINUTES));
        database.insert(abandoned);
        database.chargeAtGateway(abandoned);

        voidCall(abandoned.callId(), null)
                .then()
                .statusCode(200)
                .body("status", equalTo("VOIDED"))
                .body("refundedAt", notNullValue());
        assertNotNull(database.gatewayCharge(abandoned.id()).getValue("refunded_at"));
        Payment stored = database.find(abandoned.id());
        assertNotNull(stored.chargedAt());
        assertEquals(stored.refundedAt(), stored.chargedAt());
    }

    @Test
    void concurrentVoidsOfACallWithoutPaymentLeaveOneTombstone() throws Exception {
        UUID callId = newCallId();
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return voidCall(callId, null)
                            .then()
                            .statusCode(200)
                            .extract()
                            .<String>path("id");
                }));
            }
            start.countDown();
            String id = answers.get(0).get(30, TimeUnit.SECONDS);
            for (Future<String> answer : answers) {
                assertEquals(id, answer.get(30, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
        asOperator()
                .queryParam("callId", callId.toString())
                .when()
                .get("/payments")
                .then()
                .body("$", hasSize(1));
    }
}
