package io.ascall.payment.rest;

import static io.ascall.payment.PaymentsApi.asOperator;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.pay;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.payment.Payment;
import io.ascall.payment.PaymentStatus;
import io.ascall.payment.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** A gateway that does not answer in time: a clear 503, nothing lost, and a retry resumes at once without charging twice. */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@TestProfile(GatewayTimeoutProfile.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class GatewayTimeoutTest {

    @Inject
    TestDatabase database;

    @Test
    void aTimedOutChargeIs503AndItsRetryReusesTheReference() {
        UUID callId = newCallId();
        String customer = newCustomer("c-");
        pay(callId, customer, 30_000)
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("urn:ascall:problem:payment-unavailable"))
                .body("status", equalTo(503))
                .body("instance", equalTo("/payments"));

        String paymentId = asOperator()
                .queryParam("callId", callId.toString())
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("[0].status", equalTo("PENDING"))
                .extract()
                .path("[0].id");
        Payment payment = database.find(UUID.fromString(paymentId));
        assertEquals(PaymentStatus.PENDING, payment.status(), "nothing is lost: the payment waits for a retry");
        assertNull(payment.chargeAttemptStartedAt(), "the failed attempt is released, so a retry resumes at once");

        pay(callId, customer, 30_000)
                .then()
                .statusCode(503)
                .body("type", equalTo("urn:ascall:problem:payment-unavailable"));
        assertEquals(1, database.gatewayCharges(customer));
        assertEquals(
                2,
                (int) database.gatewayCharge(payment.id()).getInteger("requests"),
                "the retry resumed the charge with the same reference");
    }
}
